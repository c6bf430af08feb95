/** LSTM cell (Keras; gates i, f, c, o): gate arithmetic in JavaScript over the workspace. */
import type { Matrix, Workspace } from '../kernels';
import { sigmoid, tanh } from './activations';
import type { CellScratch, LayerMatrices, RecurrentCell, StepRows } from './cell';
import { RowwiseCell } from './rowwiseCell';

/** One LSTM layer's cell: gates [i, f, c, o] (G = 4), with the cell state and its tanh kept for the backward pass. */
export class LstmCell extends RowwiseCell implements RecurrentCell {
  /** Cell state [N, Hp]. */
  private readonly c: Matrix;
  /** tanh of the cell state [N, Hp]. */
  private readonly tc: Matrix;
  /** dLoss/dc carried from step t + 1 and the one being computed for step t - 1 [B, Hp]. */
  private carryC = -1;
  private nextC = -1;

  /** Allocates the cell's buffers in `ws` (before its commit) for `rows` packed rows. */
  constructor(ws: Workspace, H: number, rows: number) {
    super(ws, H, 4);
    this.c = ws.alloc(rows, H);
    this.tc = ws.alloc(rows, H);
  }

  readonly readsProjectionInPlace = false;

  forwardStep(layer: LayerMatrices, { t, n, r0, p0 }: StepRows): void {
    const { ws, H, Hp, GH, c, tc } = this;
    const { gates, h } = layer;
    this.addRecurrentProduct(layer, { t, n, r0, p0 });
    const data = ws.data;
    for (let i = 0; i < n; i++) {
      const g = gates.offset + (r0 + i) * GH;
      const s = (r0 + i) * Hp;
      const sp = t > 0 ? c.offset + (p0 + i) * Hp : -1;
      for (let j = 0; j < H; j++) {
        const ig = sigmoid(data[g + j]);
        const fg = sigmoid(data[g + Hp + j]);
        const gg = tanh(data[g + 2 * Hp + j]);
        const og = sigmoid(data[g + 3 * Hp + j]);
        data[g + j] = ig;
        data[g + Hp + j] = fg;
        data[g + 2 * Hp + j] = gg;
        data[g + 3 * Hp + j] = og;
        const cp = sp >= 0 ? data[sp + j] : 0;
        const cc = fg * cp + ig * gg;
        const tcc = tanh(cc);
        data[c.offset + s + j] = cc;
        data[tc.offset + s + j] = tcc;
        data[h.offset + s + j] = og * tcc;
      }
    }
  }

  beginBackward(scratch: CellScratch): void {
    this.carryC = scratch[1].offset;
    this.nextC = scratch[2].offset;
  }

  protected backwardRow(
    { t, r0, p0 }: StepRows,
    i: number,
    g: number,
    dg: number,
    dOutRow: number,
    carryRow: number,
  ): void {
    const { ws, H, Hp, c, tc, carryC, nextC } = this;
    const data = ws.data;
    const s = (r0 + i) * Hp;
    const sp = t > 0 ? c.offset + (p0 + i) * Hp : -1;
    const carried = carryRow >= 0;
    for (let j = 0; j < H; j++) {
      const dh = data[dOutRow + j] + (carried ? data[carryRow + j] : 0);
      const ig = data[g + j];
      const fg = data[g + Hp + j];
      const gg = data[g + 2 * Hp + j];
      const og = data[g + 3 * Hp + j];
      const tcc = data[tc.offset + s + j];
      const dc = (carried ? data[carryC + i * Hp + j] : 0) + dh * og * (1 - tcc * tcc);
      const cp = sp >= 0 ? data[sp + j] : 0;
      data[dg + j] = dc * gg * ig * (1 - ig);
      data[dg + Hp + j] = dc * cp * fg * (1 - fg);
      data[dg + 2 * Hp + j] = dc * ig * (1 - gg * gg);
      data[dg + 3 * Hp + j] = dh * tcc * og * (1 - og);
      data[nextC + i * Hp + j] = dc * fg;
    }
  }

  /** The carry of dLoss/dc computed for step t - 1 is read by it. */
  protected override endBackwardStep(): void {
    const carried = this.carryC;
    this.carryC = this.nextC;
    this.nextC = carried;
  }
}
