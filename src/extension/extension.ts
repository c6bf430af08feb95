import * as vscode from 'vscode';
import type { SentimentLensApi } from './api';
import { registerCommands } from './commands';

/** Entry point: creates the services, registers them, returns the public API. Heavy work stays lazy. */
export function activate(context: vscode.ExtensionContext): SentimentLensApi {
  const log = vscode.window.createOutputChannel('Sentiment Lens', { log: true });

  // Log channel
  context.subscriptions.push(log);

  // Commands
  context.subscriptions.push(...registerCommands({ log }));

  const version = String(context.extension.packageJSON.version);
  log.info(`Sentiment Lens ${version} activated`);
  return { version };
}

/** Nothing to do: everything is disposed through `context.subscriptions`. */
export function deactivate(): void {}
