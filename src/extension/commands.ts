import * as vscode from 'vscode';
import {
  checkCommentsCommand,
  checkWorkspaceCommentsCommand,
  ignoreCommentCommand,
  ignoreFileCommand,
  resetIgnoredCommand,
  showCommentTrajectoryCommand,
} from './comments/toneCommands';
import type { ToneService } from './comments/toneService';
import type { WorkspaceToneChecker } from './comments/workspaceToneChecker';
import { clearHighlightsCommand, highlightSelectionCommand } from './highlight/highlightCommands';
import type { ConfigService } from './config';
import type { Highlighter } from './highlight/highlighter';
import type { ModelManager } from './training/modelManager';
import type { TrainingController } from './training/trainingController';
import { openSampleCommand } from './walkthroughCommands';
import { CommandId, commandIds } from './commandIds';

/** What the command handlers need from the rest of the extension. */
export interface CommandServices {
  readonly log: vscode.LogOutputChannel;
  readonly config: ConfigService;
  readonly highlighter: Highlighter;
  readonly tone: ToneService;
  readonly workspaceTone: WorkspaceToneChecker;
  readonly training: TrainingController;
  readonly modelManager: ModelManager;
  /** The extension's folder, where the walkthrough's samples are. */
  readonly extensionUri: vscode.Uri;
}

/** Registers a handler for every id in `commandIds`; the Record type makes a missing handler a compile error. */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [commandIds.highlightSelection]: () =>
      highlightSelectionCommand(services.highlighter, services.config, services.log),
    [commandIds.clearHighlights]: () => clearHighlightsCommand(services.highlighter),
    [commandIds.checkComments]: (uri) => checkCommentsCommand(services.tone, services.log, uri),
    [commandIds.checkWorkspaceComments]: () => checkWorkspaceCommentsCommand(services.workspaceTone, services.log),
    [commandIds.showCommentTrajectory]: (uri, key, kind, sentenceStart) =>
      showCommentTrajectoryCommand(services.tone, services.log, uri, key, kind, sentenceStart),
    [commandIds.ignoreComment]: (uri, key) => ignoreCommentCommand(services.tone, uri, key),
    [commandIds.ignoreFile]: (uri) => ignoreFileCommand(services.tone, uri),
    [commandIds.resetIgnored]: () => resetIgnoredCommand(services.tone),
    [commandIds.trainOnWorkspaceFile]: (uri) =>
      services.training.trainOnWorkspaceFileCommand(uri instanceof vscode.Uri ? uri : undefined),
    [commandIds.openTrainingPanel]: () => services.training.openTrainingPanelCommand(),
    [commandIds.switchModel]: () => services.modelManager.switchInteractive(),
    [commandIds.renameModel]: (name) =>
      services.modelManager.renameInteractive(typeof name === 'string' ? name : undefined),
    [commandIds.deleteModel]: (name) =>
      services.modelManager.deleteInteractive(typeof name === 'string' ? name : undefined),
    [commandIds.exportModel]: (name) =>
      services.modelManager.exportInteractive(typeof name === 'string' ? name : undefined),
    [commandIds.importModel]: (uri) =>
      services.modelManager.importInteractive(uri instanceof vscode.Uri ? uri : undefined),
    [commandIds.openSample]: (sample) => openSampleCommand(services.extensionUri, sample),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
