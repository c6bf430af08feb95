/** What every recurrent cell keeps: its workspace and the widths of its matrices. */
import { roundUp8, type Workspace } from '../kernels';

/** The widths and workspace of one layer's cell; subclasses add their buffers and steps. */
export abstract class BaseCell {
  /** Units padded to a multiple of 8: the width of h and of each gate block. */
  protected readonly Hp: number;
  /** Width of the gates: gateCount * Hp. */
  protected readonly GH: number;

  /** `gateCount` gate blocks (G in the layout of cell.ts) of `H` units each. */
  constructor(
    protected readonly ws: Workspace,
    protected readonly H: number,
    gateCount: number,
  ) {
    this.Hp = roundUp8(H);
    this.GH = gateCount * this.Hp;
  }
}
