/**
 * Training with the fast engine: loss and gradients (network.ts), clipping by global norm, and
 * Adam with the tfjs / Keras update rule.
 */
import type { Batch } from '../batching';
import { flattenWeights, type Architecture, type NetworkWeights } from '../model/architecture';
import { cloneWeights } from './initWeights';
import { NetworkEngine, type EngineGradients } from './network';
import { Random } from './random';

/** Options of a {@link Trainer}. */
export interface TrainerOptions {
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Adam beta1 (default 0.9). */
  beta1?: number;
  /** Adam beta2 (default 0.999). */
  beta2?: number;
  /** Adam epsilon, added to sqrt(v-hat) as in tfjs (default 1e-7). */
  epsilon?: number;
  /** Global-norm clipping threshold; 0 or Infinity disables (default 5). */
  clipNorm?: number;
  /** Seed of the dropout masks (default 0). */
  seed?: number;
  /** Whether the embedding is trained (default true). */
  trainEmbedding?: boolean;
  /**
   * How Adam treats embedding rows the batch does not touch (their gradient is zero):
   * 'dense' (default) applies exact dense Adam to every row, as tfjs / Keras do; rows never
   * touched since the start are skipped, which is exact because their moments are zero.
   * 'lazy' updates only the rows the batch touched (TF LazyAdam): cheaper, not identical.
   */
  embeddingUpdate?: 'dense' | 'lazy';
}

/** Result of one training step. */
export interface TrainStepResult {
  /** Mean cross-entropy of the batch before the update. */
  loss: number;
  /** Loss positions predicted correctly (before the update). */
  correct: number;
  /** Loss positions: sentences, or labelled steps for a per-step loss. */
  count: number;
  /** Global gradient norm before clipping. */
  gradientNorm: number;
}

/** Gradients with the same shapes as NetworkWeights (embedding dense; zeros when frozen). */
export interface GradientResult {
  loss: number;
  correct: number;
  count: number;
  gradients: NetworkWeights;
}

/**
 * Loss and gradients of `batch` without changing any weights (for tests and tooling).
 * Dropout is applied only when `dropoutRng` is given. The embedding gradient is dense
 * [vocabSize, E] here.
 */
export function computeGradients(arch: Architecture, weights: NetworkWeights, batch: Batch, dropoutRng?: Random): GradientResult {
  const result = new NetworkEngine().lossAndGradients(arch, weights, batch, dropoutRng, true);
  const embedding = new Float32Array(arch.vocabSize * arch.embeddingDim);
  const sparse = result.gradients.embedding!;
  const E = arch.embeddingDim;
  sparse.rows.forEach((row, k) => embedding.set(sparse.values.subarray(k * E, (k + 1) * E), row * E));
  return {
    loss: result.loss,
    correct: result.correct,
    count: result.count,
    gradients: { embedding, rnn: result.gradients.rnn, dense: result.gradients.dense },
  };
}

/** Global L2 norm over all gradients (the sparse embedding rows included). */
export function globalNorm(gradients: EngineGradients): number {
  let sum = 0;
  const add = (a: Float32Array) => {
    for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  };
  if (gradients.embedding) add(gradients.embedding.values);
  for (const layer of gradients.rnn) {
    add(layer.kernel);
    add(layer.recurrentKernel);
    add(layer.bias);
  }
  add(gradients.dense.kernel);
  add(gradients.dense.bias);
  return Math.sqrt(sum);
}

/**
 * Scales all gradients in place so that their global norm is at most `clipNorm`
 * (tf.clip_by_global_norm: g * clipNorm / max(norm, clipNorm)). Returns the norm before clipping.
 */
export function clipByGlobalNorm(gradients: EngineGradients, clipNorm: number): number {
  const norm = globalNorm(gradients);
  if (clipNorm > 0 && Number.isFinite(clipNorm) && norm > clipNorm) {
    const scale = clipNorm / norm;
    const mul = (a: Float32Array) => {
      for (let i = 0; i < a.length; i++) a[i] *= scale;
    };
    if (gradients.embedding) mul(gradients.embedding.values);
    for (const layer of gradients.rnn) {
      mul(layer.kernel);
      mul(layer.recurrentKernel);
      mul(layer.bias);
    }
    mul(gradients.dense.kernel);
    mul(gradients.dense.bias);
  }
  return norm;
}

/**
 * Trains a copy of the given weights with Adam. `weights` is the trainer's own copy, updated in
 * place by every trainBatch (read it, or call snapshot() for a copy). Deterministic given the seed.
 */
export class Trainer {
  /** The weights being trained (owned by the trainer; updated in place). */
  readonly weights: NetworkWeights;
  /** Adam steps taken. */
  step = 0;
  private readonly engine = new NetworkEngine();
  private readonly rng: Random;
  private readonly learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly clipNorm: number;
  private readonly trainEmbedding: boolean;
  private readonly embeddingUpdate: 'dense' | 'lazy';
  private readonly firstMoments: Float32Array[];
  private readonly secondMoments: Float32Array[];
  /** Embedding rows whose moments may be non-zero (touched at least once). */
  private readonly rowTouched: Uint8Array;
  private readonly touchedRows: number[] = [];

  constructor(
    private readonly arch: Architecture,
    weights: NetworkWeights,
    options: TrainerOptions = {},
  ) {
    this.weights = cloneWeights(weights);
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.clipNorm = options.clipNorm ?? 5;
    this.trainEmbedding = options.trainEmbedding ?? true;
    this.embeddingUpdate = options.embeddingUpdate ?? 'dense';
    this.rng = new Random(options.seed ?? 0);
    const flat = flattenWeights(this.weights);
    this.firstMoments = flat.map((w, i) => new Float32Array(i === 0 && !this.trainEmbedding ? 0 : w.length));
    this.secondMoments = flat.map((w, i) => new Float32Array(i === 0 && !this.trainEmbedding ? 0 : w.length));
    this.rowTouched = new Uint8Array(arch.vocabSize);
  }

  /** A deep copy of the current weights. */
  snapshot(): NetworkWeights {
    return cloneWeights(this.weights);
  }

  /**
   * One step: forward with dropout, loss (final-token, or per-step when batch.stepLabels is
   * set), BPTT, clipping by global norm, Adam update.
   */
  trainBatch(batch: Batch): TrainStepResult {
    const { loss, correct, count, gradients } = this.engine.lossAndGradients(
      this.arch, this.weights, batch, this.arch.dropout > 0 ? this.rng : undefined, this.trainEmbedding,
    );
    const gradientNorm = clipByGlobalNorm(gradients, this.clipNorm);
    this.applyAdam(gradients);
    return { loss, correct, count, gradientNorm };
  }

  private applyAdam(gradients: EngineGradients): void {
    this.step++;
    const { beta1, beta2, epsilon, learningRate } = this;
    const c1 = 1 - Math.pow(beta1, this.step);
    const c2 = 1 - Math.pow(beta2, this.step);
    const flat = flattenWeights(this.weights);
    const grads = [
      null,
      ...gradients.rnn.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]),
      gradients.dense.kernel,
      gradients.dense.bias,
    ];
    for (let k = 1; k < flat.length; k++) {
      adamDense(flat[k], grads[k]!, this.firstMoments[k], this.secondMoments[k], 0, flat[k].length, learningRate, beta1, beta2, epsilon, c1, c2);
    }
    if (this.trainEmbedding && gradients.embedding) this.applyEmbeddingAdam(gradients.embedding.rows, gradients.embedding.values, c1, c2);
  }

  private applyEmbeddingAdam(rows: Int32Array, values: Float32Array, c1: number, c2: number): void {
    const E = this.arch.embeddingDim;
    const w = this.weights.embedding;
    const m = this.firstMoments[0];
    const v = this.secondMoments[0];
    const { beta1, beta2, epsilon, learningRate } = this;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      if (!this.rowTouched[row]) {
        this.rowTouched[row] = 1;
        this.touchedRows.push(row);
      }
    }
    if (this.embeddingUpdate === 'lazy') {
      for (let k = 0; k < rows.length; k++) {
        adamRow(w, values, m, v, rows[k] * E, k * E, E, learningRate, beta1, beta2, epsilon, c1, c2);
      }
      return;
    }
    // Dense Adam: rows with a gradient get the full update, every other row that has ever been
    // touched gets the zero-gradient update (moments decay, weight keeps moving); rows never
    // touched have zero moments and an exactly zero update, so they are skipped.
    const slot = new Map<number, number>();
    for (let k = 0; k < rows.length; k++) slot.set(rows[k], k);
    for (const row of this.touchedRows) {
      const k = slot.get(row);
      if (k !== undefined) adamRow(w, values, m, v, row * E, k * E, E, learningRate, beta1, beta2, epsilon, c1, c2);
      else adamZeroGradient(w, m, v, row * E, E, learningRate, beta1, beta2, epsilon, c1, c2);
    }
  }
}

/** Adam over w[from, to) with gradient g (same indexing). */
function adamDense(
  w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, from: number, to: number,
  lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number,
): void {
  const oneMinusB1 = 1 - beta1;
  const oneMinusB2 = 1 - beta2;
  for (let i = from; i < to; i++) {
    const gi = g[i];
    const mi = (m[i] = beta1 * m[i] + oneMinusB1 * gi);
    const vi = (v[i] = beta2 * v[i] + oneMinusB2 * gi * gi);
    w[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
}

/** Adam over one embedding row at wAt with its gradient at gAt in `g`. */
function adamRow(
  w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, wAt: number, gAt: number, n: number,
  lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number,
): void {
  const oneMinusB1 = 1 - beta1;
  const oneMinusB2 = 1 - beta2;
  for (let e = 0; e < n; e++) {
    const i = wAt + e;
    const gi = g[gAt + e];
    const mi = (m[i] = beta1 * m[i] + oneMinusB1 * gi);
    const vi = (v[i] = beta2 * v[i] + oneMinusB2 * gi * gi);
    w[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
}

/** Adam with a zero gradient over w[at, at + n). */
function adamZeroGradient(
  w: Float32Array, m: Float32Array, v: Float32Array, at: number, n: number,
  lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number,
): void {
  for (let i = at; i < at + n; i++) {
    const mi = (m[i] *= beta1);
    const vi = (v[i] *= beta2);
    w[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
}
