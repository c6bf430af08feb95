import * as vscode from 'vscode';
import type { ConfigService } from '../config';
import { reportError } from '../reportError';
import type { Highlighter } from './highlighter';

/**
 * Highlights the per-word sentiment of every selection of the active editor (the cursor's line
 * when nothing is selected). Returns the number of words highlighted.
 */
export async function highlightSelectionCommand(
  highlighter: Highlighter,
  config: ConfigService,
  log: vscode.LogOutputChannel,
): Promise<number> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Sentiment Lens: open a file and select some text to highlight.');
    return 0;
  }
  const selected = editor.selections.filter((s) => !s.isEmpty);
  const ranges: vscode.Range[] =
    selected.length > 0 ? selected : editor.selections.map((s) => editor.document.lineAt(s.active.line).range);
  const length = ranges.reduce((n, r) => n + editor.document.offsetAt(r.end) - editor.document.offsetAt(r.start), 0);
  const { maxSelectionLength } = config.get(editor.document.uri).highlight;
  if (length > maxSelectionLength) {
    void vscode.window.showWarningMessage(
      `Sentiment Lens: the selection has ${length} characters; highlighting is limited to ${maxSelectionLength} (setting sentimentLens.highlight.maxSelectionLength).`,
    );
    return 0;
  }
  try {
    return await highlighter.highlightRanges(editor, ranges);
  } catch (error) {
    reportError(log, 'highlighting the selection', error);
    return 0;
  }
}

/** Removes the sentiment highlights of the active editor's document. */
export function clearHighlightsCommand(highlighter: Highlighter): void {
  const editor = vscode.window.activeTextEditor;
  if (editor) highlighter.clear(editor.document.uri);
}
