/** The recurrent cells behind {@link RecurrentCell}, made by cell type. */
import type { CellType } from '../../model/architecture';
import type { Workspace } from '../kernels';
import type { RecurrentCell } from './cell';
import { GruCell } from './gru';
import { LstmCell } from './lstm';
import { SimpleCell } from './simple';

export type { CellScratch, LayerGradientMatrices, LayerMatrices, RecurrentCell, StepRows } from './cell';

const cellClasses: Readonly<Record<CellType, new (ws: Workspace, units: number, rows: number) => RecurrentCell>> = {
  gru: GruCell,
  lstm: LstmCell,
  simple: SimpleCell,
};

/** A cell of `type` with `units` units for `rows` packed rows, its buffers allocated in `ws` (before its commit). */
export function createCell(type: CellType, ws: Workspace, units: number, rows: number): RecurrentCell {
  return new cellClasses[type](ws, units, rows);
}
