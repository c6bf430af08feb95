/** Scalar activations of the cells' gate arithmetic in JavaScript (float64). */

/** The logistic function 1 / (1 + e^-x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** tanh through one exp (V8's Math.tanh is ~2-3x slower than Math.exp); float64, so exact to f32. */
export function tanh(x: number): number {
  return 1 - 2 / (Math.exp(2 * x) + 1);
}
