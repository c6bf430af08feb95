/**
 * What the engine (../network.ts) asks of a recurrent cell: one time step forward and one
 * backward over the packed rows of a batch, and the recurrent kernel's gradient. The engine owns
 * the loop over time steps (as tfjs-layers' rnn() does); a cell owns the buffers only it needs
 * (GRU: r * h_prev; LSTM: the cell state and its tanh) and the gate arithmetic.
 *
 * Layout: matrices are padded to Hp = roundUp8(units) columns; gate block g of a cell's
 * [*, G * units] Keras matrix lives at columns g * Hp .. g * Hp + units - 1.
 */
import type { Matrix } from '../kernels';
import type { QuantizedRecurrence } from '../quantized';

/** One recurrent layer's workspace matrices that every step reads or writes (N = packed rows). */
export interface LayerMatrices {
  /** [N, G * Hp]: input projection on entry (X W + b), the gate activations after the forward pass. */
  readonly gates: Matrix;
  /** [N, Hp] outputs. */
  readonly h: Matrix;
  /** [N, Hp] previous state of each row (kept for the backward pass). */
  readonly hp: Matrix;
  /** [Hp, G * Hp] recurrent kernel. */
  readonly u: Matrix;
  /** The recurrent kernel for integer products (inference with integer kernels), else null. */
  readonly quantized: QuantizedRecurrence | null;
}

/** One layer's matrices of the backward pass. */
export interface LayerGradientMatrices {
  /** [N, G * Hp] gradient w.r.t. the gates' pre-activations. */
  readonly dGates: Matrix;
  /** [G * Hp, Hp] transpose of the recurrent kernel. */
  readonly uT: Matrix;
  /** [Hp, G * Hp] gradient of the recurrent kernel. */
  readonly dU: Matrix;
}

/** The packed rows of time step t: n rows from r0; the previous step's rows start at p0 (0 at t = 0). */
export interface StepRows {
  readonly t: number;
  readonly n: number;
  readonly r0: number;
  readonly p0: number;
}

/** Scratch matrices of the backward pass, [B, Hp] each, that a cell may use as it likes. */
export type CellScratch = readonly [Matrix, Matrix, Matrix];

/** One layer's recurrent cell (GRU, LSTM or simple RNN); not for concurrent use. */
export interface RecurrentCell {
  /**
   * Whether forwardStep can read the step's input projections in place (`projection`) when it
   * makes integer recurrent products (t > 0, layer.quantized); otherwise the engine copies them
   * into the step's gates first.
   */
  readonly readsProjectionInPlace: boolean;
  /**
   * Step t forward: adds the recurrent term (h of the previous step x U) to the step's gates, then
   * applies the gate arithmetic and writes the step's rows of h. `previous`: offset of the rows'
   * previous states (zeros at t = 0). `projection`, only given to a cell that reads projections
   * in place: byte address of n i32 byte addresses, each of one row's input projection
   * [G * Hp] (the step's gates then hold nothing yet, and the products write them whole).
   */
  forwardStep(layer: LayerMatrices, step: StepRows, previous: number, projection?: number): void;
  /** Called before the first (last in time) backwardStep of a layer. */
  beginBackward(scratch: CellScratch): void;
  /**
   * Step t backward: from dOut (offset of dLoss/dh [N, Hp]) plus the carry from step t + 1
   * (`carryH`, rows < nNext), fills the step's rows of dGates and, for t > 0, `nextH`
   * (dLoss/dh of step t - 1's rows).
   */
  backwardStep(
    layer: LayerMatrices,
    grads: LayerGradientMatrices,
    step: StepRows,
    nNext: number,
    dOut: number,
    carryH: number,
    nextH: number,
  ): void;
  /** dU = hp^T dGates over the first `tokens` (> 0) rows, as the cell's gates need it. */
  recurrentKernelGradient(layer: LayerMatrices, grads: LayerGradientMatrices, tokens: number): void;
}
