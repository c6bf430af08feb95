/**
 * The network's shape and the layout of its weights: the contract shared by the fast engine
 * (src/core/engine), the tfjs Layers model (src/core/model/tfjsModel.ts) and the saved files.
 *
 * The network: ids [B, T] -> embedding [B, T, E] -> `layers` recurrent layers of `units`
 * (dropout on each layer's output while training) -> dense softmax over `numClasses` at every
 * step. The sentence's class is the softmax at its last real token (index length-1); the
 * softmax at every step is the per-word trajectory. Padding (id 0) sits after the last real
 * token, so a causal RNN's outputs at real steps never depend on it.
 *
 * Weight layout is exactly the tfjs / Keras one, row-major Float32Array:
 * - GRU (tfjs GRUCell, reset_after = false, activation tanh, recurrent activation sigmoid):
 *   gates in the order z (update), r (reset), h (candidate);
 *   z = sigmoid(x Wz + h Uz + bz), r = sigmoid(x Wr + h Ur + br),
 *   hh = tanh(x Wh + (r * h) Uh + bh), h' = z * h + (1 - z) * hh.
 * - LSTM (tfjs LSTMCell, activation tanh, recurrent activation sigmoid): gates i, f, c, o;
 *   c' = f * c + i * tanh(x Wc + h Uc + bc), h' = o * tanh(c').
 * - SimpleRNN: h' = tanh(x W + h U + b).
 */

/** Recurrent cell type. */
export type CellType = 'gru' | 'lstm' | 'simple';

/** Everything needed to build the network, besides its weights. */
export interface Architecture {
  readonly cell: CellType;
  /** Rows of the embedding, PAD (0) and OOV (1) included. */
  readonly vocabSize: number;
  readonly embeddingDim: number;
  /** Units of every recurrent layer. */
  readonly units: number;
  /** Number of stacked recurrent layers (>= 1). */
  readonly layers: number;
  /** Number of output classes (>= 2). */
  readonly numClasses: number;
  /** Dropout rate on each recurrent layer's output, applied only while training. */
  readonly dropout: number;
}

/** Weights of one recurrent layer, Keras layout. G = gatesPerCell(cell). */
export interface RecurrentWeights {
  /** [inputDim, G * units]; inputDim is embeddingDim for the first layer, units after. */
  kernel: Float32Array;
  /** [units, G * units] */
  recurrentKernel: Float32Array;
  /** [G * units] */
  bias: Float32Array;
}

/** All trainable weights of the network. */
export interface NetworkWeights {
  /** [vocabSize, embeddingDim] */
  embedding: Float32Array;
  /** One entry per recurrent layer, bottom first. */
  rnn: RecurrentWeights[];
  /** kernel [units, numClasses], bias [numClasses] */
  dense: { kernel: Float32Array; bias: Float32Array };
}

/** Gate blocks per cell: GRU 3 (z, r, h), LSTM 4 (i, f, c, o), SimpleRNN 1. */
export function gatesPerCell(cell: CellType): number {
  return cell === 'gru' ? 3 : cell === 'lstm' ? 4 : 1;
}

/** Shape of every weight tensor, in the order tfjs lists them (embedding, each RNN layer's kernel, recurrent kernel, bias, then dense kernel, bias). */
export function weightShapes(arch: Architecture): { name: string; shape: number[] }[] {
  const gates = gatesPerCell(arch.cell);
  const shapes: { name: string; shape: number[] }[] = [
    { name: 'embedding', shape: [arch.vocabSize, arch.embeddingDim] },
  ];
  for (let layer = 0; layer < arch.layers; layer++) {
    const inputDim = layer === 0 ? arch.embeddingDim : arch.units;
    shapes.push(
      { name: `rnn${layer}.kernel`, shape: [inputDim, gates * arch.units] },
      { name: `rnn${layer}.recurrentKernel`, shape: [arch.units, gates * arch.units] },
      { name: `rnn${layer}.bias`, shape: [gates * arch.units] },
    );
  }
  shapes.push(
    { name: 'dense.kernel', shape: [arch.units, arch.numClasses] },
    { name: 'dense.bias', shape: [arch.numClasses] },
  );
  return shapes;
}

/** The weights as a flat list in weightShapes() order (views, not copies). */
export function flattenWeights(weights: NetworkWeights): Float32Array[] {
  return [
    weights.embedding,
    ...weights.rnn.flatMap((layer) => [layer.kernel, layer.recurrentKernel, layer.bias]),
    weights.dense.kernel,
    weights.dense.bias,
  ];
}

/** Rebuilds NetworkWeights from a flat list in weightShapes() order (keeps the arrays given). */
export function unflattenWeights(arch: Architecture, arrays: Float32Array[]): NetworkWeights {
  const expected = weightShapes(arch);
  if (arrays.length !== expected.length) {
    throw new Error(`expected ${expected.length} weight arrays for this architecture, got ${arrays.length}`);
  }
  expected.forEach(({ name, shape }, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (arrays[i].length !== size) {
      throw new Error(`weight ${name}: expected ${size} values (shape [${shape}]), got ${arrays[i].length}`);
    }
  });
  const rnn: RecurrentWeights[] = [];
  for (let layer = 0; layer < arch.layers; layer++) {
    rnn.push({ kernel: arrays[1 + 3 * layer], recurrentKernel: arrays[2 + 3 * layer], bias: arrays[3 + 3 * layer] });
  }
  return { embedding: arrays[0], rnn, dense: { kernel: arrays[arrays.length - 2], bias: arrays[arrays.length - 1] } };
}
