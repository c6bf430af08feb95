import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_MAX_BYTES } from '../../core/readers/files';
import { advanceRun, runFraction } from '../../core/training/runProgress';
import { resolveTrainingOptions, TrainingProgress } from '../../core/training/training';
import { describeMessage } from '../../protocol/guards';
import { Feature, featureName } from '../../protocol/features';
import { HostToPanel, isPanelToHost, PanelToHost } from '../../protocol/panelMessages';
import { PANEL_SETTING_DEFAULTS, PanelTrainingSettings, runOptionsOf } from '../../protocol/trainingSettings';
import {
  bestEpochText,
  DataSource,
  IDLE_RUN,
  ModelView,
  PanelSnapshot,
  RUNNING_STATUSES,
  RunView,
  sourceFiles,
} from '../../protocol/views';
import type { ConfigService } from '../config';
import { FALLBACK_MODEL } from '../modelService';
import { ModelStore } from '../modelStore';
import { browseForSource } from './candidateFiles';
import { EventLoopMonitor } from './eventLoopMonitor';
import { ModelManager } from './modelManager';
import { panelHtml } from './panelHtml';
import { restoredSnapshot } from './panelState';
import { TrainingWorkerClient, WorkerOutcome } from './trainingWorkerClient';

/** The panel's view type (also the serializer's key and the activation event's). */
export const TRAINING_PANEL_VIEW_TYPE = 'sentimentLens.training';

/** What a panel needs from the extension. */
export interface TrainingPanelServices {
  readonly extensionUri: vscode.Uri;
  readonly store: ModelStore;
  readonly manager: ModelManager;
  readonly config: ConfigService;
  readonly log: vscode.LogOutputChannel;
  readonly monitor: EventLoopMonitor;
  /**
   * Host-side storage (workspace state) of the data source last read, so that a panel restored
   * after a window reload reads only a file the host chose, never one named by the webview's state.
   */
  readonly sourceMemory?: vscode.Memento;
}

/** Key of the last read data source in TrainingPanelServices.sourceMemory. */
const LAST_SOURCE_KEY = 'sentimentLens.training.lastSource';

/** Minimum time between two run updates posted during an epoch. */
const RUN_POST_INTERVAL_MS = 150;

/**
 * The host side of the training panel: owns the webview panel, the authoritative snapshot of what
 * it shows, and the training worker. Checks every message from the webview, runs loads, training
 * and saves in the worker, mirrors a run in a cancellable progress notification, and terminates
 * the worker when the panel closes.
 */
export class TrainingPanel implements vscode.Disposable {
  private snapshot: PanelSnapshot;
  private readonly worker: TrainingWorkerClient;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly posted = new vscode.EventEmitter<HostToPanel>();
  /** Every message posted to the webview (also while it is hidden): for tests. */
  readonly onDidPost = this.posted.event;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private runRequestId: number | undefined;
  private lastRunPost = 0;
  private loadGeneration = 0;
  private isDisposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: TrainingPanelServices,
    restored?: PanelSnapshot,
  ) {
    this.worker = new TrainingWorkerClient(
      vscode.Uri.joinPath(services.extensionUri, 'dist', 'trainingWorker.js').fsPath,
      services.log,
    );
    this.snapshot = restored
      ? restoredSnapshot(restored, services.sourceMemory?.get<DataSource>(LAST_SOURCE_KEY))
      : {
          settings: PANEL_SETTING_DEFAULTS,
          defaults: PANEL_SETTING_DEFAULTS,
          run: IDLE_RUN,
          models: [],
          maxFileBytes: DEFAULT_MAX_BYTES,
        };
    this.snapshot = { ...this.snapshot, models: services.manager.views() };
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(services.extensionUri, 'media'),
        vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview'),
      ],
    };
    panel.webview.html = panelHtml(panel.webview, services.extensionUri);
    this.disposables.push(
      this.worker,
      this.posted,
      this.disposed,
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      services.store.onDidChange(() => this.refreshModels()),
      services.config.onDidChange('models', () => this.refreshModels()),
    );
  }

  /** What the panel shows now. */
  get state(): PanelSnapshot {
    return this.snapshot;
  }

  /** Whether the worker thread is alive. */
  get workerRunning(): boolean {
    return this.worker.running;
  }

  /** Kills the worker as a crash would (tests). */
  killWorker(): boolean {
    return this.worker.kill();
  }

  /** Handles a message as if the webview had sent it: checked, then acted on; unknown ones are logged and ignored. */
  receive(message: unknown): void {
    if (!isPanelToHost(message)) {
      this.services.log.warn(`training panel: ignored ${describeMessage(message)} message`);
      return;
    }
    void this.handle(message).catch((error: Error) =>
      this.services.log.error(`training panel: ${message.type} failed: ${error.stack ?? error.message}`),
    );
  }

  private async handle(message: PanelToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'init', snapshot: this.snapshot });
        return;
      case 'browse': {
        const source = await browseForSource();
        if (source) await this.load(source);
        return;
      }
      case 'reparse': {
        const current = this.snapshot.source?.source;
        if (!current) return this.answer(message.requestId, 'failed', 'Choose a file first.');
        if (current.kind === 'pair') return this.load(current);
        const { format, hasHeader, textColumn, labelColumn } = message;
        return this.load({ kind: 'file', path: current.path, format, hasHeader, textColumn, labelColumn });
      }
      case 'openLocation': {
        // Only lines of the file being previewed (a path from the webview is not trusted).
        const previewed = this.snapshot.source ? sourceFiles(this.snapshot.source.source) : [];
        if (!previewed.some((file) => path.resolve(file) === path.resolve(message.file))) {
          this.services.log.warn('training panel: ignored openLocation for a file that is not being previewed');
          return;
        }
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(message.file));
        const line = Math.max(0, Math.min(message.line - 1, document.lineCount - 1));
        await vscode.window.showTextDocument(document, {
          viewColumn: vscode.ViewColumn.One,
          selection: new vscode.Range(line, 0, line, document.lineAt(line).text.length),
        });
        return;
      }
      case 'settings':
        this.snapshot = { ...this.snapshot, settings: message.settings };
        return;
      case 'start':
        return this.start(message.requestId, message.settings);
      case 'cancel':
        this.cancel();
        return;
      case 'save':
        return this.save(message.requestId, message.name.trim(), message.activateFor);
      case 'activateModel':
        return this.modelAction(() => this.services.manager.activate(message.name, message.feature));
      case 'renameModel':
        return this.modelAction(() => this.services.manager.renameInteractive(message.name));
      case 'deleteModel':
        return this.modelAction(() => this.services.manager.deleteInteractive(message.name));
      case 'exportModel':
        return this.modelAction(() => this.services.manager.exportInteractive(message.name));
      case 'importModel':
        return this.modelAction(() => this.services.manager.importInteractive());
    }
  }

  /** Reads a data source in the worker and shows its preview. */
  async load(source: DataSource): Promise<void> {
    const generation = ++this.loadGeneration;
    this.snapshot = { ...this.snapshot, notice: 'Reading the file…' };
    this.post({ type: 'source', source: this.snapshot.source, notice: this.snapshot.notice });
    // The limit is the host's, never the snapshot's (which a restored webview state could have set).
    const { outcome } = this.worker.request({ type: 'load', source, maxBytes: DEFAULT_MAX_BYTES });
    const result = await outcome;
    if (generation !== this.loadGeneration || this.isDisposed) return; // a newer load superseded this one
    if (result.type === 'loaded') {
      const view = result.view;
      const notice = view.blocker ? `Cannot train on ${view.title}: ${view.blocker}` : undefined;
      this.snapshot = { ...this.snapshot, source: view, notice };
      void this.services.sourceMemory?.update(LAST_SOURCE_KEY, view.source);
      this.post({ type: 'source', source: view, notice });
      this.panel.title = `Train: ${view.title}`;
    } else {
      const why = result.type === 'error' || result.type === 'crashed' ? result.message : result.type;
      this.services.log.error(
        `reading ${JSON.stringify(source)} failed: ${result.type === 'error' ? (result.detail ?? why) : why}`,
      );
      const notice = `Could not read the file: ${why}`;
      this.snapshot = { ...this.snapshot, notice };
      this.post({ type: 'source', source: this.snapshot.source, notice });
    }
  }

  /** Starts a run in the worker with a cancellable progress notification mirroring it. */
  async start(requestId: number, settings: PanelTrainingSettings): Promise<void> {
    this.snapshot = { ...this.snapshot, settings };
    this.post({ type: 'settings', settings }); // the form shows what the run uses
    const source = this.snapshot.source;
    if (RUNNING_STATUSES.has(this.snapshot.run.status))
      return this.answer(requestId, 'failed', 'A run is already in progress.');
    if (!source) return this.answer(requestId, 'failed', 'Choose a file to train on first.');
    if (source.blocker) return this.answer(requestId, 'failed', `Cannot train on ${source.title}: ${source.blocker}`);
    try {
      resolveTrainingOptions(runOptionsOf(settings));
    } catch (error) {
      return this.answer(requestId, 'failed', (error as Error).message);
    }
    let pretrainedModelDir: string | undefined;
    if (settings.startFromBundled) {
      const bundled = this.services.store.find(FALLBACK_MODEL);
      if (!bundled || bundled.origin !== 'bundled')
        return this.answer(
          requestId,
          'failed',
          `The bundled model "${FALLBACK_MODEL}" is not installed, so training cannot start from its embeddings.`,
        );
      pretrainedModelDir = bundled.dir;
    }

    this.setRun({ ...IDLE_RUN, status: 'starting', epochs: settings.epochs }, true);
    this.services.monitor.start();
    const { requestId: workerRequest, outcome } = this.worker.request(
      { type: 'train', source: source.source, maxBytes: DEFAULT_MAX_BYTES, settings, pretrainedModelDir },
      (message) => this.onProgress(message.progress),
    );
    this.runRequestId = workerRequest;
    this.answer(requestId, 'ok', `Training on ${source.title}…`);
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Sentiment Lens: training on ${source.title}`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => this.cancel());
        let reported = 0;
        const subscription = this.posted.event((message) => {
          if (message.type !== 'run' || !RUNNING_STATUSES.has(message.run.status)) return;
          const run = message.run;
          const done = runFraction(run);
          const increment = Math.max(0, done * 100 - reported);
          reported += increment;
          progress.report({
            increment,
            message:
              run.status === 'pretraining'
                ? 'pretraining word vectors'
                : `${run.member !== undefined ? `network ${run.member}/${run.members}, ` : ''}epoch ${run.epoch}/${run.epochs}${run.remainingSeconds !== undefined ? `, about ${Math.ceil(run.remainingSeconds)} s left` : ''}`,
          });
        });
        try {
          await outcome;
        } finally {
          subscription.dispose();
        }
      },
    );
    this.finishRun(await outcome);
  }

  /** Asks the worker to stop the run at its next batch. */
  cancel(): void {
    if (this.runRequestId !== undefined && RUNNING_STATUSES.has(this.snapshot.run.status))
      this.worker.cancel(this.runRequestId);
  }

  private onProgress(progress: TrainingProgress): void {
    const { run, urgent } = advanceRun(this.snapshot.run, progress);
    this.setRun(run, urgent);
  }

  private finishRun(outcome: WorkerOutcome): void {
    this.services.monitor.stop();
    this.runRequestId = undefined;
    if (this.isDisposed) return;
    const run = this.snapshot.run;
    const where =
      run.epoch > 0
        ? `${run.member !== undefined ? ` in network ${run.member} of ${run.members}` : ''} at epoch ${run.epoch}${run.batches ? `, batch ${run.batch} of ${run.batches}` : ''}`
        : '';
    const intact = 'No model was saved; your saved models are unchanged.';
    switch (outcome.type) {
      case 'done': {
        const report = outcome.report;
        this.setRun(
          {
            ...run,
            status: 'done',
            remainingSeconds: 0,
            elapsedSeconds: report.seconds,
            report,
            message: `Finished in ${report.seconds.toFixed(1)} s: validation accuracy ${(report.accuracy * 100).toFixed(1)}% (${bestEpochText(report)}). Save the model below to use it.`,
          },
          true,
        );
        this.services.log.info(
          `training finished: accuracy ${report.accuracy.toFixed(4)} in ${report.seconds.toFixed(1)} s; longest extension-host block ${this.services.monitor.longestBlockMs.toFixed(1)} ms`,
        );
        return;
      }
      case 'cancelled':
        this.setRun(
          {
            ...run,
            status: 'cancelled',
            remainingSeconds: undefined,
            report: undefined,
            message: `Training was cancelled${where}. ${intact}`,
          },
          true,
        );
        return;
      case 'crashed':
        this.setRun(
          {
            ...run,
            status: 'crashed',
            remainingSeconds: undefined,
            report: undefined,
            message: `The training worker stopped unexpectedly${where} (${outcome.message}). ${intact} Start again to retrain.`,
          },
          true,
        );
        this.services.log.error(`training worker crashed: ${outcome.message}`);
        return;
      case 'error':
        this.setRun(
          {
            ...run,
            status: 'failed',
            remainingSeconds: undefined,
            report: undefined,
            message: `Training failed: ${outcome.message}. ${intact}`,
          },
          true,
        );
        this.services.log.error(`training failed: ${outcome.detail ?? outcome.message}`);
        return;
      default:
        this.services.log.warn(`training: unexpected answer ${outcome.type}`);
    }
  }

  /** Saves the finished run's model under `name` (atomically, in the worker) and makes it active as asked. */
  async save(requestId: number, name: string, activateFor: readonly Feature[]): Promise<void> {
    const report = this.snapshot.run.report;
    if (!report || !report.saveable) return this.answer(requestId, 'failed', 'There is no finished run to save.');
    const problem = this.services.store.checkNewName(name);
    if (problem) return this.answer(requestId, 'failed', `Cannot save: ${problem}.`);
    const { outcome } = this.worker.request({ type: 'save', dir: this.services.store.userModelDir(name), name });
    const result = await outcome;
    if (result.type !== 'saved') {
      const why = result.type === 'error' || result.type === 'crashed' ? result.message : result.type;
      this.services.log.error(`saving "${name}" failed: ${result.type === 'error' ? (result.detail ?? why) : why}`);
      if (result.type === 'crashed')
        this.setRun({ ...this.snapshot.run, report: { ...report, saveable: false } }, true);
      return this.answer(requestId, 'failed', `Could not save "${name}": ${why}. Your other models are unchanged.`);
    }
    this.services.store.notifyChanged();
    try {
      for (const feature of activateFor) await this.services.manager.activate(name, feature);
    } catch (error) {
      this.services.log.error(`making "${name}" active failed: ${(error as Error).stack ?? error}`);
      return this.answer(
        requestId,
        'failed',
        `Saved "${name}", but could not make it active: ${(error as Error).message}`,
      );
    }
    this.setRun({ ...this.snapshot.run, report: { ...report, savedAs: name } }, true);
    this.refreshModels();
    const usedFor = activateFor.map(featureName).join(' and ');
    this.answer(requestId, 'ok', `Saved "${name}"${usedFor ? `; it is now used for ${usedFor}` : ''}.`);
  }

  private async modelAction(action: () => Promise<void>): Promise<void> {
    await action();
    this.refreshModels();
  }

  private refreshModels(): void {
    if (this.isDisposed) return;
    const models: ModelView[] = this.services.manager.views();
    this.snapshot = { ...this.snapshot, models };
    this.post({ type: 'models', models });
  }

  private setRun(run: RunView, always: boolean): void {
    this.snapshot = { ...this.snapshot, run };
    const now = Date.now();
    if (!always && now - this.lastRunPost < RUN_POST_INTERVAL_MS) return;
    this.lastRunPost = now;
    this.post({ type: 'run', run });
  }

  private answer(requestId: number, outcome: 'ok' | 'failed', message: string): void {
    this.post({ type: 'result', requestId, outcome, message });
  }

  private post(message: HostToPanel): void {
    if (this.isDisposed) return;
    this.posted.fire(message);
    void this.panel.webview.postMessage(message);
  }

  /** Closes the panel's resources: the worker is terminated (a running run ends with it). */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.services.monitor.stop();
    this.disposed.fire();
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
