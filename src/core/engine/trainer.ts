/**
 * Training with the fast engine: loss and gradients (network.ts), clipping by global norm, and
 * Adam with the tfjs / Keras update rule.
 */
import type { Batch } from '../model/batching';
import { flattenWeights, unflattenWeights, type Architecture, type NetworkWeights } from '../model/architecture';
import { cloneWeights } from './initWeights';
import {
  NetworkEngine,
  type DropoutKey,
  type EngineGradients,
  type LossAndGradients,
  type SparseEmbeddingGradient,
} from './network';
import { OptimizerMemory, optimizerLayout, type AdamRange, type AdamStep } from './optimizerMemory';

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
  /** Seed of the dropout masks (default 0); see {@link DropoutKey}. */
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
  /**
   * Threads computing each batch's gradients, for {@link createTrainer}: 1, or 2 (a helper
   * worker_thread takes half of every batch; see parallelTrainer.ts). Default: 2 when the machine
   * has at least two CPUs ({@link defaultTrainingThreads}). `new Trainer` always uses one.
   */
  threads?: 1 | 2;
  /**
   * Decay of a moving average of the weights (0 < decay < 1; default: none): started at the weights
   * after the first step, then after every step average = f32(decay * average + (1 - decay) *
   * weights), in float64 with one rounding, in the same sweep as Adam. See {@link Trainer.averageWeights}.
   */
  weightAveraging?: number;
  /** Told when the helper thread cannot start or fails (training then goes on in one thread). */
  onWarning?: (message: string) => void;
  /**
   * The helper thread's entry script, from the entry point (dist/engineHelper.js when bundled).
   * Required for two threads: {@link createTrainer} (unless `threads` is 1) and a ParallelTrainer
   * throw a MissingHelperScriptError without it.
   */
  helperScript?: string;
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
 * Dropout is applied only when `dropout` is given. The embedding gradient is dense
 * [vocabSize, E] here.
 */
export function computeGradients(
  arch: Architecture,
  weights: NetworkWeights,
  batch: Batch,
  dropout?: DropoutKey,
): GradientResult {
  const result = new NetworkEngine().lossAndGradients(arch, weights, batch, dropout, true);
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

/** Every gradient array (the sparse embedding's row values included), views not copies. */
function gradientArrays(gradients: EngineGradients): Float32Array[] {
  return [
    ...(gradients.embedding ? [gradients.embedding.values] : []),
    ...gradients.rnn.flatMap((layer) => [layer.kernel, layer.recurrentKernel, layer.bias]),
    gradients.dense.kernel,
    gradients.dense.bias,
  ];
}

/** Global L2 norm over all gradients (the sparse embedding rows included). */
export function globalNorm(gradients: EngineGradients): number {
  let sum = 0;
  for (const a of gradientArrays(gradients)) {
    for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  }
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
    for (const a of gradientArrays(gradients)) {
      for (let i = 0; i < a.length; i++) a[i] *= scale;
    }
  }
  return norm;
}

/**
 * Trains a copy of the given weights with Adam, in the calling thread. `weights` is the trainer's
 * own copy, updated in place by every trainBatch (read it, or call snapshot() for a copy).
 * Deterministic given the seed. See {@link createTrainer} for the two-thread variant.
 */
export class Trainer {
  /**
   * The weights being trained (owned by the trainer; updated in place). The arrays are views of
   * the optimizer's shared WebAssembly memory (a SharedArrayBuffer), which never grows after
   * construction.
   */
  readonly weights: NetworkWeights;
  /**
   * The weights' moving average (options.weightAveraging; views of the optimizer memory, updated in
   * place after every step: a Predictor built on them reads each update), or undefined without it.
   * Before the first step it holds zeros; after it, a copy of the weights.
   */
  readonly averageWeights: NetworkWeights | undefined;
  /** Adam steps taken. */
  step = 0;
  protected readonly engine = new NetworkEngine();
  protected readonly seed: number;
  protected readonly trainEmbedding: boolean;
  private readonly learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly clipNorm: number;
  private readonly embeddingUpdate: 'dense' | 'lazy';
  /** The moving average's factors (keep: the decay as float32; take: 1 - keep), when kept. */
  private readonly average: { readonly keep: number; readonly take: number } | undefined;
  /** Weights, gradients and Adam moments of every weight array, in flattenWeights() order (shared memory). */
  protected readonly optimizer: OptimizerMemory;
  /** Per embedding row, the last mark gatherGradients gave it (marks grow by 2 per step). */
  private rowMarks = new Int32Array(0);
  private markCount = 0;

  constructor(
    protected readonly arch: Architecture,
    weights: NetworkWeights,
    options: TrainerOptions = {},
  ) {
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.clipNorm = options.clipNorm ?? 5;
    this.trainEmbedding = options.trainEmbedding ?? true;
    this.embeddingUpdate = options.embeddingUpdate ?? 'dense';
    this.seed = options.seed ?? 0;
    const decay = options.weightAveraging ?? 0;
    if (!(decay >= 0 && decay < 1)) throw new Error(`weightAveraging must be in [0, 1) (got ${decay})`);
    const keep = Math.fround(decay);
    this.average = decay > 0 ? { keep, take: 1 - keep } : undefined;
    // Each array padded to a multiple of 16 floats (zeros), so the SIMD Adam runs over whole vectors.
    const arrays = flattenWeights(weights);
    this.optimizer = new OptimizerMemory(
      optimizerLayout(
        arrays.map((w) => w.length),
        arrays.map((_, i) => i === 0 && !this.trainEmbedding),
        this.average !== undefined,
      ),
    );
    const views = arrays.map((w, i) => {
      const view = this.optimizer.weights(i);
      view.set(w);
      return view;
    });
    this.weights = unflattenWeights(arch, views);
    this.averageWeights = this.average
      ? unflattenWeights(
          arch,
          arrays.map((_, i) => this.optimizer.average(i)),
        )
      : undefined;
  }

  /** A deep copy of the current weights. */
  snapshot(): NetworkWeights {
    return cloneWeights(this.weights);
  }

  /** Threads computing each step's gradients (1 here; see ParallelTrainer). */
  get threads(): number {
    return 1;
  }

  /** Releases what the trainer holds beyond memory (nothing here; ParallelTrainer's helper thread). */
  dispose(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * One step: forward with dropout, loss (final-token, or per-step when batch.stepLabels is
   * set), BPTT, clipping by global norm, Adam update. Dropout masks are keyed by
   * (seed, step, layer, sentence index in the batch).
   */
  trainBatch(batch: Batch): TrainStepResult {
    const dropout = this.arch.dropout > 0 ? { seed: this.seed, step: this.step } : undefined;
    const parts = this.gradientParts(batch, dropout);
    let loss = 0;
    let correct = 0;
    let count = 0;
    for (const part of parts) {
      loss += part.loss;
      correct += part.correct;
      count += part.count;
    }
    if (this.embeddingUpdate === 'lazy') {
      const gradients = parts.reduce((sum, part) => sumGradients(sum, part, this.arch.embeddingDim)).gradients;
      const gradientNorm = globalNorm(gradients);
      this.applyAdam(gradients, this.clipScale(gradientNorm));
      // The lazy embedding update ran in JavaScript: the average follows over every weight here.
      if (this.average && this.step === 1) this.optimizer.startAverage();
      else if (this.average) this.optimizer.adam(this.averageOnlyRanges([]), this.adamStep(1));
      return { loss, correct, count, gradientNorm };
    }
    const gradientNorm = this.gatherGradients(parts);
    this.step++;
    const all = this.optimizer.allRanges();
    const embedding = parts.some((part) => part.gradients.embedding !== null);
    const ranges = embedding ? all : all.filter((range) => range.slot !== 0);
    // The average starts at the first step's weights; from the second on it follows in Adam's sweep
    // (and alone over the weights this step leaves unchanged).
    const averaging = this.average !== undefined && this.step > 1;
    this.runAdam(
      averaging ? [...ranges, ...this.averageOnlyRanges(ranges)] : ranges,
      this.adamStep(this.clipScale(gradientNorm), averaging),
    );
    if (this.average && this.step === 1) this.optimizer.startAverage();
    // The embedding's gradient is zero again outside the next batch's rows.
    const data = this.optimizer.data;
    const g = this.optimizer.layout.slots[0].g;
    const E = this.arch.embeddingDim;
    for (const part of parts) {
      const rows = part.gradients.embedding?.rows ?? [];
      for (let k = 0; k < rows.length; k++) data.fill(0, g + rows[k] * E, g + rows[k] * E + E);
    }
    return { loss, correct, count, gradientNorm };
  }

  /** The scalars of this step's Adam update (after this.step is incremented). */
  private adamStep(scale: number, averaging = true): AdamStep {
    const { beta1, beta2, epsilon, learningRate } = this;
    return {
      learningRate,
      beta1,
      beta2,
      epsilon,
      c1: 1 - Math.pow(beta1, this.step),
      c2: 1 - Math.pow(beta2, this.step),
      scale,
      ...(averaging && this.average ? { average: this.average } : {}),
    };
  }

  /** The whole of every slot that `adamRanges` leave out, for the average alone. */
  private averageOnlyRanges(adamRanges: readonly AdamRange[]): AdamRange[] {
    return this.optimizer.layout.slots
      .map((slot, i) => ({ slot: i, from: 0, to: slot.span, averageOnly: true }))
      .filter((range) => !adamRanges.some((adam) => adam.slot === range.slot));
  }

  /** The factor that clips gradients of global norm `norm` to clipNorm (1 when they are shorter or clipping is off). */
  private clipScale(norm: number): number {
    const clip = this.clipNorm > 0 && Number.isFinite(this.clipNorm) && norm > this.clipNorm;
    return clip ? this.clipNorm / norm : 1;
  }

  /**
   * Loss and gradients of a whole batch at the current weights, in parts that add up to the
   * whole batch's (one part here; a ParallelTrainer's two halves). Their sum is taken in order.
   */
  protected gradientParts(batch: Batch, dropout: DropoutKey | undefined): LossAndGradients[] {
    return [this.engine.lossAndGradients(this.arch, this.weights, batch, dropout, this.trainEmbedding)];
  }

  /**
   * Writes the sum of the parts' gradients into the optimizer memory's gradient slots (the
   * embedding's rows into its dense gradient, whose other rows are zero) and returns their global
   * norm. The same float32 sums and the same norm, summed in the same order, as
   * {@link sumGradients} then {@link globalNorm}: the embedding's rows in order of first
   * appearance across the parts, then the recurrent and dense arrays.
   */
  private gatherGradients(parts: LossAndGradients[]): number {
    const data = this.optimizer.data;
    const slots = this.optimizer.layout.slots;
    const E = this.arch.embeddingDim;
    let sum = 0;
    if (parts.some((part) => part.gradients.embedding)) {
      const g = slots[0].g;
      if (this.rowMarks.length !== this.arch.vocabSize) this.rowMarks = new Int32Array(this.arch.vocabSize);
      const marks = this.rowMarks;
      const written = ++this.markCount;
      const counted = ++this.markCount;
      for (const part of parts) {
        const { rows, values } = part.gradients.embedding ?? EMPTY_SPARSE;
        for (let k = 0; k < rows.length; k++) {
          const at = g + rows[k] * E;
          if (marks[rows[k]] === written) for (let e = 0; e < E; e++) data[at + e] += values[k * E + e];
          else data.set(values.subarray(k * E, k * E + E), at);
          marks[rows[k]] = written;
        }
      }
      for (const part of parts) {
        const rows = part.gradients.embedding?.rows ?? EMPTY_SPARSE.rows;
        for (let k = 0; k < rows.length; k++) {
          if (marks[rows[k]] === counted) continue;
          marks[rows[k]] = counted;
          const at = g + rows[k] * E;
          for (let e = 0; e < E; e++) sum += data[at + e] * data[at + e];
        }
      }
    }
    const arrays = parts.map((part) => gradientArrays({ ...part.gradients, embedding: null }));
    for (let k = 0; k < arrays[0].length; k++) {
      const g = slots[k + 1].g;
      const first = arrays[0][k];
      if (arrays.length === 1) {
        data.set(first, g);
        for (let i = 0; i < first.length; i++) sum += first[i] * first[i];
        continue;
      }
      if (arrays.length !== 2) throw new Error(`gatherGradients: ${arrays.length} parts`);
      const second = arrays[1][k];
      for (let i = 0; i < first.length; i++) {
        const x = Math.fround(first[i] + second[i]);
        data[g + i] = x;
        sum += x * x;
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * Runs Adam over the given ranges of the optimizer memory (gradients in place). A
   * ParallelTrainer gives part of them to its helper thread.
   */
  protected runAdam(ranges: AdamRange[], step: AdamStep): void {
    this.optimizer.adam(ranges, step);
  }

  /** Adam on every weight with the gradients scaled by `scale` (clipping); the 'lazy' embedding update. */
  private applyAdam(gradients: EngineGradients, scale: number): void {
    this.step++;
    const adamStep = this.adamStep(scale, false);
    const { beta1, beta2, epsilon, learningRate, c1, c2 } = adamStep;
    const optimizer = this.optimizer;
    const data = optimizer.data;
    const slots = optimizer.layout.slots;
    const grads = [
      null,
      ...gradients.rnn.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]),
      gradients.dense.kernel,
      gradients.dense.bias,
    ];
    const ranges: AdamRange[] = [];
    for (let k = 1; k < slots.length; k++) {
      data.set(grads[k]!, slots[k].g);
      ranges.push({ slot: k, from: 0, to: slots[k].padded });
    }
    const sparse = gradients.embedding;
    if (!this.trainEmbedding || !sparse) {
      this.runAdam(ranges, adamStep);
      return;
    }
    const E = this.arch.embeddingDim;
    const slot = slots[0];
    if (this.embeddingUpdate === 'lazy') {
      this.runAdam(ranges, adamStep);
      const m = data.subarray(slot.m, slot.m + slot.length);
      const v = data.subarray(slot.v, slot.v + slot.length);
      const values = sparse.values;
      if (scale !== 1) for (let i = 0; i < values.length; i++) values[i] *= scale;
      for (let k = 0; k < sparse.rows.length; k++) {
        adamRow(
          this.weights.embedding,
          values,
          m,
          v,
          sparse.rows[k] * E,
          k * E,
          E,
          learningRate,
          beta1,
          beta2,
          epsilon,
          c1,
          c2,
        );
      }
      return;
    }
    // Dense Adam, as tfjs / Keras do: the batch's rows are scattered into a zero gradient and
    // every row is updated. Rows never touched have zero moments, so their update is exactly 0.
    for (let k = 0; k < sparse.rows.length; k++) {
      data.set(sparse.values.subarray(k * E, k * E + E), slot.g + sparse.rows[k] * E);
    }
    ranges.push({ slot: 0, from: 0, to: slot.padded });
    this.runAdam(ranges, adamStep);
    for (let k = 0; k < sparse.rows.length; k++) {
      data.fill(0, slot.g + sparse.rows[k] * E, slot.g + sparse.rows[k] * E + E);
    }
  }
}

/** Adam over one embedding row at wAt with its gradient at gAt in `g`. */
function adamRow(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  wAt: number,
  gAt: number,
  n: number,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  c1: number,
  c2: number,
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

const EMPTY_SPARSE: SparseEmbeddingGradient = { rows: new Int32Array(0), values: new Float32Array(0) };

/** The sum of two parts' losses, counts and gradients (`a`'s arrays are added into, in place). */
export function sumGradients(a: LossAndGradients, b: LossAndGradients, E: number): LossAndGradients {
  const add = (into: Float32Array, from: Float32Array) => {
    for (let i = 0; i < into.length; i++) into[i] += from[i];
  };
  a.gradients.rnn.forEach((layer, l) => {
    const other = b.gradients.rnn[l];
    add(layer.kernel, other.kernel);
    add(layer.recurrentKernel, other.recurrentKernel);
    add(layer.bias, other.bias);
  });
  add(a.gradients.dense.kernel, b.gradients.dense.kernel);
  add(a.gradients.dense.bias, b.gradients.dense.bias);
  const ea = a.gradients.embedding;
  const eb = b.gradients.embedding;
  return {
    loss: a.loss + b.loss,
    correct: a.correct + b.correct,
    count: a.count + b.count,
    gradients: { ...a.gradients, embedding: ea && eb ? mergeSparse(ea, eb, E) : (ea ?? eb) },
  };
}

/** The sum of two sparse embedding gradients (rows of `a` first, then `b`'s new rows). */
function mergeSparse(a: SparseEmbeddingGradient, b: SparseEmbeddingGradient, E: number): SparseEmbeddingGradient {
  const slot = new Map<number, number>();
  a.rows.forEach((row, k) => slot.set(row, k));
  let extra = 0;
  b.rows.forEach((row) => {
    if (!slot.has(row)) slot.set(row, a.rows.length + extra++);
  });
  const rows = new Int32Array(a.rows.length + extra);
  const values = new Float32Array(rows.length * E);
  rows.set(a.rows);
  values.set(a.values);
  b.rows.forEach((row, k) => {
    const s = slot.get(row)!;
    rows[s] = row;
    const at = s * E;
    for (let e = 0; e < E; e++) values[at + e] += b.values[k * E + e];
  });
  return { rows, values };
}
