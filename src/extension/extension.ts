import * as vscode from 'vscode';
import type { SentimentLensApi } from './api';
import { registerCommands } from './commands';
import { LiveToneChecker } from './comments/liveToneChecker';
import { ToneService } from './comments/toneService';
import { WorkspaceToneChecker } from './comments/workspaceToneChecker';
import { ConfigService } from './config';
import { createEditorApi, createEditorTestHooks } from './editorApi';
import { HighlightHoverProvider } from './highlight/highlightHoverProvider';
import { Highlighter } from './highlight/highlighter';
import { ModelService } from './modelService';
import { engineHelperScript } from '../worker/engineHelperScript';
import { ModelStore } from './modelStore';
import { StatusBar } from './statusBar';
import { ModelManager } from './training/modelManager';
import { TrainingController } from './training/trainingController';

/** Entry point: creates the services, registers them, returns the public API. Heavy work stays lazy. */
export function activate(context: vscode.ExtensionContext): SentimentLensApi {
  const log = vscode.window.createOutputChannel('Sentiment Lens', { log: true });

  // Log channel
  context.subscriptions.push(log);

  // Settings: one reader, with change events per section
  const config = new ConfigService();
  context.subscriptions.push(config);

  // Models: folders, and lazy loading per feature
  const store = new ModelStore(context.extensionPath, context.globalStorageUri.fsPath);
  const models = new ModelService(store, config, log, engineHelperScript());
  context.subscriptions.push(store, models);

  // Editor features: per-word highlights and their hovers, comment tone (diagnostics, live mode, workspace check), status bar
  const highlighter = new Highlighter(models, config, log);
  const tone = new ToneService(models, config, context.workspaceState, highlighter, log);
  const workspaceTone = new WorkspaceToneChecker(tone, config, log);
  const statusBar = new StatusBar(models, tone, config);
  context.subscriptions.push(
    highlighter,
    tone,
    new LiveToneChecker(tone, config, log),
    statusBar,
    vscode.languages.registerHoverProvider({ scheme: '*' }, new HighlightHoverProvider(highlighter)),
  );

  // Training panel (training runs in a worker thread) and model management
  const modelManager = new ModelManager(store, models, config, log);
  const training = new TrainingController(
    context.extensionUri,
    modelManager,
    store,
    config,
    log,
    context.workspaceState,
  );
  context.subscriptions.push(training);

  // Commands
  context.subscriptions.push(
    ...registerCommands({
      log,
      config,
      highlighter,
      tone,
      workspaceTone,
      training,
      modelManager,
      extensionUri: context.extensionUri,
    }),
  );

  const version = String(context.extension.packageJSON.version);
  log.info(`Sentiment Lens ${version} activated`);
  const api: SentimentLensApi = {
    ...createEditorApi(highlighter, tone),
    version,
    training: training.api(),
    models: training.modelsApi(),
    classify: async (text, feature = 'highlight') => {
      const active = await models.get(feature);
      return { ...active.classifier.classify(text), model: active.name };
    },
  };
  // Test hooks: only when VS Code runs the extension's own tests
  if (context.extensionMode !== vscode.ExtensionMode.Test) return api;
  return {
    ...api,
    testing: { ...createEditorTestHooks(highlighter, tone, statusBar), training: training.testHooks() },
  };
}

/** Nothing to do: everything is disposed through `context.subscriptions`. */
export function deactivate(): void {}
