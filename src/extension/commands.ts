import * as vscode from 'vscode';

/** Every command the extension contributes; package.json's `contributes.commands` lists the same ids. */
export const commandIds = {
  classifySelection: 'sentimentLens.classifySelection',
} as const;

/** One of the contributed command ids. */
export type CommandId = (typeof commandIds)[keyof typeof commandIds];

/** What the command handlers need from the rest of the extension. */
export interface CommandServices {
  readonly log: vscode.LogOutputChannel;
}

/** Registers a handler for every id in `commandIds`; the Record type makes a missing handler a compile error. */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [commandIds.classifySelection]: () => classifySelectionCommand(services),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

/** Classifies the active editor's selection. For now it only logs what it would classify. */
function classifySelectionCommand({ log }: CommandServices): void {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    log.info('Classify Selection: no active editor');
    return;
  }
  const text = editor.document.getText(editor.selection);
  log.info(`Classify Selection: ${text.length} characters selected in ${editor.document.uri.fsPath}`);
}
