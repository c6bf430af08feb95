import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { describeMessage } from '../../protocol/guards';
import { HostToWorker, isWorkerToHost, WorkerToHost } from '../../protocol/workerMessages';

/** A request to the worker, without its id (the client assigns it). */
export type WorkerRequest = HostToWorker extends infer M
  ? M extends HostToWorker
    ? Omit<M, 'requestId'>
    : never
  : never;

/** How a request ended: the worker's final answer, or the worker died before answering. */
export type WorkerOutcome =
  | Exclude<WorkerToHost, { type: 'progress' | 'warning' }>
  | { readonly type: 'crashed'; readonly requestId: number; readonly message: string };

interface Pending {
  readonly onProgress?: (message: Extract<WorkerToHost, { type: 'progress' }>) => void;
  readonly resolve: (outcome: WorkerOutcome) => void;
}

/**
 * The host's side of the training worker (a worker_threads Worker running dist/trainingWorker.js):
 * starts it on first use, numbers requests, checks every message on arrival (unknown ones are
 * logged and ignored), and turns an unexpected exit into a `crashed` outcome for every open request.
 * The next request after a crash starts a fresh worker.
 */
export class TrainingWorkerClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  private lastError: string | undefined;

  constructor(
    private readonly scriptPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Sends a request; the promise settles with its final answer (never rejects). */
  request(
    request: WorkerRequest,
    onProgress?: Pending['onProgress'],
  ): { requestId: number; outcome: Promise<WorkerOutcome> } {
    const requestId = this.nextRequestId++;
    const outcome = new Promise<WorkerOutcome>((resolve) => this.pending.set(requestId, { resolve, onProgress }));
    try {
      this.ensureWorker().postMessage({ ...request, requestId } as HostToWorker);
    } catch (error) {
      this.settle({
        type: 'crashed',
        requestId,
        message: `could not start the training worker: ${(error as Error).message}`,
      });
    }
    return { requestId, outcome };
  }

  /** Asks the worker to stop a running request at its next batch. */
  cancel(requestId: number): void {
    this.worker?.postMessage({ type: 'cancel', requestId } satisfies HostToWorker);
  }

  /** Whether a worker thread is running. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Kills the worker thread as a crash would (open requests end as `crashed`). For tests of the
   * crash path; returns false when no worker was running.
   */
  kill(): boolean {
    if (!this.worker) return false;
    this.lastError = 'the worker was killed';
    void this.worker.terminate();
    return true;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath);
    this.lastError = undefined;
    worker.on('message', (message: unknown) => {
      if (!isWorkerToHost(message)) {
        this.log.warn(`training worker: ignored ${describeMessage(message)} message`);
        return;
      }
      if (message.type === 'progress') this.pending.get(message.requestId)?.onProgress?.(message);
      else if (message.type === 'warning') this.log.warn(`training: ${message.message}`);
      else this.settle(message);
    });
    worker.on('error', (error) => {
      this.lastError = error.message;
      this.log.error(`training worker failed: ${error.stack ?? error.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      const why = this.lastError ?? `exit code ${code}`;
      if (this.pending.size > 0)
        this.log.warn(`training worker exited (${why}) with ${this.pending.size} open request(s)`);
      for (const requestId of [...this.pending.keys()]) this.settle({ type: 'crashed', requestId, message: why });
    });
    this.worker = worker;
    return worker;
  }

  private settle(outcome: WorkerOutcome): void {
    const pending = this.pending.get(outcome.requestId);
    if (!pending) return;
    this.pending.delete(outcome.requestId);
    pending.resolve(outcome);
  }

  /** Terminates the worker (open requests end as `crashed` with "the panel was closed"). */
  dispose(): void {
    if (!this.worker) return;
    this.lastError = 'the training panel was closed';
    void this.worker.terminate();
  }
}
