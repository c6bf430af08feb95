/**
 * Two-thread data-parallel training: each batch's sentences are split in two halves (alternating
 * in length order, so both halves get similar token counts and step counts); a helper
 * worker_thread computes one half's loss and gradients while the calling thread computes the
 * other, the gradients are added (each half divides by the whole batch's loss positions, so the
 * sum is the whole batch's mean-loss gradient), then clipping and one Adam step run as in
 * {@link Trainer}.
 *
 * Weights reach the helper through a SharedArrayBuffer mirror: the trainer's own weights live in
 * its WebAssembly memory (which is not shared), so before each request it copies into the mirror
 * the recurrent and dense weights (~0.4 MB for GRU 128) and only the embedding rows of the
 * helper's half (a few hundred rows), not the whole 8.5 MB embedding.
 *
 * Results do not depend on the helper: dropout masks are keyed by sentence (see DropoutKey),
 * and when the helper is not ready yet, has failed, or could not start, the calling thread
 * computes both halves itself, in the same order of summation.
 *
 * Finding the helper's entry script: dist/engineHelper.js beside this code when it is bundled
 * (extension host, training worker, CLI: all in dist/); when running from source (tsx, unit tests)
 * src/worker/engineHelper.ts, started as an eval'd worker that first registers tsx/cjs. If
 * neither is found or the thread fails, training goes on in one thread and `onWarning` is told.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Batch } from '../batching';
import { flattenWeights, type Architecture, type NetworkWeights } from '../model/architecture';
import {
  sharedWeightViews, SIGNAL_REPLIES, SIGNAL_STATE, STATE_READY,
  type HelperData, type HelperReply, type HelperRequest,
} from './helperThread';
import { countLossPositions, type DropoutKey, type LossAndGradients, type SparseEmbeddingGradient } from './network';
import { packBatch } from './packing';
import { Trainer, type TrainerOptions } from './trainer';

/** How long a step waits for the helper's answer before giving up on it. */
const REPLY_TIMEOUT_MS = 60_000;

/** 2 when the machine has at least two CPUs, else 1. */
export function defaultTrainingThreads(): 1 | 2 {
  return (os.availableParallelism?.() ?? os.cpus().length) >= 2 ? 2 : 1;
}

/**
 * A Trainer for `options.threads` (default {@link defaultTrainingThreads}): a {@link Trainer}
 * for 1, a {@link ParallelTrainer} for 2. Call `dispose()` when done (it ends the helper thread).
 */
export function createTrainer(arch: Architecture, weights: NetworkWeights, options: TrainerOptions = {}): Trainer {
  const threads = options.threads ?? defaultTrainingThreads();
  return threads >= 2 ? new ParallelTrainer(arch, weights, options) : new Trainer(arch, weights, options);
}

/**
 * A {@link Trainer} whose trainBatch computes half of each batch on a helper thread. Same results
 * as a Trainer up to float summation order (and bit-identical whether or not the helper runs).
 * `dispose()` must be called: the helper thread keeps the process alive until then.
 */
export class ParallelTrainer extends Trainer {
  /** Steps whose second half the helper thread computed (the others ran both halves here). */
  helperSteps = 0;
  private readonly helper: HelperThread | undefined;

  constructor(arch: Architecture, weights: NetworkWeights, options: TrainerOptions = {}) {
    super(arch, weights, options);
    this.helper = HelperThread.start(arch, this.weights, options);
  }

  /** 2 while the helper thread is starting or running; 1 once it could not start, failed or was disposed. */
  override get threads(): number {
    return this.helper?.usable ? 2 : 1;
  }

  /**
   * Resolves true once the helper thread is listening, false if it could not start or failed
   * (trainBatch never waits for it: until then both halves run in the calling thread).
   */
  whenHelperReady(timeoutMs = 30_000): Promise<boolean> {
    return this.helper ? this.helper.whenReady(timeoutMs) : Promise.resolve(false);
  }

  /** Ends the helper thread (resolves once it has exited). */
  override dispose(): Promise<void> {
    return this.helper ? this.helper.dispose() : Promise.resolve();
  }

  protected override lossAndGradients(batch: Batch, dropout: DropoutKey | undefined): LossAndGradients {
    const { own, other } = splitSentences(batch);
    if (other.length === 0) return super.lossAndGradients(batch, dropout);
    const lossCount = countLossPositions(batch);
    const ownBatch = selectSentences(batch, own);
    const otherBatch = selectSentences(batch, other);
    const otherDropout = dropout && { ...dropout, sentences: other };
    const helper = this.helper;
    const requestId = helper?.ready ? helper.send(this.weights, otherBatch, otherDropout, this.trainEmbedding, lossCount) : -1;
    const mine = this.engine.lossAndGradients(this.arch, this.weights, ownBatch, dropout && { ...dropout, sentences: own }, this.trainEmbedding, lossCount);
    let theirs = requestId >= 0 ? helper!.receive(requestId) : undefined;
    if (theirs) this.helperSteps++;
    else theirs = this.engine.lossAndGradients(this.arch, this.weights, otherBatch, otherDropout, this.trainEmbedding, lossCount);
    return addInto(mine, theirs, this.arch.embeddingDim);
  }
}

/** The trainer's side of the helper thread. */
class HelperThread {
  failed = false;
  private disposed = false;
  private nextId = 0;
  /** The helper's view of the weights (shared memory), flattenWeights() order. */
  private readonly mirror: Float32Array[];
  /** Request id that last copied each embedding row into the mirror. */
  private readonly rowStamp: Int32Array;

  private constructor(
    private readonly arch: Architecture,
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    mirror: Float32Array[],
    private readonly onWarning: ((message: string) => void) | undefined,
  ) {
    this.mirror = mirror;
    this.rowStamp = new Int32Array(arch.vocabSize).fill(-1);
    worker.on('error', (error) => this.fail(`engine helper thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.disposed) this.fail(`engine helper thread exited (code ${code})`);
    });
  }

  /** Starts the helper thread, or tells onWarning why it cannot and returns undefined. */
  static start(arch: Architecture, weights: NetworkWeights, options: TrainerOptions): HelperThread | undefined {
    const warn = (message: string) => options.onWarning?.(`${message}; training runs in one thread`);
    let entry: HelperEntry;
    try {
      entry = helperEntry(options.helperScript);
    } catch (error) {
      warn(`engine helper thread not started: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const arrays = flattenWeights(weights);
    const weightLengths = arrays.map((a) => a.length);
    const shared = new SharedArrayBuffer(weightLengths.reduce((a, b) => a + b, 0) * 4);
    const mirror = sharedWeightViews(shared, weightLengths);
    arrays.forEach((a, i) => mirror[i].set(a));
    const signal = new SharedArrayBuffer(8);
    const { port1, port2 } = new MessageChannel();
    const workerData: HelperData = { arch, weights: shared, weightLengths, signal, port: port2 };
    try {
      const worker = new Worker(entry.script, { eval: entry.eval, workerData, transferList: [port2] });
      port1.unref();
      return new HelperThread(arch, worker, port1, new Int32Array(signal), mirror, options.onWarning);
    } catch (error) {
      port1.close();
      warn(`engine helper thread not started: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /**
   * Resolves true once the helper is listening, false if it fails or does not start within
   * `timeoutMs` (polls the shared state; for tests and benchmarks, trainBatch never waits for it).
   */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready && !this.failed && !this.disposed && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
    return this.ready;
  }

  /** Whether the helper is starting or running (not failed, not disposed). */
  get usable(): boolean {
    return !this.failed && !this.disposed;
  }

  /** Whether a request can be sent now (the helper is listening and has not failed). */
  get ready(): boolean {
    return !this.failed && !this.disposed && Atomics.load(this.signal, SIGNAL_STATE) === STATE_READY;
  }

  /** Refreshes the mirror for `batch` and sends it; returns the request id. */
  send(weights: NetworkWeights, batch: Batch, dropout: DropoutKey | undefined, embeddingGradient: boolean, lossCount: number): number {
    const id = this.nextId++;
    const arrays = flattenWeights(weights);
    for (let i = 1; i < arrays.length; i++) this.mirror[i].set(arrays[i]);
    const embedding = arrays[0];
    const mirrorEmbedding = this.mirror[0];
    const E = this.arch.embeddingDim;
    const T = batch.timeSteps;
    for (let b = 0; b < batch.batchSize; b++) {
      const len = Math.min(T, batch.lengths[b]);
      for (let t = 0; t < len; t++) {
        const row = batch.ids[b * T + t];
        if (row < 0 || row >= this.rowStamp.length || this.rowStamp[row] === id) continue;
        this.rowStamp[row] = id;
        mirrorEmbedding.set(embedding.subarray(row * E, row * E + E), row * E);
      }
    }
    const request: HelperRequest = { type: 'step', id, batch, dropout, embeddingGradient, lossCount };
    this.port.postMessage(request);
    return id;
  }

  /** Waits (blocking) for the answer to request `id`; undefined if the helper failed. */
  receive(id: number): LossAndGradients | undefined {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(this.signal, SIGNAL_REPLIES);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const reply = received.message as HelperReply;
        if (reply.id !== id) continue; // an answer to a request given up on
        if (reply.type === 'result') return reply.result;
        this.fail(`engine helper thread failed: ${reply.message}`);
        return undefined;
      }
      const left = deadline - Date.now();
      if (this.failed || left <= 0) {
        this.fail(`engine helper thread did not answer within ${REPLY_TIMEOUT_MS / 1000} s`);
        return undefined;
      }
      Atomics.wait(this.signal, SIGNAL_REPLIES, seen, Math.min(left, 1000));
    }
  }

  /** Marks the helper failed (once), tells onWarning and ends the thread. */
  fail(message: string): void {
    if (this.failed || this.disposed) return;
    this.failed = true;
    this.onWarning?.(`${message}; training goes on in one thread`);
    void this.worker.terminate();
  }

  dispose(): Promise<void> {
    this.disposed = true;
    this.port.close();
    return this.worker.terminate().then(() => undefined);
  }
}

interface HelperEntry {
  /** A path, or code when `eval`. */
  readonly script: string;
  readonly eval: boolean;
}

/** Where the helper's entry is (see the file comment); throws when there is none. */
function helperEntry(explicit: string | undefined): HelperEntry {
  const fromSource = (source: string): HelperEntry => {
    // Unit tests and scripts run the TypeScript sources through tsx; a worker does not inherit
    // the parent's require hooks, so the worker registers tsx/cjs itself before loading the entry.
    const tsx = createRequire(source).resolve('tsx/cjs');
    return { script: `require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(source)});`, eval: true };
  };
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`${explicit} does not exist`);
    return explicit.endsWith('.ts') ? fromSource(path.resolve(explicit)) : { script: path.resolve(explicit), eval: false };
  }
  const bundled = path.join(__dirname, 'engineHelper.js');
  if (existsSync(bundled)) return { script: bundled, eval: false };
  const source = path.resolve(__dirname, '..', '..', 'worker', 'engineHelper.ts');
  if (existsSync(source)) return fromSource(source);
  throw new Error(`neither ${bundled} nor ${source} exists`);
}

/**
 * Splits a batch's rows in two: in length order (longest first), even positions to `own` (this
 * thread), odd ones to `other` (the helper), so both halves have similar lengths.
 */
function splitSentences(batch: Batch): { own: Int32Array; other: Int32Array } {
  const { order } = packBatch(batch);
  const own = new Int32Array(Math.ceil(order.length / 2));
  const other = new Int32Array(Math.floor(order.length / 2));
  for (let p = 0; p < order.length; p++) {
    if (p % 2 === 0) own[p >> 1] = order[p];
    else other[p >> 1] = order[p];
  }
  return { own, other };
}

/** A batch of the given rows of `batch` (same timeSteps). */
function selectSentences(batch: Batch, rows: Int32Array): Batch {
  const T = batch.timeSteps;
  const ids = new Int32Array(rows.length * T);
  const stepLabels = batch.stepLabels ? new Int32Array(rows.length * T) : undefined;
  rows.forEach((row, i) => {
    ids.set(batch.ids.subarray(row * T, row * T + T), i * T);
    stepLabels?.set(batch.stepLabels!.subarray(row * T, row * T + T), i * T);
  });
  return {
    ids,
    lengths: Int32Array.from(rows, (row) => batch.lengths[row]),
    batchSize: rows.length,
    timeSteps: T,
    ...(batch.labels ? { labels: Int32Array.from(rows, (row) => batch.labels![row]) } : {}),
    ...(stepLabels ? { stepLabels } : {}),
  };
}

/** Adds `b`'s loss, counts and gradients into `a` (in place) and returns `a`. */
function addInto(a: LossAndGradients, b: LossAndGradients, E: number): LossAndGradients {
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
    gradients: { ...a.gradients, embedding: ea && eb ? mergeSparse(ea, eb, E) : ea ?? eb },
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
