import * as vscode from 'vscode';
import { describeMessage } from '../../protocol/guards';
import { HostToPanel, isHostToPanel } from '../../protocol/panelMessages';
import { DataSource, ModelView, PanelSnapshot, sourceTitle } from '../../protocol/views';
import type { Feature } from '../../protocol/features';
import { browseForSource, candidateSourceItems, sourceForFile } from './candidateFiles';
import { EventLoopMonitor } from './eventLoopMonitor';
import { ModelManager } from './modelManager';
import { TRAINING_PANEL_VIEW_TYPE, TrainingPanel, TrainingPanelServices } from './trainingPanel';

/** The training panel on the extension's API. */
export interface TrainingApi {
  /** Opens the panel (on a file, or empty) and waits until it exists. */
  open(file?: vscode.Uri): Promise<void>;
  /** What the panel shows now (undefined when it is closed). */
  snapshot(): PanelSnapshot | undefined;
  /** Closes the panel. */
  close(): void;
}

/** The training panel's test hooks (ExtensionMode.Test only). */
export interface TrainingTestHooks {
  /** Handles a message exactly as if the panel's webview had sent it (checked like one). */
  postFromPanel(message: unknown): void;
  /** Fires with every message the host posts to the panel. */
  readonly onDidPostToPanel: vscode.Event<HostToPanel>;
  /** Kills the training worker as a crash would; false when none was running. */
  killWorker(): boolean;
  /** Whether the panel's worker thread is alive. */
  workerRunning(): boolean;
  /** The extension host's longest block (ms) during the current or last training run. */
  longestHostBlockMs(): number;
}

/** Non-interactive model management on the API (the commands ask; these do not). */
export interface ModelsApi {
  list(): ModelView[];
  /** The folder of a model, or undefined. */
  folder(name: string): string | undefined;
  activate(name: string, feature: Feature): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  delete(name: string): Promise<void>;
  import(folder: string, name: string): Promise<void>;
  export(name: string, destinationParent: string): Promise<string>;
}

/**
 * Owns the training panel (at most one), the serializer that restores it after a window reload,
 * the commands' entry points, and the API hooks.
 */
export class TrainingController implements vscode.Disposable {
  private panel: TrainingPanel | undefined;
  private readonly posted = new vscode.EventEmitter<HostToPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly monitor = new EventLoopMonitor();
  private readonly services: TrainingPanelServices;

  constructor(
    extensionUri: vscode.Uri,
    private readonly manager: ModelManager,
    store: TrainingPanelServices['store'],
    config: TrainingPanelServices['config'],
    private readonly log: vscode.LogOutputChannel,
    sourceMemory?: vscode.Memento,
  ) {
    this.services = { extensionUri, store, manager, config, log, monitor: this.monitor, sourceMemory };
    this.disposables.push(
      this.posted,
      this.monitor,
      vscode.window.registerWebviewPanelSerializer(TRAINING_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const saved = savedSnapshot(state);
          if (!saved && state !== undefined)
            log.warn(`training panel: ignored a saved state of an unknown shape (${describeMessage(state)})`);
          this.adopt(panel, saved);
        },
      }),
    );
  }

  /** Opens the panel (or reveals it), loading `source` when given. */
  async open(source?: DataSource): Promise<TrainingPanel> {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        TRAINING_PANEL_VIEW_TYPE,
        source ? `Train: ${sourceTitle(source)}` : 'Sentiment Lens: Training',
        vscode.ViewColumn.Active,
        { enableScripts: true },
      );
      this.adopt(panel, undefined);
    } else {
      this.panel.panel.reveal();
    }
    const opened = this.panel!;
    if (source) await opened.load(source);
    return opened;
  }

  /** Command "Train on Workspace File": a file from a quick pick (or the given one), then the panel on it. */
  async trainOnWorkspaceFileCommand(file?: vscode.Uri): Promise<void> {
    let source: DataSource | undefined = file instanceof vscode.Uri ? sourceForFile(file.fsPath) : undefined;
    if (!source) {
      const picked = await vscode.window.showQuickPick(candidateSourceItems(), {
        placeHolder: 'Labelled file to train on (CSV, TSV, JSONL, label<TAB>text, or a .pos/.neg pair)',
        matchOnDescription: true,
      });
      if (!picked) return;
      source = picked.browse ? await browseForSource() : picked.source;
    }
    if (source) await this.open(source);
  }

  /** Command "Open Training Panel". */
  async openTrainingPanelCommand(): Promise<void> {
    await this.open();
  }

  /** The panel on the API. */
  api(): TrainingApi {
    return {
      open: async (file) => {
        await this.open(file ? sourceForFile(file.fsPath) : undefined);
      },
      snapshot: () => this.panel?.state,
      close: () => this.panel?.dispose(),
    };
  }

  /** The panel's test hooks. */
  testHooks(): TrainingTestHooks {
    return {
      postFromPanel: (message) => {
        if (!this.panel) throw new Error('the training panel is not open');
        this.panel.receive(message);
      },
      onDidPostToPanel: this.posted.event,
      killWorker: () => this.panel?.killWorker() ?? false,
      workerRunning: () => this.panel?.workerRunning ?? false,
      longestHostBlockMs: () => this.monitor.longestBlockMs,
    };
  }

  /** Non-interactive model management for the API. */
  modelsApi(): ModelsApi {
    return {
      list: () => this.manager.views(),
      folder: (name) => this.services.store.find(name)?.dir,
      activate: (name, feature) => this.manager.activate(name, feature),
      rename: (from, to) => this.manager.rename(from, to),
      delete: (name) => this.manager.delete(name),
      import: async (folder, name) => {
        await this.manager.import(folder, name);
      },
      export: (name, destination) => this.services.store.export(name, destination),
    };
  }

  private adopt(webviewPanel: vscode.WebviewPanel, restored: PanelSnapshot | undefined): void {
    this.panel?.dispose();
    const panel = new TrainingPanel(webviewPanel, this.services, restored);
    const forward = panel.onDidPost((message) => this.posted.fire(message));
    panel.onDidDispose(() => {
      forward.dispose();
      if (this.panel === panel) this.panel = undefined;
      this.log.info('training panel closed; its worker was terminated');
    });
    this.panel = panel;
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

/** The snapshot a webview saved with setState, if it has the expected shape. */
function savedSnapshot(state: unknown): PanelSnapshot | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const message = { type: 'init', snapshot: (state as { snapshot?: unknown }).snapshot };
  return isHostToPanel(message) && message.type === 'init' ? message.snapshot : undefined;
}
