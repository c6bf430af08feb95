/**
 * The engine's helper thread: a worker_thread that computes part of a batch while the calling
 * thread computes the rest and then waits for it synchronously. Two uses:
 * - training (ParallelTrainer, parallelTrainer.ts): the loss and gradients of half-batches, with
 *   the trainer's current weights read in place from its shared optimizer memory
 *   (optimizerMemory.ts), and part of each Adam step over that memory;
 * - inference (Predictor, predict.ts): the probabilities of half-batches, with a model's fixed
 *   weights copied once into a SharedArrayBuffer (the helper caches input projections as a
 *   Predictor does).
 * Its entry script (src/worker/engineHelper.ts, bundled to dist/engineHelper.js) is given by the
 * caller: each entry point (extension, CLI, training worker, tests) knows where it is; the engine does not.
 *
 * Protocol, over a dedicated MessagePort (the caller reads replies synchronously with
 * receiveMessageOnPort, so a step needs no event-loop turn on the caller's side):
 * - caller -> helper: {@link HelperRequest}; helper -> caller: {@link HelperReply}, then
 *   `signal[SIGNAL_REPLIES]` is incremented and notified (the caller Atomics.waits on it).
 * - `signal[SIGNAL_STATE]`: STATE_STARTING until the helper is listening, then STATE_READY.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Batch } from '../model/batching';
import { unflattenWeights, type Architecture } from '../model/architecture';
import {
  InputProjectionCache,
  NetworkEngine,
  type DropoutKey,
  type LossAndGradients,
  type Probabilities,
} from './network';
import { OptimizerMemory, type AdamRange, type AdamStep, type OptimizerLayout } from './optimizerMemory';

/** Index of the helper's state in the signal array. */
export const SIGNAL_STATE = 0;
/** Index of the count of replies posted so far. */
export const SIGNAL_REPLIES = 1;
export const STATE_STARTING = 0;
export const STATE_READY = 1;

/** How long the caller waits for an answer before giving up on the helper. */
const REPLY_TIMEOUT_MS = 60_000;

/**
 * What the helper computes: 'training' (loss-and-gradient requests; the weights change between
 * requests) or 'inference' (predict requests; the weights never change, so input projections are cached).
 */
export type HelperPurpose = 'training' | 'inference';

/** What the helper thread is started with (its workerData). */
export interface HelperData {
  readonly arch: Architecture;
  readonly purpose: HelperPurpose;
  /** Inference: integer recurrent products, as the calling thread's Predictor (bit-identical results). */
  readonly integerKernels?: boolean;
  /** Every weight array, in flattenWeights() order, at `weightOffsets` (f32 elements) with `weightLengths`. */
  readonly weights: SharedArrayBuffer;
  readonly weightOffsets: readonly number[];
  readonly weightLengths: readonly number[];
  /**
   * Training: the trainer's optimizer memory (whose buffer is `weights`: the helper reads the
   * current weights in place) and its layout, for the helper's part of each Adam step.
   */
  readonly optimizer?: { readonly memory: WebAssembly.Memory; readonly layout: OptimizerLayout };
  /** Int32Array of 2: state and replies (see the indices above). */
  readonly signal: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** A half-batch to compute: loss and gradients (training) or probabilities (inference). */
export type HelperRequest =
  | {
      readonly type: 'step';
      readonly id: number;
      readonly batch: Batch;
      readonly dropout: DropoutKey | undefined;
      readonly embeddingGradient: boolean;
      /** Loss positions of the whole batch (the divisor of loss and gradients). */
      readonly lossCount: number;
    }
  | { readonly type: 'predict'; readonly id: number; readonly batch: Batch }
  /** Adam over these ranges of the optimizer memory, the gradients being in place. */
  | { readonly type: 'adam'; readonly id: number; readonly ranges: AdamRange[]; readonly step: AdamStep };

/** The helper's answer to the request with the same id. */
export type HelperReply =
  | { readonly type: 'result'; readonly id: number; readonly result: LossAndGradients }
  | { readonly type: 'probabilities'; readonly id: number; readonly result: Probabilities }
  | { readonly type: 'adamDone'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** A request without its id (the caller's side numbers them). */
export type HelperRequestBody = HelperRequest extends infer R
  ? R extends HelperRequest
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * The error of a caller that may start a helper thread (its `threads` is not 1) but was given no
 * entry script: the engine never guesses where the script is, nor quietly drops to one thread.
 */
export class MissingHelperScriptError extends Error {
  constructor(who: string) {
    super(
      `${who}: threads is not 1 but no helperScript was given (the engine helper thread's entry script, which the entry point passes: dist/engineHelper.js when bundled); pass it, or threads: 1`,
    );
    this.name = 'MissingHelperScriptError';
  }
}

/** Views of `buffer` as Float32Arrays of the given lengths at the given element offsets. */
export function sharedWeightViews(
  buffer: SharedArrayBuffer,
  offsets: readonly number[],
  lengths: readonly number[],
): Float32Array[] {
  return lengths.map((length, i) => new Float32Array(buffer, offsets[i] * 4, length));
}

/** Element offsets of arrays of the given lengths laid out back to back. */
function consecutiveOffsets(lengths: readonly number[]): number[] {
  let at = 0;
  return lengths.map((length) => {
    const offset = at;
    at += length;
    return offset;
  });
}

/** Runs the helper's loop in the current (worker) thread until it is terminated. */
export function runEngineHelper(data: HelperData): void {
  const { arch, port, purpose } = data;
  const weights = unflattenWeights(arch, sharedWeightViews(data.weights, data.weightOffsets, data.weightLengths));
  const optimizer = data.optimizer && new OptimizerMemory(data.optimizer.layout, data.optimizer.memory);
  const signal = new Int32Array(data.signal);
  // As the calling thread's Predictor: relaxed SIMD where the runtime has it, for inference only.
  const engine = new NetworkEngine({
    relaxedSimd: purpose === 'inference',
    integerKernels: purpose === 'inference' && data.integerKernels === true,
  });
  const projection = purpose === 'inference' ? new InputProjectionCache(arch.vocabSize) : undefined;
  port.on('message', (request: HelperRequest) => {
    let reply: HelperReply;
    let transfer: ArrayBuffer[] = [];
    try {
      if (request.type === 'adam') {
        if (!optimizer) throw new Error('this helper thread has no optimizer memory');
        optimizer.adam(request.ranges, request.step);
        reply = { type: 'adamDone', id: request.id };
      } else if (request.type === 'predict') {
        if (purpose !== 'inference') throw new Error('this helper thread was started for training');
        const result = engine.predict(arch, weights, request.batch, projection);
        reply = { type: 'probabilities', id: request.id, result };
        transfer = [result.stepProbabilities.buffer as ArrayBuffer, result.finalProbabilities.buffer as ArrayBuffer];
      } else {
        if (purpose !== 'training') throw new Error('this helper thread was started for inference');
        const result = engine.lossAndGradients(
          arch,
          weights,
          request.batch,
          request.dropout,
          request.embeddingGradient,
          request.lossCount,
        );
        reply = { type: 'result', id: request.id, result };
        const { embedding, rnn, dense } = result.gradients;
        const arrays = [...rnn.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), dense.kernel, dense.bias];
        if (embedding) arrays.push(embedding.values, embedding.rows as unknown as Float32Array);
        transfer = arrays.map((a) => a.buffer as ArrayBuffer);
      }
    } catch (error) {
      reply = { type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply, transfer);
    Atomics.add(signal, SIGNAL_REPLIES, 1);
    Atomics.notify(signal, SIGNAL_REPLIES);
  });
  Atomics.store(signal, SIGNAL_STATE, STATE_READY);
  Atomics.notify(signal, SIGNAL_STATE);
}

/**
 * The calling thread's side of one helper thread: starts it, sends requests, waits for replies.
 * Never waits for the helper to start: callers check `ready` and compute everything themselves
 * until it is. The first failure (error, exit, failed request, timeout) ends the thread for good
 * and is reported once to `onFailure`.
 */
export class HelperThread {
  failed = false;
  private disposed = false;
  private nextId = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    /** The helper's view of the weights (shared memory), flattenWeights() order. */
    readonly mirror: Float32Array[],
    private readonly onFailure: (message: string) => void,
  ) {
    worker.on('error', (error) => this.fail(`engine helper thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.disposed) this.fail(`engine helper thread exited (code ${code})`);
    });
  }

  /**
   * Starts a helper thread running `helperScript` (a JavaScript file that calls runEngineHelper)
   * over a shared copy of `weights` (flattenWeights() order), or, given `optimizer`, over the
   * weights in the optimizer's shared memory themselves (`weights` are then ignored). Returns the
   * reason instead when it cannot (no such script, no worker). `keepsProcessAlive` false unrefs
   * the thread, so that an idle helper never keeps the process from exiting.
   */
  static start(
    arch: Architecture,
    weights: readonly Float32Array[],
    options: {
      purpose: HelperPurpose;
      integerKernels?: boolean;
      helperScript: string;
      keepsProcessAlive: boolean;
      onFailure: (message: string) => void;
      optimizer?: OptimizerMemory;
    },
  ): HelperThread | string {
    const script = path.resolve(options.helperScript);
    if (!existsSync(script)) return `engine helper thread not started: ${script} does not exist`;
    const optimizer = options.optimizer;
    let shared: SharedArrayBuffer;
    let weightOffsets: number[];
    let weightLengths: number[];
    if (optimizer) {
      shared = optimizer.memory.buffer as unknown as SharedArrayBuffer;
      weightOffsets = optimizer.layout.slots.map((slot) => slot.w);
      weightLengths = optimizer.layout.slots.map((slot) => slot.length);
    } else {
      weightLengths = weights.map((a) => a.length);
      weightOffsets = consecutiveOffsets(weightLengths);
      shared = new SharedArrayBuffer(weightLengths.reduce((a, b) => a + b, 0) * 4);
    }
    const mirror = sharedWeightViews(shared, weightOffsets, weightLengths);
    if (!optimizer) weights.forEach((a, i) => mirror[i].set(a));
    const signal = new SharedArrayBuffer(8);
    const { port1, port2 } = new MessageChannel();
    const workerData: HelperData = {
      arch,
      purpose: options.purpose,
      integerKernels: options.integerKernels,
      weights: shared,
      weightOffsets,
      weightLengths,
      optimizer: optimizer && { memory: optimizer.memory, layout: optimizer.layout },
      signal,
      port: port2,
    };
    try {
      const worker = new Worker(script, { workerData, transferList: [port2] });
      port1.unref();
      if (!options.keepsProcessAlive) worker.unref();
      return new HelperThread(worker, port1, new Int32Array(signal), mirror, options.onFailure);
    } catch (error) {
      port1.close();
      return `engine helper thread not started: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Resolves true once the helper is listening, false if it fails or does not start within
   * `timeoutMs` (polls the shared state; for tests and benchmarks, callers never wait for it).
   */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready && !this.failed && !this.disposed && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 10));
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

  /** Sends a request; returns its id. */
  send(body: HelperRequestBody): number {
    const id = this.nextId++;
    this.port.postMessage({ ...body, id } as HelperRequest);
    return id;
  }

  /** Waits (blocking) for the answer to request `id`; undefined if the helper failed or was disposed. */
  receive(id: number): Exclude<HelperReply, { type: 'failed' }> | undefined {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(this.signal, SIGNAL_REPLIES);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const reply = received.message as HelperReply;
        if (reply.id !== id) continue; // an answer to a request given up on
        if (reply.type !== 'failed') return reply;
        this.fail(`engine helper thread failed: ${reply.message}`);
        return undefined;
      }
      const left = deadline - Date.now();
      if (this.failed || this.disposed) return undefined;
      if (left <= 0) {
        this.fail(`engine helper thread did not answer within ${REPLY_TIMEOUT_MS / 1000} s`);
        return undefined;
      }
      Atomics.wait(this.signal, SIGNAL_REPLIES, seen, Math.min(left, 1000));
    }
  }

  /** Marks the helper failed (once), tells onFailure and ends the thread. */
  fail(message: string): void {
    if (this.failed || this.disposed) return;
    this.failed = true;
    this.onFailure(message);
    void this.worker.terminate();
  }

  /** Ends the thread (resolves once it has exited). */
  dispose(): Promise<void> {
    this.disposed = true;
    this.port.close();
    return this.worker.terminate().then(() => undefined);
  }
}
