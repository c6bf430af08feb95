import * as vscode from 'vscode';

/**
 * Shows one short message for a failed action and writes the whole error (stack and cause) to the
 * log channel, with a button that opens it.
 */
export function reportError(log: vscode.LogOutputChannel, action: string, error: unknown): void {
  log.error(`${action} failed:`, error);
  const reason = error instanceof Error ? error.message : String(error);
  void vscode.window.showErrorMessage(`Sentiment Lens: ${action} failed: ${reason}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') log.show(true);
  });
}
