/** GRU cell (Keras reset_after=false; gates z, r, h): its gate arithmetic runs in the SIMD kernels. */
import type { Matrix, Workspace } from '../kernels';
import { BaseCell } from './baseCell';
import { quantizedInputProduct } from '../quantized';
import type { CellScratch, LayerGradientMatrices, LayerMatrices, RecurrentCell, StepRows } from './cell';

/** One GRU layer's cell: gates [z, r, h] (G = 3), with r * h_prev kept for the backward pass. */
export class GruCell extends BaseCell implements RecurrentCell {
  /** r * h_prev [N, Hp]. */
  private readonly rh: Matrix;
  /** dLoss/d(r * h_prev) of one step [B, Hp]. */
  private dRH = -1;

  /** Allocates the cell's buffers in `ws` (before its commit) for `rows` packed rows. */
  constructor(ws: Workspace, H: number, rows: number) {
    super(ws, H, 3);
    this.rh = ws.alloc(rows, H);
  }

  readonly readsProjectionInPlace = true;

  forwardStep(layer: LayerMatrices, { t, n, r0, p0 }: StepRows, previous: number, projection?: number): void {
    const { ws, H, Hp, GH, rh } = this;
    const { gates, h, u, quantized } = layer;
    const k = ws.kernels;
    const from = (column: number) => (projection === undefined ? undefined : { rows: projection, offset: column * 4 });
    if (quantized) {
      // Inference with integer products: the gate kernels leave r * h_prev, then h, quantized for the
      // next product (the previous step's gru_inf_h quantized this step's h_prev).
      const gateRows = (gates.offset + r0 * GH) * 4;
      const q = quantized.input.offset * 4;
      const scales = quantized.inputScales.offset * 4;
      if (t > 0) quantizedInputProduct(ws, quantized, n, 0, 2 * Hp, gates.offset + r0 * GH, GH, from(0));
      k.gru_inf_zr(n, Hp, gateRows, previous * 4, (rh.offset + r0 * Hp) * 4, q, scales, quantized.qmax);
      if (t > 0) quantizedInputProduct(ws, quantized, n, 2 * Hp, Hp, gates.offset + r0 * GH + 2 * Hp, GH, from(2 * Hp));
      k.gru_inf_h(n, Hp, gateRows, previous * 4, (h.offset + r0 * Hp) * 4, q, scales, quantized.qmax);
      return;
    }
    if (t > 0) ws.gemm(n, 2 * Hp, H, h.offset + p0 * Hp, Hp, false, u.offset, GH, gates.offset + r0 * GH, GH, true);
    k.gru_fwd_zr(n, Hp, (gates.offset + r0 * GH) * 4, previous * 4, (rh.offset + r0 * Hp) * 4);
    if (t > 0) {
      const candidate = gates.offset + r0 * GH + 2 * Hp;
      ws.gemm(n, Hp, H, rh.offset + r0 * Hp, Hp, false, u.offset + 2 * Hp, GH, candidate, GH, true);
    }
    k.gru_fwd_h(n, Hp, (gates.offset + r0 * GH) * 4, previous * 4, (h.offset + r0 * Hp) * 4);
  }

  beginBackward(scratch: CellScratch): void {
    this.dRH = scratch[0].offset;
  }

  backwardStep(
    layer: LayerMatrices,
    grads: LayerGradientMatrices,
    { t, n, r0 }: StepRows,
    nNext: number,
    dOut: number,
    carryH: number,
    nextH: number,
  ): void {
    const { ws, H, Hp, GH, dRH } = this;
    const { gates, hp } = layer;
    const { dGates: dG, uT } = grads;
    const k = ws.kernels;
    k.gru_bwd_a(
      n,
      nNext,
      Hp,
      (gates.offset + r0 * GH) * 4,
      (dG.offset + r0 * GH) * 4,
      (hp.offset + r0 * Hp) * 4,
      (dOut + r0 * Hp) * 4,
      carryH * 4,
      nextH * 4,
    );
    if (t > 0) {
      ws.gemm(n, Hp, H, dG.offset + r0 * GH + 2 * Hp, GH, false, uT.offset + 2 * Hp * Hp, Hp, dRH, Hp, false);
      k.gru_bwd_r(
        n,
        Hp,
        (gates.offset + r0 * GH) * 4,
        (dG.offset + r0 * GH) * 4,
        (hp.offset + r0 * Hp) * 4,
        dRH * 4,
        nextH * 4,
      );
      ws.gemm(n, Hp, 2 * Hp, dG.offset + r0 * GH, GH, false, uT.offset, Hp, nextH, Hp, true);
    } else {
      const data = ws.data;
      for (let i = 0; i < n; i++) data.fill(0, dG.offset + (r0 + i) * GH + Hp, dG.offset + (r0 + i) * GH + 2 * Hp);
    }
  }

  recurrentKernelGradient(layer: LayerMatrices, { dGates: dG, dU }: LayerGradientMatrices, tokens: number): void {
    const { ws, Hp, GH } = this;
    // z and r from h_prev; the candidate's block from r * h_prev.
    ws.gemm(Hp, 2 * Hp, tokens, layer.hp.offset, Hp, true, dG.offset, GH, dU.offset, GH, false);
    ws.gemm(Hp, Hp, tokens, this.rh.offset, Hp, true, dG.offset + 2 * Hp, GH, dU.offset + 2 * Hp, GH, false);
  }
}
