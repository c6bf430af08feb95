/** The backward step of the cells whose gate arithmetic runs in JavaScript, row by row (LSTM, simple RNN). */
import { BaseCell } from './baseCell';
import type { LayerGradientMatrices, LayerMatrices, StepRows } from './cell';
import { quantizedProduct } from '../quantized';

/**
 * A cell whose backward step fills dGates one packed row at a time ({@link backwardRow}), then
 * carries dLoss/dh to the previous step (dGates x U^T); its recurrent kernel's gradient is
 * h_prev^T dGates over every gate block.
 */
export abstract class RowwiseCell extends BaseCell {
  /**
   * Adds h_prev U to the step's gate rows (every gate block at once; nothing at t = 0): with the
   * integer kernels when the layer has its quantized recurrent kernel, else the float gemm.
   */
  protected addRecurrentProduct({ gates, h, u, quantized }: LayerMatrices, { t, n, r0, p0 }: StepRows): void {
    const { ws, H, Hp, GH } = this;
    if (t > 0 && quantized)
      quantizedProduct(ws, quantized, n, h.offset + p0 * Hp, Hp, 0, GH, gates.offset + r0 * GH, GH);
    else if (t > 0) ws.gemm(n, GH, H, h.offset + p0 * Hp, Hp, false, u.offset, GH, gates.offset + r0 * GH, GH, true);
  }

  backwardStep(
    { gates }: LayerMatrices,
    { dGates: dG, uT }: LayerGradientMatrices,
    step: StepRows,
    nNext: number,
    dOut: number,
    carryH: number,
    nextH: number,
  ): void {
    const { ws, Hp, GH } = this;
    const { t, n, r0 } = step;
    for (let i = 0; i < n; i++) {
      const row = r0 + i;
      this.backwardRow(
        step,
        i,
        gates.offset + row * GH,
        dG.offset + row * GH,
        dOut + row * Hp,
        i < nNext ? carryH + i * Hp : -1,
      );
    }
    if (t > 0) ws.gemm(n, Hp, GH, dG.offset + r0 * GH, GH, false, uT.offset, Hp, nextH, Hp, false);
    this.endBackwardStep();
  }

  recurrentKernelGradient(layer: LayerMatrices, { dGates: dG, dU }: LayerGradientMatrices, tokens: number): void {
    const { ws, Hp, GH } = this;
    ws.gemm(Hp, GH, tokens, layer.hp.offset, Hp, true, dG.offset, GH, dU.offset, GH, false);
  }

  /**
   * Fills the dGates row at `dGatesRow` of the step's i-th row (gates at `gatesRow`) from dLoss/dh:
   * the row of dOut at `dOutRow` plus, when `carryRow` >= 0, the carry from step t + 1 there.
   */
  protected abstract backwardRow(
    step: StepRows,
    i: number,
    gatesRow: number,
    dGatesRow: number,
    dOutRow: number,
    carryRow: number,
  ): void;

  /** Called after each step's rows (and its carry to the previous step). */
  protected endBackwardStep(): void {}
}
