/** Simple RNN cell (Keras SimpleRNN, tanh): h = tanh(x W + h_prev U + b). */
import { roundUp8, type Workspace } from '../kernels';
import { tanh } from './activations';
import { quantizedProduct } from '../quantized';
import type { LayerGradientMatrices, LayerMatrices, RecurrentCell, StepRows } from './cell';

/** One simple-RNN layer's cell: one gate block (G = 1) holding h itself. */
export class SimpleCell implements RecurrentCell {
  private readonly Hp: number;
  /** One gate block: GH = Hp. */
  private readonly GH: number;

  /** Needs no buffers of its own. */
  constructor(
    private readonly ws: Workspace,
    private readonly H: number,
  ) {
    this.Hp = roundUp8(H);
    this.GH = this.Hp;
  }

  forwardStep(layer: LayerMatrices, { t, n, r0, p0 }: StepRows): void {
    const { ws, H, Hp, GH } = this;
    const { gates, h, u, quantized } = layer;
    if (t > 0 && quantized)
      quantizedProduct(ws, quantized, n, h.offset + p0 * Hp, Hp, 0, GH, gates.offset + r0 * GH, GH);
    else if (t > 0) ws.gemm(n, GH, H, h.offset + p0 * Hp, Hp, false, u.offset, GH, gates.offset + r0 * GH, GH, true);
    const data = ws.data;
    for (let i = 0; i < n; i++) {
      const g = gates.offset + (r0 + i) * GH;
      const s = h.offset + (r0 + i) * Hp;
      for (let j = 0; j < H; j++) {
        const v = tanh(data[g + j]);
        data[g + j] = v;
        data[s + j] = v;
      }
    }
  }

  beginBackward(): void {}

  backwardStep(
    layer: LayerMatrices,
    grads: LayerGradientMatrices,
    { t, n, r0 }: StepRows,
    nNext: number,
    dOut: number,
    carryH: number,
    nextH: number,
  ): void {
    const { ws, H, Hp, GH } = this;
    const gates = layer.gates;
    const { dGates: dG, uT } = grads;
    const data = ws.data;
    for (let i = 0; i < n; i++) {
      const g = gates.offset + (r0 + i) * GH;
      const dg = dG.offset + (r0 + i) * GH;
      const s = (r0 + i) * Hp;
      const carried = i < nNext;
      for (let j = 0; j < H; j++) {
        const dh = data[dOut + s + j] + (carried ? data[carryH + i * Hp + j] : 0);
        const v = data[g + j];
        data[dg + j] = dh * (1 - v * v);
      }
    }
    if (t > 0) ws.gemm(n, Hp, GH, dG.offset + r0 * GH, GH, false, uT.offset, Hp, nextH, Hp, false);
  }

  recurrentKernelGradient(layer: LayerMatrices, { dGates: dG, dU }: LayerGradientMatrices, tokens: number): void {
    const { ws, Hp, GH } = this;
    ws.gemm(Hp, GH, tokens, layer.hp.offset, Hp, true, dG.offset, GH, dU.offset, GH, false);
  }
}
