/**
 * Integer recurrent products for inference: the recurrent kernel quantized to int16 per output
 * column (symmetric scale), each step's input rows (previous states) quantized to int16 per row
 * with a scale of their own, products summed exactly in int32 by the `qgemm` kernel
 * (`i32x4.dot_i16x8_s`), then converted to float, scaled and added to the gates. Every operation is
 * deterministic and row-wise, so results do not depend on the batch a sentence is in nor on the
 * thread that computes it. Training never uses it.
 */
import type { Matrix, Workspace } from './kernels';

/** Largest |int32| sum the products may reach. */
const INT32_LIMIT = 2 ** 31 - 1;

/**
 * The largest quantized magnitude of both factors of a product over K terms such that no int32
 * sum can overflow: K * qmax^2 <= 2^31 - 1 (and qmax <= 32767). 4095 for K = 128, 2047 for K = 512.
 */
export function quantizationLimit(K: number): number {
  return Math.min(32767, Math.floor(Math.sqrt(INT32_LIMIT / Math.max(1, K))));
}

/** A [rows, cols] float matrix quantized per column, in the pair layout `qgemm` reads. */
export interface ColumnQuantized {
  /** rows rounded up to even, /2 pairs x cols; pair (p, j) = int16 values at 2 (p cols + j) and + 1. */
  readonly pairs: Int16Array;
  /** Scale of each column: value = q * scale. [cols] */
  readonly scales: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Quantizes a row-major [rows, cols] matrix (element (k, j) at values[k * ld + j]) per column:
 * scale_j = max_k |m(k, j)| / qmax, q = round(m / scale_j) (0 for an all-zero column).
 */
export function quantizeColumns(
  values: Float32Array,
  rows: number,
  cols: number,
  ld: number,
  qmax: number,
): ColumnQuantized {
  const pairRows = (rows + 1) >> 1;
  const pairs = new Int16Array(pairRows * cols * 2);
  const scales = new Float32Array(cols);
  for (let j = 0; j < cols; j++) {
    let max = 0;
    for (let k = 0; k < rows; k++) max = Math.max(max, Math.abs(values[k * ld + j]));
    scales[j] = max / qmax;
    const inverse = max > 0 ? qmax / max : 0;
    for (let k = 0; k < rows; k++) {
      pairs[((k >> 1) * cols + j) * 2 + (k & 1)] = Math.round(values[k * ld + j] * inverse);
    }
  }
  return { pairs, scales, rows, cols };
}

/** One layer's integer recurrent product in a workspace (laid out by the engine, see network.ts). */
export interface QuantizedRecurrence {
  /** The recurrent kernel [Hp, G * Hp] quantized per column: int16 pairs, one f32 slot per pair. */
  readonly kernel: Matrix;
  /** Its column scales [1, G * Hp]. */
  readonly kernelScales: Matrix;
  /** Scratch: one step's quantized input rows, int16 [rows, Hp] (Hp / 2 f32 slots per row). */
  readonly input: Matrix;
  /** Scratch: their row scales [1, rows]. */
  readonly inputScales: Matrix;
  /** Hp: the product's depth, a multiple of 8. */
  readonly depth: number;
  /** Largest quantized magnitude (see quantizationLimit). */
  readonly qmax: number;
}

/**
 * C[rows, cols] += A[rows, Hp] x U[:, col0 .. col0 + cols), with the integer kernel: A (float
 * rows at element offset a, row stride lda) is quantized per row into the scratch first.
 * Offsets are in f32 elements of the workspace; cols must be a multiple of 8. Given `from`,
 * C(i, :) = X_i + the product instead, where X_i is the f32 row at byte address
 * i32[from.rows + 4 i] + from.offset (the same result as copying X_i into C first).
 */
export function quantizedProduct(
  ws: Workspace,
  q: QuantizedRecurrence,
  rows: number,
  a: number,
  lda: number,
  col0: number,
  cols: number,
  c: number,
  ldc: number,
  from?: { readonly rows: number; readonly offset: number },
): void {
  if (rows <= 0) return;
  const { input, inputScales, depth } = q;
  ws.kernels.quantize_rows(rows, depth, a * 4, lda, input.offset * 4, input.ld * 2, inputScales.offset * 4, q.qmax);
  quantizedInputProduct(ws, q, rows, col0, cols, c, ldc, from);
}

/**
 * The same product as {@link quantizedProduct} with its input rows already quantized into the
 * scratch (`input`, `inputScales`), as the GRU inference kernels leave them.
 */
export function quantizedInputProduct(
  ws: Workspace,
  q: QuantizedRecurrence,
  rows: number,
  col0: number,
  cols: number,
  c: number,
  ldc: number,
  from?: { readonly rows: number; readonly offset: number },
): void {
  if (rows <= 0) return;
  const k = ws.kernels;
  const { input, inputScales, kernel, kernelScales, depth } = q;
  if (from) {
    k.qgemm_from(
      rows,
      cols,
      depth >> 1,
      input.offset * 4,
      input.ld * 4,
      (kernel.offset + col0) * 4,
      kernel.ld,
      c * 4,
      ldc,
      inputScales.offset * 4,
      (kernelScales.offset + col0) * 4,
      from.rows,
      from.offset,
    );
    return;
  }
  k.qgemm(
    rows,
    cols,
    depth >> 1,
    input.offset * 4,
    input.ld * 4,
    (kernel.offset + col0) * 4,
    kernel.ld,
    c * 4,
    ldc,
    inputScales.offset * 4,
    (kernelScales.offset + col0) * 4,
  );
}
