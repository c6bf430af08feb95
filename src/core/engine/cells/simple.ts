/** Simple RNN cell (Keras SimpleRNN, tanh): h = tanh(x W + h_prev U + b). */
import type { Workspace } from '../kernels';
import { tanh } from './activations';
import type { LayerMatrices, RecurrentCell, StepRows } from './cell';
import { RowwiseCell } from './rowwiseCell';

/** One simple-RNN layer's cell: one gate block (G = 1, so GH = Hp) holding h itself. */
export class SimpleCell extends RowwiseCell implements RecurrentCell {
  /** Needs no buffers of its own. */
  constructor(ws: Workspace, H: number) {
    super(ws, H, 1);
  }

  readonly readsProjectionInPlace = false;

  forwardStep(layer: LayerMatrices, { t, n, r0, p0 }: StepRows): void {
    const { ws, H, Hp, GH } = this;
    const { gates, h } = layer;
    this.addRecurrentProduct(layer, { t, n, r0, p0 });
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

  protected backwardRow(_step: StepRows, _i: number, g: number, dg: number, dOutRow: number, carryRow: number): void {
    const { ws, H } = this;
    const data = ws.data;
    for (let j = 0; j < H; j++) {
      const dh = data[dOutRow + j] + (carryRow >= 0 ? data[carryRow + j] : 0);
      const v = data[g + j];
      data[dg + j] = dh * (1 - v * v);
    }
  }
}
