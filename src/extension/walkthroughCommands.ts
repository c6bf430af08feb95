import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import { WALKTHROUGH_SAMPLES, WalkthroughSample } from './walkthroughSamples';

/** The file of a walkthrough sample inside the installed extension. */
export function sampleUri(extensionUri: vscode.Uri, sample: WalkthroughSample): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'walkthrough', 'samples', WALKTHROUGH_SAMPLES[sample]);
}

/**
 * Command "Open Walkthrough Sample": the review opens with its first paragraph selected, ready to
 * highlight; the code opens for a tone check; the labelled file opens in the training panel.
 */
export async function openSampleCommand(extensionUri: vscode.Uri, sample: unknown): Promise<void> {
  const name: WalkthroughSample =
    typeof sample === 'string' && sample in WALKTHROUGH_SAMPLES ? (sample as WalkthroughSample) : 'review';
  const file = sampleUri(extensionUri, name);
  if (name === 'training') {
    await vscode.commands.executeCommand(commandIds.trainOnWorkspaceFile, file);
    return;
  }
  const editor = await vscode.window.showTextDocument(file, { preview: false });
  if (name === 'review') {
    const paragraph = editor.document
      .getText()
      .split('\n')
      .findIndex((line) => line.trim() !== '' && !line.startsWith('#'));
    if (paragraph < 0) return;
    let end = paragraph;
    while (end + 1 < editor.document.lineCount && editor.document.lineAt(end + 1).text.trim() !== '') end++;
    editor.selection = new vscode.Selection(paragraph, 0, end, editor.document.lineAt(end).text.length);
  }
}
