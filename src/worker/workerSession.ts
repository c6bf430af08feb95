/**
 * The training worker's logic, apart from worker_threads so that unit tests can drive it directly:
 * reads data sources, trains (one run at a time, cancellable between batches), builds the report,
 * and saves the last finished run's model atomically. Answers go through `post`.
 */
import * as path from 'node:path';
import { Classifier } from '../core/classify/classifier';
import { transferEmbedding } from '../core/training/embeddingTransfer';
import { loadClassifierModel, saveTrainedModel } from '../core/training/modelFiles';
import { fingerprintFiles } from '../core/readers/fingerprint';
import {
  resolveTrainingOptions,
  trainClassifier,
  TrainingCancelledError,
  TrainingOptions,
  TrainingResult,
} from '../core/training/training';
import type { HostToWorker, WorkerToHost } from '../protocol/workerMessages';
import { PanelTrainingSettings, runOptionsOf } from '../protocol/trainingSettings';
import type { ReportView, SampleView } from '../protocol/views';
import { sourceFiles, sourceTitle } from '../protocol/views';
import { readSource, toSourceView } from './sourceReader';

/** Validation sentences shown in the report. */
export const REPORT_SAMPLES = 6;

/** The training options of the panel's settings (the rest keep their defaults). */
export function optionsFromSettings(settings: PanelTrainingSettings): TrainingOptions {
  return resolveTrainingOptions(runOptionsOf(settings));
}

interface FinishedRun {
  readonly result: TrainingResult;
  readonly files: readonly string[];
  readonly description: string;
}

/** One worker's state: the running job (if any) and the last finished run. */
export class WorkerSession {
  private running: { requestId: number; abort: AbortController } | undefined;
  private finished: FinishedRun | undefined;

  /** `helperScript`: the engine helper thread's entry script, for training and the report's classifier. */
  constructor(
    private readonly post: (message: WorkerToHost) => void,
    private readonly helperScript: string,
  ) {}

  /** Handles a checked message; returns when the work it started has ended. */
  async handle(message: HostToWorker): Promise<void> {
    switch (message.type) {
      case 'load':
        return this.load(message);
      case 'train':
        return this.train(message);
      case 'cancel':
        if (this.running?.requestId === message.requestId) this.running.abort.abort();
        return;
      case 'save':
        return this.save(message);
    }
  }

  private async load({ requestId, source, maxBytes }: Extract<HostToWorker, { type: 'load' }>): Promise<void> {
    try {
      this.post({ type: 'loaded', requestId, view: toSourceView(source, readSource(source, maxBytes)) });
    } catch (error) {
      this.postError(requestId, 'could not read the file', error);
    }
  }

  private async train(message: Extract<HostToWorker, { type: 'train' }>): Promise<void> {
    const { requestId } = message;
    if (this.running) {
      this.post({ type: 'error', requestId, message: 'a training run is already in progress' });
      return;
    }
    const abort = new AbortController();
    this.running = { requestId, abort };
    try {
      const options = optionsFromSettings(message.settings);
      const data = readSource(message.source, message.maxBytes);
      const view = toSourceView(message.source, data);
      if (view.blocker) throw new Error(view.blocker);
      let initialEmbedding:
        ((vocabulary: { tokens: readonly string[] }, embedding: Float32Array, dim: number) => Float32Array) | undefined;
      if (message.settings.startFromBundled && message.pretrainedModelDir) {
        const base = await loadClassifierModel(message.pretrainedModelDir);
        if (base.arch.embeddingDim !== options.embeddingDim) {
          throw new Error(
            `the bundled model's embedding has ${base.arch.embeddingDim} dimensions, this run's has ${options.embeddingDim}: set the embedding size to ${base.arch.embeddingDim} to start from it`,
          );
        }
        const source = {
          tokens: base.vocabulary.tokens,
          embedding: base.weights.embedding,
          dim: base.arch.embeddingDim,
        };
        initialEmbedding = (vocabulary, embedding, dim) =>
          transferEmbedding(vocabulary.tokens, embedding, dim, source).embedding;
      }
      const result = await trainClassifier(data.examples, options, {
        signal: abort.signal,
        onProgress: (progress) => this.post({ type: 'progress', requestId, progress }),
        onWarning: (message) => this.post({ type: 'warning', requestId, message }),
        initialEmbedding,
        helperScript: this.helperScript,
      });
      const files = sourceFiles(message.source);
      this.finished = { result, files, description: sourceTitle(message.source) };
      this.post({ type: 'done', requestId, report: buildReport(result, this.helperScript) });
    } catch (error) {
      if (error instanceof TrainingCancelledError || (error as Error)?.name === 'AbortError')
        this.post({ type: 'cancelled', requestId });
      else this.postError(requestId, (error as Error)?.message ?? String(error), error);
    } finally {
      this.running = undefined;
    }
  }

  private async save({ requestId, dir, name }: Extract<HostToWorker, { type: 'save' }>): Promise<void> {
    if (!this.finished) {
      this.post({ type: 'error', requestId, message: 'there is no finished training run to save' });
      return;
    }
    try {
      const { result, files, description } = this.finished;
      await saveTrainedModel(dir, result, {
        name,
        dataFingerprint: fingerprintFiles(files),
        dataDescription: description,
        onWarning: (message) => this.post({ type: 'warning', requestId, message }),
      });
      this.post({ type: 'saved', requestId, dir: path.resolve(dir), accuracy: result.metrics.accuracy });
    } catch (error) {
      this.postError(requestId, `could not save the model: ${(error as Error)?.message ?? String(error)}`, error);
    }
  }

  private postError(requestId: number, message: string, error: unknown): void {
    this.post({
      type: 'error',
      requestId,
      message,
      detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}

/** The report of a finished run: metrics and a few validation sentences with their trajectories. */
export function buildReport(result: TrainingResult, helperScript: string): ReportView {
  const { metrics, model } = result;
  const classifier = new Classifier(model, { helperScript });
  const pool = result.validation.length ? result.validation : [];
  // A few sentences of each class, short ones first so that they fit the panel.
  const picked = model.labels
    .flatMap((label) =>
      pool
        .filter((d) => d.label === label && d.text.length <= 160)
        .slice(0, Math.ceil(REPORT_SAMPLES / model.labels.length)),
    )
    .slice(0, REPORT_SAMPLES);
  const samples: SampleView[] = classifier.classifyMany(picked.map((d) => d.text)).map((c, i) => ({
    text: picked[i].text,
    gold: picked[i].label,
    predicted: c.label,
    tokens: c.tokens.map((t) => ({ text: t.text, probabilities: model.labels.map((label) => t.probabilities[label]) })),
  }));
  void classifier.dispose();
  return {
    labels: [...model.labels],
    accuracy: metrics.accuracy,
    macroF1: metrics.macroF1,
    perClass: metrics.perClass,
    confusion: metrics.confusion,
    bestEpoch: result.bestEpoch,
    ...(result.members ? { bestEpochs: result.members.map((member) => member.bestEpoch) } : {}),
    trainingExamples: result.trainingExamples,
    validationExamples: result.validationExamples,
    seconds: result.seconds,
    samples,
    saveable: true,
  };
}
