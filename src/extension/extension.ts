import * as vscode from 'vscode';
import type { SentimentLensApi } from './api';
import { registerCommands } from './commands';
import { ModelService } from './modelService';
import { ModelStore } from './modelStore';

/** Entry point: creates the services, registers them, returns the public API. Heavy work stays lazy. */
export function activate(context: vscode.ExtensionContext): SentimentLensApi {
  const log = vscode.window.createOutputChannel('Sentiment Lens', { log: true });

  // Log channel
  context.subscriptions.push(log);

  // Models: folders, and lazy loading per feature
  const store = new ModelStore(context.extensionPath, context.globalStorageUri.fsPath);
  const models = new ModelService(store, log);
  context.subscriptions.push(store, models);

  // Commands
  context.subscriptions.push(...registerCommands({ log }));

  const version = String(context.extension.packageJSON.version);
  log.info(`Sentiment Lens ${version} activated`);
  return {
    version,
    classify: async (text, feature = 'highlight') => {
      const active = await models.get(feature);
      return { ...active.classifier.classify(text), model: active.name };
    },
  };
}

/** Nothing to do: everything is disposed through `context.subscriptions`. */
export function deactivate(): void {}
