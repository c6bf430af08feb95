/**
 * Skip-gram word2vec with negative sampling (Mikolov et al. 2013), used to pretrain the classifier's
 * embedding from unlabelled id sequences. A single synchronous loop, deterministic for a seed: the
 * sampling (subsampling, window, negatives) in TypeScript, each (context, centre) update with its
 * negatives in a WebAssembly SIMD kernel (scripts/skipgramWat.ts; float32, four lanes).
 *
 * Follows the reference word2vec.c: unigram^0.75 negative-sampling table, dynamic window (the window
 * shrinks by a random amount per centre word), subsampling of frequent words, a precomputed sigmoid
 * table saturating at |x| = 6, and a learning rate decayed linearly over all epochs to 1e-4 of its start.
 */
import { SKIPGRAM_WASM_BASE64 } from '../engine/skipgramBinary';

/** Options of {@link trainSkipGram}. */
export interface SkipGramOptions {
  /** Embedding width; a positive integer. */
  dim: number;
  /** Maximum distance between centre and context word; each centre word uses a random 1..window. Default 5. */
  window?: number;
  /** Negative samples per (centre, context) pair; a positive integer. Default 5. */
  negatives?: number;
  /** Passes over the sequences; a positive integer. Default 5. */
  epochs?: number;
  /** Starting learning rate, decayed linearly to 1e-4 of itself by the end. Default 0.025. */
  learningRate?: number;
  /** Frequent-word subsampling threshold (word2vec `-sample`); 0 turns subsampling off. Default 1e-3 (word2vec.c's default; 1e-4 discards most occurrences of common words in a corpus as small as the movie reviews). */
  subsample?: number;
  /** Ids occurring fewer times than this are dropped from the text and keep their small init. Default 5. */
  minCount?: number;
  /** Seed of the module's own PRNG; an integer. Same inputs and seed give the same vectors. */
  seed: number;
  /**
   * Called with the fraction of work done (0..1, non-decreasing) about every 1% and once with 1 at the end.
   * Training runs synchronously, so this callback is also where a caller can abort `signal`.
   */
  onProgress?: (fraction: number) => void;
  /**
   * Checked every few thousand tokens; when aborted, training throws `signal.reason` (an `AbortError`
   * DOMException unless another reason was given). Because training is synchronous, the signal can only
   * become aborted from within `onProgress` (or before the call), e.g. after reading a shared cancel flag.
   */
  signal?: AbortSignal;
}

/** Per-component standard deviation of uniform[-1, 1] (= 1/sqrt(3)), the RNN's random embedding init. */
export const SKIPGRAM_TARGET_STD = 1 / Math.sqrt(3);

/** Rows never trained (PAD, OOV, ids below minCount or absent) are uniform[-limit, limit] with this limit. */
export const SKIPGRAM_UNTRAINED_LIMIT = 0.05;

const PAD_ID = 0;
const OOV_ID = 1;
const FIRST_WORD_ID = 2;
const NEGATIVE_TABLE_SIZE = 1_000_000;
const MIN_LEARNING_RATE_FRACTION = 1e-4;
const ABORT_CHECK_TOKENS = 2048;

/** Saturation of the sigmoid table: |x| > SKIPGRAM_MAX_EXP gives 0 or 1 (word2vec.c's MAX_EXP). */
export const SKIPGRAM_MAX_EXP = 6;
/** Steps of the sigmoid table over [-SKIPGRAM_MAX_EXP, SKIPGRAM_MAX_EXP] (it holds SIZE + 1 values). */
export const SKIPGRAM_SIGMOID_TABLE_SIZE = 1000;

/**
 * Trains skip-gram input vectors on id sequences and returns them as an embedding initialisation.
 *
 * Ids 0 (PAD) and 1 (OOV) are never centre or context words: like unknown words in word2vec they are
 * removed from a sequence before windowing, as are ids occurring fewer than `minCount` times. Context
 * never crosses sequence boundaries. Inputs are not changed.
 *
 * Scaling: the trained rows are centred (their mean vector subtracted) and multiplied by one global factor
 * so that their per-component standard deviation equals {@link SKIPGRAM_TARGET_STD}, that of the
 * uniform[-1, 1] init the RNN uses otherwise. On a small corpus skip-gram vectors share a large common
 * direction (raw cosines near 1 between unrelated words) that would make every word look alike to the RNN;
 * centring removes it, and a single factor keeps the relative geometry. Components are not clipped: the largest
 * reach 7 to 13 (12 to 23 standard deviations) on the movie-review text. Rows never
 * trained get a small uniform[-{@link SKIPGRAM_UNTRAINED_LIMIT}, +limit] init that depends only on
 * the seed, vocabSize and dim, not on the text. If no id is trainable, every row is such an init.
 *
 * @param sequences id sequences (int32), each id in [0, vocabSize).
 * @param vocabSize number of ids, including PAD and OOV; at least 2.
 * @returns input vectors [vocabSize, dim] row-major float32.
 * @throws RangeError for invalid options or an id out of range; `signal.reason` when aborted.
 */
export function trainSkipGram(
  sequences: readonly Int32Array[],
  vocabSize: number,
  options: SkipGramOptions,
): Float32Array {
  const settings = validateOptions(vocabSize, options);
  const { dim, window, negatives, epochs, learningRate, subsample, minCount } = settings;
  const { onProgress, signal } = options;
  signal?.throwIfAborted();

  const random = mulberry32(options.seed);
  // Drawn first, so untrained rows depend only on seed, vocabSize and dim.
  const inputVectors = new Float32Array(vocabSize * dim);
  for (let i = 0; i < inputVectors.length; i++) inputVectors[i] = (random() - 0.5) / dim;
  const untrainedScale = 2 * SKIPGRAM_UNTRAINED_LIMIT * dim; // maps (random - 0.5) / dim onto ±limit

  const counts = countIds(sequences, vocabSize);
  const trainable = new Uint8Array(vocabSize);
  let trainWords = 0;
  let longest = 0;
  for (let id = FIRST_WORD_ID; id < vocabSize; id++) {
    if (counts[id] >= minCount) {
      trainable[id] = 1;
      trainWords += counts[id];
    }
  }
  for (const seq of sequences) longest = Math.max(longest, seq.length);

  if (trainWords > 0) {
    const keepProbability = subsamplingKeepProbabilities(counts, trainable, trainWords, subsample);
    const negativeTable = buildNegativeTable(counts, trainable);
    const kernel = new SkipGramKernel(vocabSize, dim, negatives);
    kernel.setInputVectors(inputVectors);
    const sentence = new Int32Array(longest);
    const targets = kernel.targets;
    const totalWords = epochs * trainWords;
    const progressStep = Math.max(1, Math.floor(totalWords / 100));
    let nextProgress = progressStep;
    let nextAbortCheck = ABORT_CHECK_TOKENS;
    let wordsSeen = 0;

    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const seq of sequences) {
        let length = 0;
        for (let i = 0; i < seq.length; i++) {
          const id = seq[i];
          if (trainable[id] === 0) continue;
          wordsSeen++;
          if (keepProbability[id] < 1 && keepProbability[id] < random()) continue;
          sentence[length++] = id;
        }
        if (wordsSeen >= nextAbortCheck) {
          nextAbortCheck = wordsSeen + ABORT_CHECK_TOKENS;
          signal?.throwIfAborted();
        }
        if (wordsSeen >= nextProgress && wordsSeen < totalWords) {
          nextProgress = wordsSeen + progressStep;
          onProgress?.(wordsSeen / totalWords);
          signal?.throwIfAborted();
        }
        const alpha = learningRate * Math.max(MIN_LEARNING_RATE_FRACTION, 1 - wordsSeen / (totalWords + 1));

        for (let pos = 0; pos < length; pos++) {
          const centre = sentence[pos];
          const span = window - Math.floor(random() * window); // 1..window
          const from = Math.max(0, pos - span);
          const to = Math.min(length - 1, pos + span);
          for (let c = from; c <= to; c++) {
            if (c === pos) continue;
            // As in word2vec.c: the context word's input vector predicts the centre word (first
            // target, label 1) against the negatives drawn from the table (label 0).
            targets[0] = centre;
            let count = 1;
            for (let d = 1; d <= negatives; d++) {
              const target = negativeTable[Math.floor(random() * negativeTable.length)];
              if (target !== centre) targets[count++] = target;
            }
            kernel.pair(sentence[c], count, alpha);
          }
        }
      }
    }
    kernel.readInputVectors(inputVectors);
  }

  postprocess(inputVectors, trainable, dim, untrainedScale);
  onProgress?.(1);
  return inputVectors;
}

/**
 * Centres the trained rows (subtracts their mean vector) and scales them to SKIPGRAM_TARGET_STD per
 * component; multiplies untrained rows by `untrainedScale`. Changes `vectors` in place.
 */
function postprocess(vectors: Float32Array, trainable: Uint8Array, dim: number, untrainedScale: number): void {
  const trainedRows = countTrainable(trainable);
  const mean = new Float64Array(dim);
  for (let id = 0; id < trainable.length; id++) {
    if (trainable[id] === 0) continue;
    for (let k = 0; k < dim; k++) mean[k] += vectors[id * dim + k] / trainedRows;
  }
  let sumSquares = 0;
  for (let id = 0; id < trainable.length; id++) {
    if (trainable[id] === 0) continue;
    for (let k = 0; k < dim; k++) sumSquares += (vectors[id * dim + k] - mean[k]) ** 2;
  }
  const rms = trainedRows > 0 ? Math.sqrt(sumSquares / (trainedRows * dim)) : 0;
  const trainedScale = rms > 0 ? SKIPGRAM_TARGET_STD / rms : 1;
  for (let id = 0; id < trainable.length; id++) {
    for (let k = 0; k < dim; k++) {
      const i = id * dim + k;
      vectors[i] = trainable[id] === 1 ? (vectors[i] - mean[k]) * trainedScale : vectors[i] * untrainedScale;
    }
  }
}

interface SkipGramSettings {
  dim: number;
  window: number;
  negatives: number;
  epochs: number;
  learningRate: number;
  subsample: number;
  minCount: number;
}

function validateOptions(vocabSize: number, options: SkipGramOptions): SkipGramSettings {
  const settings: SkipGramSettings = {
    dim: options.dim,
    window: options.window ?? 5,
    negatives: options.negatives ?? 5,
    epochs: options.epochs ?? 5,
    learningRate: options.learningRate ?? 0.025,
    subsample: options.subsample ?? 1e-3,
    minCount: options.minCount ?? 5,
  };
  requirePositiveInteger('vocabSize', vocabSize);
  if (vocabSize < FIRST_WORD_ID)
    throw new RangeError(`vocabSize must be at least ${FIRST_WORD_ID} (PAD and OOV), got ${vocabSize}`);
  requirePositiveInteger('dim', settings.dim);
  requirePositiveInteger('window', settings.window);
  requirePositiveInteger('negatives', settings.negatives);
  requirePositiveInteger('epochs', settings.epochs);
  requirePositiveInteger('minCount', settings.minCount);
  if (!(Number.isFinite(settings.learningRate) && settings.learningRate > 0)) {
    throw new RangeError(`learningRate must be a finite number > 0, got ${settings.learningRate}`);
  }
  if (!(Number.isFinite(settings.subsample) && settings.subsample >= 0)) {
    throw new RangeError(`subsample must be a finite number >= 0, got ${settings.subsample}`);
  }
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer, got ${options.seed}`);
  return settings;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function countIds(sequences: readonly Int32Array[], vocabSize: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  sequences.forEach((seq, s) => {
    for (let i = 0; i < seq.length; i++) {
      const id = seq[i];
      if (id < 0 || id >= vocabSize)
        throw new RangeError(`sequence ${s}, position ${i}: id ${id} is outside [0, ${vocabSize})`);
      counts[id]++;
    }
  });
  counts[PAD_ID] = 0;
  counts[OOV_ID] = 0;
  return counts;
}

function countTrainable(trainable: Uint8Array): number {
  let n = 0;
  for (let id = 0; id < trainable.length; id++) n += trainable[id];
  return n;
}

/** word2vec.c's keep probability (sqrt(f / t) + 1) * t / f with f = count, t = sample * trainWords; at most 1. */
function subsamplingKeepProbabilities(
  counts: Float64Array,
  trainable: Uint8Array,
  trainWords: number,
  subsample: number,
): Float64Array {
  const keep = new Float64Array(counts.length).fill(1);
  if (subsample === 0) return keep;
  const threshold = subsample * trainWords;
  for (let id = 0; id < counts.length; id++) {
    if (trainable[id] === 0) continue;
    keep[id] = Math.min(1, ((Math.sqrt(counts[id] / threshold) + 1) * threshold) / counts[id]);
  }
  return keep;
}

/** Table of ids, each filling a share of slots proportional to count^0.75. */
function buildNegativeTable(counts: Float64Array, trainable: Uint8Array): Int32Array {
  const table = new Int32Array(NEGATIVE_TABLE_SIZE);
  let total = 0;
  for (let id = 0; id < counts.length; id++) if (trainable[id] === 1) total += Math.pow(counts[id], 0.75);
  let slot = 0;
  let cumulative = 0;
  for (let id = 0; id < counts.length && slot < table.length; id++) {
    if (trainable[id] === 0) continue;
    cumulative += Math.pow(counts[id], 0.75) / total;
    const end = Math.min(table.length, Math.round(cumulative * table.length));
    for (; slot < end; slot++) table[slot] = id;
  }
  // Rounding can leave the last slots unset; give them the last trainable id.
  let last = counts.length - 1;
  while (trainable[last] === 0) last--;
  for (; slot < table.length; slot++) table[slot] = last;
  return table;
}

/**
 * The WebAssembly kernel's memory: the sigmoid table, a gradient scratch vector, the targets of one
 * pair, and the input and output vectors [vocabSize, dim rounded up to 4] (padding lanes stay 0).
 */
class SkipGramKernel {
  private readonly exports: {
    memory: WebAssembly.Memory;
    sg_pair: (
      input: number,
      output: number,
      rowBytes: number,
      targets: number,
      n: number,
      alpha: number,
      sigmoid: number,
      gradient: number,
    ) => void;
  };
  private readonly rowBytes: number;
  private readonly sigmoidAt = 0;
  private readonly gradientAt: number;
  private readonly targetsAt: number;
  private readonly inputAt: number;
  private readonly outputAt: number;
  /** The current pair's targets (centre word first), written by the caller before pair(). */
  readonly targets: Int32Array;

  constructor(
    private readonly vocabSize: number,
    private readonly dim: number,
    negatives: number,
  ) {
    compiledKernel ??= new WebAssembly.Module(Buffer.from(SKIPGRAM_WASM_BASE64, 'base64'));
    this.exports = new WebAssembly.Instance(compiledKernel, {}).exports as unknown as SkipGramKernel['exports'];
    this.rowBytes = Math.ceil(dim / 4) * 16;
    const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
    this.gradientAt = align(this.sigmoidAt + (SKIPGRAM_SIGMOID_TABLE_SIZE + 1) * 4);
    this.targetsAt = align(this.gradientAt + this.rowBytes);
    this.inputAt = align(this.targetsAt + (negatives + 1) * 4);
    this.outputAt = align(this.inputAt + vocabSize * this.rowBytes);
    const needed = this.outputAt + vocabSize * this.rowBytes;
    const memory = this.exports.memory;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    const sigmoid = new Float32Array(memory.buffer, this.sigmoidAt, SKIPGRAM_SIGMOID_TABLE_SIZE + 1);
    for (let i = 0; i <= SKIPGRAM_SIGMOID_TABLE_SIZE; i++) {
      const x = ((i / SKIPGRAM_SIGMOID_TABLE_SIZE) * 2 - 1) * SKIPGRAM_MAX_EXP;
      sigmoid[i] = 1 / (1 + Math.exp(-x));
    }
    this.targets = new Int32Array(memory.buffer, this.targetsAt, negatives + 1);
  }

  /** Copies [vocabSize, dim] input vectors in (the output vectors start at 0, as grown memory is). */
  setInputVectors(vectors: Float32Array): void {
    const rows = new Float32Array(this.exports.memory.buffer, this.inputAt, (this.vocabSize * this.rowBytes) / 4);
    const stride = this.rowBytes / 4;
    for (let id = 0; id < this.vocabSize; id++)
      rows.set(vectors.subarray(id * this.dim, (id + 1) * this.dim), id * stride);
  }

  /** One update: the input vector of `context` against the first `count` targets. */
  pair(context: number, count: number, alpha: number): void {
    this.exports.sg_pair(
      this.inputAt + context * this.rowBytes,
      this.outputAt,
      this.rowBytes,
      this.targetsAt,
      count,
      alpha,
      this.sigmoidAt,
      this.gradientAt,
    );
  }

  /** Copies the input vectors out into `vectors` [vocabSize, dim]. */
  readInputVectors(vectors: Float32Array): void {
    const rows = new Float32Array(this.exports.memory.buffer, this.inputAt, (this.vocabSize * this.rowBytes) / 4);
    const stride = this.rowBytes / 4;
    for (let id = 0; id < this.vocabSize; id++)
      vectors.set(rows.subarray(id * stride, id * stride + this.dim), id * this.dim);
  }
}

let compiledKernel: WebAssembly.Module | undefined;

/** mulberry32: a small, fast 32-bit seeded PRNG; returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
