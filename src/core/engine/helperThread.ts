/**
 * The helper thread of a ParallelTrainer (parallelTrainer.ts): computes the loss and gradients of
 * the half-batches it is sent, with the trainer's current weights read from a SharedArrayBuffer
 * mirror that the trainer refreshes before each request. Its entry script is
 * src/worker/engineHelper.ts (bundled to dist/engineHelper.js).
 *
 * Protocol, over a dedicated MessagePort (the trainer reads replies synchronously with
 * receiveMessageOnPort, so a step needs no event-loop turn on the trainer's side):
 * - trainer -> helper: {@link HelperRequest}; helper -> trainer: {@link HelperReply}, then
 *   `signal[SIGNAL_REPLIES]` is incremented and notified (the trainer Atomics.waits on it).
 * - `signal[SIGNAL_STATE]`: STATE_STARTING until the helper is listening, then STATE_READY.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Batch } from '../batching';
import { unflattenWeights, type Architecture } from '../model/architecture';
import { NetworkEngine, type DropoutKey, type LossAndGradients } from './network';

/** Index of the helper's state in the signal array. */
export const SIGNAL_STATE = 0;
/** Index of the count of replies posted so far. */
export const SIGNAL_REPLIES = 1;
export const STATE_STARTING = 0;
export const STATE_READY = 1;

/** What the helper thread is started with (its workerData). */
export interface HelperData {
  readonly arch: Architecture;
  /** Every weight array back to back, in flattenWeights() order; lengths in `weightLengths`. */
  readonly weights: SharedArrayBuffer;
  readonly weightLengths: readonly number[];
  /** Int32Array of 2: state and replies (see the indices above). */
  readonly signal: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** One half-batch to compute. */
export interface HelperRequest {
  readonly type: 'step';
  readonly id: number;
  readonly batch: Batch;
  readonly dropout: DropoutKey | undefined;
  readonly embeddingGradient: boolean;
  /** Loss positions of the whole batch (the divisor of loss and gradients). */
  readonly lossCount: number;
}

/** The helper's answer to the request with the same id. */
export type HelperReply =
  | { readonly type: 'result'; readonly id: number; readonly result: LossAndGradients }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** Views of `buffer` as consecutive Float32Arrays of the given lengths. */
export function sharedWeightViews(buffer: SharedArrayBuffer, lengths: readonly number[]): Float32Array[] {
  let at = 0;
  return lengths.map((length) => {
    const view = new Float32Array(buffer, at * 4, length);
    at += length;
    return view;
  });
}

/** Runs the helper's loop in the current (worker) thread until it is terminated. */
export function runEngineHelper(data: HelperData): void {
  const { arch, port } = data;
  const weights = unflattenWeights(arch, sharedWeightViews(data.weights, data.weightLengths));
  const signal = new Int32Array(data.signal);
  const engine = new NetworkEngine();
  port.on('message', (request: HelperRequest) => {
    let reply: HelperReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const result = engine.lossAndGradients(arch, weights, request.batch, request.dropout, request.embeddingGradient, request.lossCount);
      reply = { type: 'result', id: request.id, result };
      const { embedding, rnn, dense } = result.gradients;
      const arrays = [...rnn.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), dense.kernel, dense.bias];
      if (embedding) arrays.push(embedding.values, embedding.rows as unknown as Float32Array);
      transfer = arrays.map((a) => a.buffer as ArrayBuffer);
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
