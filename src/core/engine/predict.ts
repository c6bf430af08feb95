/**
 * Inference with the fast engine, in one thread or, for large batches, two: the batch's sentences
 * are dealt alternately (in length order) to the calling thread and to a helper worker_thread
 * (helperThread.ts) that holds a shared copy of the weights, and the two halves' probabilities are
 * put back in place. Every sentence's probabilities are computed row by row with the same
 * operations whatever batch it is in, so the results are bit-identical with 1 or 2 threads.
 */
import * as os from 'node:os';
import type { Batch } from '../model/batching';
import { flattenWeights, type Architecture, type NetworkWeights } from '../model/architecture';
import { HelperThread, MissingHelperScriptError } from './helperThread';
import { InputProjectionCache, NetworkEngine, type Probabilities } from './network';
import { selectSentences, splitSentences } from './packing';

/**
 * Real tokens a batch needs before a Predictor splits it across two threads (and starts its helper
 * thread). Measured: at ~80 tokens per batch 2 threads were no faster than 1, at ~160 about 10%
 * faster, at ~330 20-40% and from ~650 on about 1.8x (under load 1.5-2.4; docs/performance.md).
 */
export const SPLIT_MIN_TOKENS = 200;

/** A Predictor's helper thread ends after this long unused (it starts again when needed). */
const HELPER_IDLE_MS = 60_000;

/** 2 when the machine has at least two CPUs, else 1. */
export function defaultInferenceThreads(): 1 | 2 {
  return (os.availableParallelism?.() ?? os.cpus().length) >= 2 ? 2 : 1;
}

/**
 * Per-step and final class probabilities of one padded batch, no dropout, in the calling thread.
 * Returns stepProbabilities [B, T, C] (0 at steps >= length) and finalProbabilities [B, C]
 * (softmax at step length-1; for length 0 the softmax of the dense bias alone).
 * A Predictor made for this call: whoever predicts repeatedly owns a {@link Predictor} instead
 * (its workspace, input-projection cache and helper thread last as long as it does).
 */
export function predict(arch: Architecture, weights: NetworkWeights, batch: Batch): Probabilities {
  return new Predictor(arch, weights, { threads: 1 }).predict(batch);
}

/** Options of a {@link Predictor}. */
export interface PredictorOptions {
  /**
   * Threads per batch: 1, or 2 (batches of at least {@link SPLIT_MIN_TOKENS} real tokens are
   * split with a helper thread, started on the first such batch and used once it is ready).
   * Default {@link defaultInferenceThreads}. Weights that change in place always use 1.
   */
  threads?: number;
  /**
   * The weights are updated in place while this Predictor lives (a Trainer's own copy, a running
   * average during training): no input-projection cache, whose rows would go stale, no helper
   * thread, whose copy would, and the plain float kernels, so that training's validation (and so
   * early stopping and the trained weights) does not depend on the runtime. Default false.
   */
  weightsChangeInPlace?: boolean;
  /** Told when the helper thread cannot start or fails (inference then goes on in one thread). */
  onWarning?: (message: string) => void;
  /**
   * The helper thread's entry script, from the entry point (dist/engineHelper.js when bundled).
   * Required unless `threads` is 1 or `weightsChangeInPlace`: without it the constructor throws
   * a {@link MissingHelperScriptError}.
   */
  helperScript?: string;
  /**
   * Integer recurrent products (int16 operands, exact int32 sums; quantized.ts) instead of float
   * gemm: default true. Per-step probabilities then differ from the float kernels' (and tfjs's) by
   * up to ~1e-3, with the same labels on the bundled models' data (docs/performance.md); false
   * gives the float kernels. Never used with `weightsChangeInPlace` (training's validation, which
   * drives early stopping, stays on the float kernels).
   */
  integerKernels?: boolean;
}

/** Ends helper threads whose Predictor was garbage-collected. */
const orphanedHelpers = new FinalizationRegistry<HelperThread>((helper) => void helper.dispose());

/**
 * Reusable inference: keeps its WebAssembly workspace (and helper thread) between calls. Does not
 * copy weights, except into the helper's shared memory. Unless the weights belong to a Trainer, it
 * caches each token id's first-layer input projection (embedding x W + b; up to vocabSize x 3H
 * floats for a GRU), which halves the work per token with bit-identical results; the weights must
 * then not change while it is in use. The helper thread never keeps the process alive; it ends
 * after a minute unused, with `dispose()`, or when the Predictor is garbage-collected.
 */
export class Predictor {
  /** Batches whose second half the helper thread computed. */
  helperBatches = 0;
  private readonly engine: NetworkEngine;
  private readonly projection: InputProjectionCache | undefined;
  private readonly threads: number;
  /** Whether the recurrent products run on the integer kernels. */
  readonly integerKernels: boolean;
  private helper: HelperThread | undefined;
  private helperIdle: NodeJS.Timeout | undefined;
  /** Set once the helper could not start or failed: this Predictor stays in one thread. */
  private helperBroken = false;

  /** Throws a {@link MissingHelperScriptError} when it may use two threads but has no helper script. */
  constructor(
    readonly arch: Architecture,
    readonly weights: NetworkWeights,
    private readonly options: PredictorOptions = {},
  ) {
    const mutable = options.weightsChangeInPlace === true;
    if (!mutable && options.threads !== 1 && options.helperScript === undefined)
      throw new MissingHelperScriptError('Predictor');
    // Relaxed SIMD (where the runtime has it) for finished models only: the validation of a
    // training run, on weights a Trainer updates, stays on the plain kernels, so that early stopping,
    // and so the trained weights, do not depend on the runtime.
    this.integerKernels = !mutable && (options.integerKernels ?? true);
    this.engine = new NetworkEngine({ relaxedSimd: !mutable, integerKernels: this.integerKernels });
    this.projection = mutable ? undefined : new InputProjectionCache(arch.vocabSize);
    this.threads = mutable ? 1 : (options.threads ?? defaultInferenceThreads());
  }

  /** Per-step and final probabilities of a batch: see {@link predict}. */
  predict(batch: Batch): Probabilities {
    if (this.threads < 2 || !this.projection || batch.batchSize < 2 || realTokens(batch) < SPLIT_MIN_TOKENS)
      return this.predictHere(batch);
    const helper = this.startHelper();
    if (!helper?.ready) return this.predictHere(batch);
    this.helperIdle?.refresh();
    // The helper takes the even positions in length order (the longest sentence among them): the
    // calling thread also splits, sends and merges.
    const { own: theirRows, other: myRows } = splitSentences(batch);
    const theirBatch = selectSentences(batch, theirRows);
    const requestId = helper.send({ type: 'predict', batch: theirBatch });
    const mine = this.predictHere(selectSentences(batch, myRows));
    const reply = helper.receive(requestId);
    let theirs: Probabilities;
    if (reply?.type === 'probabilities') {
      theirs = reply.result;
      this.helperBatches++;
    } else {
      if (helper.failed) this.helperBroken = true; // else it was disposed meanwhile
      theirs = this.predictHere(theirBatch);
    }
    return mergeHalves(batch, this.arch.numClasses, [theirRows, theirs], [myRows, mine]);
  }

  /**
   * Starts the helper thread if this Predictor would use one (for tests and benchmarks: predict()
   * never waits for it); resolves true once it is ready, false if it is not used or failed.
   */
  whenHelperReady(timeoutMs = 30_000): Promise<boolean> {
    if (this.threads < 2 || !this.projection) return Promise.resolve(false);
    const helper = this.startHelper();
    return helper ? helper.whenReady(timeoutMs) : Promise.resolve(false);
  }

  /** Whether a helper thread is starting or running. */
  get hasHelper(): boolean {
    return this.helper?.usable ?? false;
  }

  /** Ends the helper thread, if any (a later large batch starts a new one). */
  dispose(): Promise<void> {
    const helper = this.helper;
    this.helper = undefined;
    clearTimeout(this.helperIdle);
    if (!helper) return Promise.resolve();
    orphanedHelpers.unregister(this);
    return helper.dispose();
  }

  private predictHere(batch: Batch): Probabilities {
    return this.engine.predict(this.arch, this.weights, batch, this.projection);
  }

  /** The helper thread, started (or restarted after an idle stop) when needed; undefined once broken. */
  private startHelper(): HelperThread | undefined {
    const helperScript = this.options.helperScript;
    if (this.helperBroken || helperScript === undefined) return undefined;
    if (this.helper?.usable) return this.helper;
    if (this.helper?.failed) {
      this.helperBroken = true;
      return undefined;
    }
    const onWarning = this.options.onWarning; // not `this`: the helper must not keep the Predictor alive
    const helper = HelperThread.start(this.arch, flattenWeights(this.weights), {
      purpose: 'inference',
      integerKernels: this.integerKernels,
      helperScript,
      keepsProcessAlive: false,
      onFailure: (message) => onWarning?.(`${message}; inference goes on in one thread`),
    });
    if (typeof helper === 'string') {
      this.helperBroken = true;
      onWarning?.(`${helper}; inference runs in one thread`);
      return undefined;
    }
    this.helper = helper;
    orphanedHelpers.unregister(this);
    orphanedHelpers.register(this, helper, this);
    clearTimeout(this.helperIdle);
    this.helperIdle = setTimeout(() => void helper.dispose(), HELPER_IDLE_MS);
    this.helperIdle.unref();
    return helper;
  }
}

/** Real tokens of a batch (lengths clipped to timeSteps). */
function realTokens(batch: Batch): number {
  let tokens = 0;
  for (let b = 0; b < batch.batchSize; b++) tokens += Math.max(0, Math.min(batch.timeSteps, batch.lengths[b]));
  return tokens;
}

/** The probabilities of `batch` from those of its parts ([rows of batch, probabilities of those rows]). */
function mergeHalves(batch: Batch, C: number, ...parts: [Int32Array, Probabilities][]): Probabilities {
  const { batchSize: B, timeSteps: T } = batch;
  const stepProbabilities = new Float32Array(B * T * C);
  const finalProbabilities = new Float32Array(B * C);
  const rowSize = T * C;
  for (const [rows, part] of parts) {
    rows.forEach((row, i) => {
      stepProbabilities.set(part.stepProbabilities.subarray(i * rowSize, (i + 1) * rowSize), row * rowSize);
      finalProbabilities.set(part.finalProbabilities.subarray(i * C, (i + 1) * C), row * C);
    });
  }
  return { stepProbabilities, finalProbabilities };
}
