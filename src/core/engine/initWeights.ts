/** Seeded weight initialisation matching the Keras / tfjs defaults the project uses. */
import { gatesPerCell, type Architecture, type NetworkWeights, type RecurrentWeights } from '../model/architecture';
import { Random } from './random';

/** Glorot-uniform [fanIn, fanOut]: U(-limit, limit), limit = sqrt(6 / (fanIn + fanOut)). */
function glorotUniform(rng: Random, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
  return out;
}

/**
 * Orthogonal [rows, cols] (Keras Orthogonal, gain 1): QR of a normal matrix with the sign fix,
 * done by modified Gram-Schmidt in float64. For rows < cols the rows are orthonormal.
 */
export function orthogonal(rng: Random, rows: number, cols: number): Float32Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols; // length of each vector
  const k = tall ? cols : rows; // number of orthonormal vectors
  const vectors: Float64Array[] = [];
  for (let v = 0; v < k; v++) {
    const vec = new Float64Array(m);
    for (let i = 0; i < m; i++) vec[i] = rng.normal();
    for (const q of vectors) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i] * vec[i];
      for (let i = 0; i < m; i++) vec[i] -= dot * q[i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += vec[i] * vec[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) vec[i] /= norm;
    vectors.push(vec);
  }
  const out = new Float32Array(rows * cols);
  for (let v = 0; v < k; v++) {
    for (let i = 0; i < m; i++) {
      if (tall) out[i * cols + v] = vectors[v][i];
      else out[v * cols + i] = vectors[v][i];
    }
  }
  return out;
}

/**
 * Fresh weights for `arch`, deterministic from `seed`: embedding U(-1, 1) [vocabSize, E] with the
 * PAD row 0 all zeros; recurrent kernels Glorot-uniform [inputDim, G*units]; recurrent kernels
 * orthogonal [units, G*units]; biases zero except the LSTM forget gate (1); dense kernel
 * Glorot-uniform [units, numClasses], dense bias zero.
 */
export function initWeights(arch: Architecture, seed: number): NetworkWeights {
  const rng = new Random(seed);
  const { vocabSize, embeddingDim: E, units: H, numClasses: C } = arch;
  const G = gatesPerCell(arch.cell);
  const embedding = new Float32Array(vocabSize * E);
  for (let i = E; i < embedding.length; i++) embedding[i] = rng.uniform(-1, 1);
  const rnn: RecurrentWeights[] = [];
  for (let layer = 0; layer < arch.layers; layer++) {
    const inputDim = layer === 0 ? E : H;
    const kernel = glorotUniform(rng, inputDim, G * H);
    const recurrentKernel = orthogonal(rng, H, G * H);
    const bias = new Float32Array(G * H);
    if (arch.cell === 'lstm') bias.fill(1, H, 2 * H);
    rnn.push({ kernel, recurrentKernel, bias });
  }
  return { embedding, rnn, dense: { kernel: glorotUniform(rng, H, C), bias: new Float32Array(C) } };
}

/** A deep copy of a set of weights. */
export function cloneWeights(weights: NetworkWeights): NetworkWeights {
  return {
    embedding: weights.embedding.slice(),
    rnn: weights.rnn.map((l) => ({
      kernel: l.kernel.slice(),
      recurrentKernel: l.recurrentKernel.slice(),
      bias: l.bias.slice(),
    })),
    dense: { kernel: weights.dense.kernel.slice(), bias: weights.dense.bias.slice() },
  };
}
