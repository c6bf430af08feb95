/**
 * Two-thread data-parallel training: each batch's sentences are split in two halves (alternating
 * in length order, so both halves get similar token counts and step counts); a helper
 * worker_thread computes one half's loss and gradients while the calling thread computes the
 * other, the gradients are added (each half divides by the whole batch's loss positions, so the
 * sum is the whole batch's mean-loss gradient), then clipping and one Adam step run as in
 * {@link Trainer}.
 *
 * The trainer's weights, gradients and Adam moments live in a shared WebAssembly memory
 * (optimizerMemory.ts): the helper reads the current weights in place, and after the gradients
 * are summed and clipped it applies Adam to the first part of the embedding while the calling
 * thread updates the rest (Adam is element by element, so the weights are the same as when one
 * thread updates them all).
 *
 * Results do not depend on the helper: dropout masks are keyed by sentence (see DropoutKey),
 * and when the helper is not ready yet, has failed, or could not start, the calling thread
 * computes both halves itself, in the same order of summation.
 *
 * The helper thread: helperThread.ts; its entry script is the `helperScript` option, which is
 * required. If the helper cannot start or fails, training goes on in one thread and `onWarning` is told.
 */
import * as os from 'node:os';
import type { Batch } from '../model/batching';
import { flattenWeights, type Architecture, type NetworkWeights } from '../model/architecture';
import { HelperThread, MissingHelperScriptError } from './helperThread';
import { countLossPositions, type DropoutKey, type LossAndGradients } from './network';
import { selectSentences, splitSentences } from './packing';
import type { AdamRange, AdamStep, OptimizerMemory } from './optimizerMemory';
import { Trainer, type TrainerOptions } from './trainer';

/** 2 when the machine has at least two CPUs, else 1. */
export function defaultTrainingThreads(): 1 | 2 {
  return (os.availableParallelism?.() ?? os.cpus().length) >= 2 ? 2 : 1;
}

/**
 * A Trainer for `options.threads` (default {@link defaultTrainingThreads}): a {@link Trainer}
 * for 1, a {@link ParallelTrainer} for 2. Call `dispose()` when done (it ends the helper thread).
 * Throws a {@link MissingHelperScriptError} when `threads` is not 1 and there is no `helperScript`
 * (whatever the machine, so that a missing script never goes unnoticed on one CPU).
 */
export function createTrainer(arch: Architecture, weights: NetworkWeights, options: TrainerOptions = {}): Trainer {
  if (options.threads !== 1 && options.helperScript === undefined) throw new MissingHelperScriptError('createTrainer');
  const threads = options.threads ?? defaultTrainingThreads();
  return threads >= 2 ? new ParallelTrainer(arch, weights, options) : new Trainer(arch, weights, options);
}

/**
 * A {@link Trainer} whose trainBatch computes half of each batch on a helper thread. Same results
 * as a Trainer up to float summation order (and bit-identical whether or not the helper runs).
 * `dispose()` must be called: the helper thread keeps the process alive until then. Needs
 * `options.helperScript` (else throws a {@link MissingHelperScriptError}).
 */
export class ParallelTrainer extends Trainer {
  /** Steps whose second half the helper thread computed (the others ran both halves here). */
  helperSteps = 0;
  private readonly helper: TrainingHelper | undefined;

  constructor(arch: Architecture, weights: NetworkWeights, options: TrainerOptions = {}) {
    if (options.helperScript === undefined) throw new MissingHelperScriptError('ParallelTrainer');
    super(arch, weights, options);
    this.helper = TrainingHelper.start(arch, this, options.helperScript, options);
  }

  /** The optimizer memory, for the helper thread. */
  get optimizerMemory(): OptimizerMemory {
    return this.optimizer;
  }

  /** 2 while the helper thread is starting or running; 1 once it could not start, failed or was disposed. */
  override get threads(): number {
    return this.helper?.thread.usable ? 2 : 1;
  }

  /**
   * Resolves true once the helper thread is listening, false if it could not start or failed
   * (trainBatch never waits for it: until then both halves run in the calling thread).
   */
  whenHelperReady(timeoutMs = 30_000): Promise<boolean> {
    return this.helper ? this.helper.thread.whenReady(timeoutMs) : Promise.resolve(false);
  }

  /** Ends the helper thread (resolves once it has exited). */
  override dispose(): Promise<void> {
    return this.helper ? this.helper.thread.dispose() : Promise.resolve();
  }

  /**
   * Gives the helper thread the first elements of the embedding's range (about half of all the
   * elements Adam updates) and runs the rest here, when the helper is ready; else runs all here.
   */
  protected override runAdam(ranges: AdamRange[], step: AdamStep): void {
    const helper = this.helper;
    const at = ranges.findIndex((range) => range.slot === 0);
    if (!helper?.thread.ready || at < 0) {
      super.runAdam(ranges, step);
      return;
    }
    const embedding = ranges[at];
    const total = ranges.reduce((n, range) => n + range.to - range.from, 0);
    const split = Math.min(embedding.to, embedding.from + ((total >> 1) & ~15));
    const theirs: AdamRange[] = [{ ...embedding, to: split }];
    const mine = ranges.map((range, i) => (i === at ? { ...embedding, from: split } : range));
    const requestId = helper.thread.send({ type: 'adam', ranges: theirs, step });
    super.runAdam(mine, step);
    // Without the helper's answer (it failed and is ended), its part is updated here. That is exact
    // when it failed before its kernel ran (an error, a thread that exited); a thread that stalled
    // for the whole reply timeout inside the kernel could leave some elements updated twice.
    if (!helper.receiveAdam(requestId)) super.runAdam(theirs, step);
  }

  protected override gradientParts(batch: Batch, dropout: DropoutKey | undefined): LossAndGradients[] {
    const { own, other } = splitSentences(batch);
    if (other.length === 0) return super.gradientParts(batch, dropout);
    const lossCount = countLossPositions(batch);
    const ownBatch = selectSentences(batch, own);
    const otherBatch = selectSentences(batch, other);
    const otherDropout = dropout && { ...dropout, sentences: other };
    const helper = this.helper;
    const requestId = helper?.thread.ready ? helper.send(otherBatch, otherDropout, this.trainEmbedding, lossCount) : -1;
    const mine = this.engine.lossAndGradients(
      this.arch,
      this.weights,
      ownBatch,
      dropout && { ...dropout, sentences: own },
      this.trainEmbedding,
      lossCount,
    );
    let theirs = requestId >= 0 ? helper!.receive(requestId) : undefined;
    if (theirs) this.helperSteps++;
    else
      theirs = this.engine.lossAndGradients(
        this.arch,
        this.weights,
        otherBatch,
        otherDropout,
        this.trainEmbedding,
        lossCount,
      );
    return [mine, theirs];
  }
}

/** The trainer's side of the helper thread, which reads the weights in the trainer's optimizer memory. */
class TrainingHelper {
  private constructor(readonly thread: HelperThread) {}

  /** Starts the helper thread, or tells onWarning why it cannot and returns undefined. */
  static start(
    arch: Architecture,
    trainer: ParallelTrainer,
    helperScript: string,
    options: TrainerOptions,
  ): TrainingHelper | undefined {
    const thread = HelperThread.start(arch, flattenWeights(trainer.weights), {
      purpose: 'training',
      helperScript,
      keepsProcessAlive: true,
      onFailure: (message) => options.onWarning?.(`${message}; training goes on in one thread`),
      optimizer: trainer.optimizerMemory,
    });
    if (typeof thread === 'string') {
      options.onWarning?.(`${thread}; training runs in one thread`);
      return undefined;
    }
    return new TrainingHelper(thread);
  }

  /** Sends a half-batch (the helper reads the current weights in place); returns the request id. */
  send(batch: Batch, dropout: DropoutKey | undefined, embeddingGradient: boolean, lossCount: number): number {
    return this.thread.send({ type: 'step', batch, dropout, embeddingGradient, lossCount });
  }

  /** Waits (blocking) for the gradients of request `id`; undefined if the helper failed. */
  receive(id: number): LossAndGradients | undefined {
    const reply = this.thread.receive(id);
    return reply?.type === 'result' ? reply.result : undefined;
  }

  /** Waits (blocking) for the end of Adam request `id`; false if the helper failed. */
  receiveAdam(id: number): boolean {
    return this.thread.receive(id)?.type === 'adamDone';
  }
}
