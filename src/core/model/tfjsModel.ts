/**
 * The network of architecture.ts as a standard TensorFlow.js Layers model, and conversion of its
 * weights to and from NetworkWeights. This is the plain tfjs path (reference predictions, export in
 * the tfjs Layers format); the fast typed-array engine lives in src/core/engine.
 *
 * No masking: the embedding is built without `maskZero`. Padding (id 0) always follows the real
 * tokens and every recurrent layer is causal, so the outputs at real steps (0 .. length-1) never
 * depend on the padding; the outputs at padding steps are garbage and predictWithLayers zeroes them.
 * Leaving masking out keeps the graph identical to the fast engine's and to a Keras model converted
 * without `mask_zero`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Batch } from './batching';
import { Architecture, NetworkWeights, flattenWeights, unflattenWeights, weightShapes } from './architecture';

/** Stable layer names of the model built by buildLayersModel (weights are named `<layer>/<weight>`). */
export const LAYER_NAMES = Object.freeze({
  input: 'token_ids',
  embedding: 'embedding',
  rnn: (layer: number) => `rnn_${layer}`,
  dropout: (layer: number) => `dropout_${layer}`,
  output: 'softmax',
});

/** Options of buildLayersModel. */
export interface BuildOptions {
  /**
   * Initialise recurrent kernels with the Keras default (orthogonal) rather than Glorot uniform.
   * Only matters when the tfjs model itself is trained from scratch: tfjs computes the orthogonal
   * matrix with a QR decomposition on the CPU and prints a "slowness may result" warning for any
   * kernel above 2000 elements, which is wasted work when setNetworkWeights overwrites it anyway.
   * Default false.
   */
  readonly orthogonalRecurrentInit?: boolean;
}

/**
 * Builds the tfjs Layers model of `arch` (weights randomly initialised):
 * input `token_ids` int32 [batch, time] -> Embedding(vocabSize, embeddingDim) [B, T, E]
 * -> `layers` x (GRU | LSTM | SimpleRNN, `units`, returnSequences, then Dropout(arch.dropout)) [B, T, U]
 * -> Dense(numClasses, softmax) at every step -> output float32 [B, T, C].
 * Both batch and time dimensions are dynamic. The caller owns the model and must `dispose()` it.
 */
export function buildLayersModel(arch: Architecture, options: BuildOptions = {}): tfl.LayersModel {
  checkArchitecture(arch);
  const recurrentInitializer = options.orthogonalRecurrentInit ? 'orthogonal' : 'glorotUniform';
  const input = tfl.input({ shape: [null], dtype: 'int32', name: LAYER_NAMES.input });
  let x = tfl.layers
    .embedding({ inputDim: arch.vocabSize, outputDim: arch.embeddingDim, name: LAYER_NAMES.embedding })
    .apply(input) as tfl.SymbolicTensor;
  for (let layer = 0; layer < arch.layers; layer++) {
    const common = { units: arch.units, returnSequences: true, recurrentInitializer, name: LAYER_NAMES.rnn(layer) } as const;
    const rnn =
      arch.cell === 'gru'
        ? tfl.layers.gru({ ...common, recurrentActivation: 'sigmoid' })
        : arch.cell === 'lstm'
          ? tfl.layers.lstm({ ...common, recurrentActivation: 'sigmoid' })
          : tfl.layers.simpleRNN(common);
    x = rnn.apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.dropout({ rate: arch.dropout, name: LAYER_NAMES.dropout(layer) }).apply(x) as tfl.SymbolicTensor;
  }
  const output = tfl.layers
    .dense({ units: arch.numClasses, activation: 'softmax', name: LAYER_NAMES.output })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: 'sentiment_lens' });
}

/**
 * Copies `weights` into the model's variables (the model must have been built for the same
 * architecture, in weightShapes() order). The arrays given are not kept or changed.
 * @throws Error naming the first weight whose size differs.
 */
export function setNetworkWeights(model: tfl.LayersModel, weights: NetworkWeights): void {
  const arrays = flattenWeights(weights);
  const variables = model.weights;
  if (variables.length !== arrays.length) {
    throw new Error(`the model has ${variables.length} weight tensors but NetworkWeights has ${arrays.length}`);
  }
  const tensors = variables.map((variable, i) => {
    const shape = variable.shape as number[]; // weights always have a fully known shape
    const size = shape.reduce((a, b) => a * b, 1);
    if (arrays[i].length !== size) {
      throw new Error(`weight ${variable.originalName}: the model expects ${size} values (shape [${shape}]), got ${arrays[i].length}`);
    }
    // tf.tensor keeps a typed array by reference (no copy on the cpu backend) and Variable.assign
    // adopts that storage, so without this copy the caller's array would alias the model's weight.
    return tf.tensor(Float32Array.from(arrays[i]), shape, 'float32');
  });
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * Reads the model's weights as NetworkWeights (fresh Float32Array copies, Keras layout; see
 * architecture.ts). `arch` must be the architecture the model was built from.
 */
export function getNetworkWeights(model: tfl.LayersModel, arch: Architecture): NetworkWeights {
  const expected = weightShapes(arch);
  const variables = model.weights;
  if (variables.length !== expected.length) {
    throw new Error(`the model has ${variables.length} weight tensors; architecture expects ${expected.length}`);
  }
  const arrays = variables.map((variable) => Float32Array.from(variable.read().dataSync() as Float32Array));
  return unflattenWeights(arch, arrays);
}

/** What predictWithLayers returns. */
export interface LayersPrediction {
  /** Softmax at every step, [batchSize, timeSteps, numClasses] row-major; steps >= length are 0. */
  readonly stepProbabilities: Float32Array;
  /** Softmax at each sentence's last real token (step length-1), [batchSize, numClasses]; all 0 for an empty sentence. */
  readonly finalProbabilities: Float32Array;
}

/**
 * Runs the model in inference mode (dropout off) on a padded batch. `batch.ids` is int32
 * [batchSize, timeSteps]; the result is described by LayersPrediction. Creates no lasting tensors.
 * The tfjs backend must be ready (see ensureBackend in src/core/model/tfBackend.ts).
 */
export function predictWithLayers(model: tfl.LayersModel, batch: Batch): LayersPrediction {
  const { batchSize, timeSteps, lengths } = batch;
  const stepProbabilities = tf.tidy(() => {
    const ids = tf.tensor2d(batch.ids, [batchSize, timeSteps], 'int32');
    const probabilities = model.predict(ids) as tf.Tensor;
    // dataSync returns the backend's own buffer on the cpu backend: copy before the tidy frees it.
    return Float32Array.from(probabilities.dataSync() as Float32Array);
  });
  const numClasses = batchSize * timeSteps > 0 ? stepProbabilities.length / (batchSize * timeSteps) : 0;
  const finalProbabilities = new Float32Array(batchSize * numClasses);
  for (let row = 0; row < batchSize; row++) {
    const length = Math.min(lengths[row], timeSteps);
    const rowStart = row * timeSteps * numClasses;
    if (length > 0) {
      const last = rowStart + (length - 1) * numClasses;
      finalProbabilities.set(stepProbabilities.subarray(last, last + numClasses), row * numClasses);
    }
    stepProbabilities.fill(0, rowStart + Math.max(length, 0) * numClasses, rowStart + timeSteps * numClasses);
  }
  return { stepProbabilities, finalProbabilities };
}

function checkArchitecture(arch: Architecture): void {
  const positive = ['vocabSize', 'embeddingDim', 'units', 'layers'] as const;
  for (const key of positive) {
    if (!Number.isInteger(arch[key]) || arch[key] < 1) throw new Error(`architecture.${key} must be a positive integer, got ${arch[key]}`);
  }
  if (!Number.isInteger(arch.numClasses) || arch.numClasses < 2) throw new Error(`architecture.numClasses must be an integer >= 2, got ${arch.numClasses}`);
  if (!(arch.dropout >= 0 && arch.dropout < 1)) throw new Error(`architecture.dropout must be in [0, 1), got ${arch.dropout}`);
  if (!['gru', 'lstm', 'simple'].includes(arch.cell)) throw new Error(`architecture.cell must be gru, lstm or simple, got ${arch.cell}`);
}
