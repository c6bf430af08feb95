import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { SentimentLensApi } from '../../src/extension/api';
import { harnessUrl, screenshot } from './harness';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

describe('workbench', () => {
  it('opens the sample workspace from test/fixtures/workspace', async () => {
    const entries = await vscode.workspace.fs.readDirectory(fixtureUri('.'));
    const names = entries.map(([name]) => name);
    assert.ok(names.includes('reviews') && names.includes('src'), `workspace entries: ${names.join(', ')}`);
  });

  it('highlights a selected review comment from the command palette command', async () => {
    const editor = await vscode.window.showTextDocument(fixtureUri('src/tokenizer.js'));
    const line = editor.document
      .getText()
      .split('\n')
      .findIndex((text) => text.includes('terrible hack'));
    assert.ok(line >= 0, 'the fixture holds the "terrible hack" comment');
    editor.selection = new vscode.Selection(line, 0, line, editor.document.lineAt(line).text.length);
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    const api = vscode.extensions.getExtension<SentimentLensApi>('sentiment-lens.sentiment-lens')!.exports;
    const { words } = api.getHighlights(editor.document.uri);
    assert.ok(words.length > 0, 'the selection got per-word highlights');
    for (const word of words) assert.equal(word.range.start.line, line);
  });

  it('shows the extension in the workbench (screenshot with its commands in the palette)', async function () {
    if (!harnessUrl) this.skip(); // screenshots need the offline harness' browser page
    await vscode.window.showTextDocument(fixtureUri('src/tokenizer.js'));
    await vscode.commands.executeCommand('workbench.action.quickOpen', '>Sentiment Lens');
    await settle(1500); // let the workbench paint the editor and the palette
    const file = await screenshot('workbench');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.ok(fs.statSync(file).size > 10_000, `${file} holds a real image`);
  });
});
