// Probes whether VS Code exposes review-comment inputs as text documents: the comment widget's
// reply box (scheme `comment`) and the source control commit message (scheme `vscode-scm`).
// What it finds is documented in docs/editor.md.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SentimentLensApi } from '../../src/extension/api';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

async function findDocument(scheme: string, timeoutMs = 4000): Promise<vscode.TextDocument | undefined> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = vscode.workspace.textDocuments.find((d) => d.uri.scheme === scheme);
    if (found) return found;
    await settle(100);
  }
  return undefined;
}

/** The input box document of `scheme` that holds `text` (its document follows the box's value asynchronously; an earlier box's may linger). */
async function findInput(scheme: string, text: string, timeoutMs = 4000): Promise<vscode.TextDocument> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = vscode.workspace.textDocuments.find((d) => d.uri.scheme === scheme && d.getText() === text);
    if (found) return found;
    if (Date.now() > end)
      throw new Error(
        `no ${scheme} document holds ${JSON.stringify(text)}; documents: ${vscode.workspace.textDocuments.map((d) => d.uri.scheme).join(', ')}`,
      );
    await settle(100);
  }
}

describe('review inputs as text documents', () => {
  it('the source control commit message box: is it a TextDocument, and is it checked?', async () => {
    const lens = await vscode.extensions.getExtension<SentimentLensApi>('sentiment-lens.sentiment-lens')!.activate();
    const scm = vscode.scm.createSourceControl(
      'sentimentLensProbe',
      'Probe',
      vscode.workspace.workspaceFolders?.[0].uri,
    );
    try {
      scm.inputBox.value = 'This is awful, a terrible and boring mess, the worst ever.';
      await vscode.commands.executeCommand('workbench.view.scm');
      const document = await findDocument('vscode-scm');
      console.log(
        `[probe] commit message box: ${document ? `${document.uri.toString()} language ${document.languageId}` : 'no TextDocument'}`,
      );
      console.log(
        `[probe] documents: ${vscode.workspace.textDocuments.map((d) => `${d.uri.scheme}:${d.languageId}`).join(', ')}`,
      );
      if (document) {
        const check = await lens.checkComments(document.uri);
        console.log(`[probe] commit message check: ${JSON.stringify(check?.comments.map((c) => [c.text, c.flagged]))}`);
        assert.equal(check?.comments[0]?.flagged, true);
      }
    } finally {
      scm.dispose();
    }
  });

  it('the commit message box gets the same checks: a harsh sentence is flagged on its own range, the request beside it is not', async () => {
    const lens = await vscode.extensions.getExtension<SentimentLensApi>('sentiment-lens.sentiment-lens')!.activate();
    const scm = vscode.scm.createSourceControl(
      'sentimentLensProbe',
      'Probe',
      vscode.workspace.workspaceFolders?.[0].uri,
    );
    try {
      const request = 'Please rename this variable.';
      const harsh = 'Who wrote this crap?';
      scm.inputBox.value = `Add a test for the total\n\n${request} ${harsh}`;
      await vscode.commands.executeCommand('workbench.view.scm');
      const document = await findInput('vscode-scm', scm.inputBox.value);
      const check = await lens.checkComments(document.uri);
      assert.ok(check);
      assert.deepEqual(
        check.sentences.map((s) => s.text),
        ['Add a test for the total', request, harsh],
      );
      const flagged = lens.getDiagnostics(document.uri).filter((d) => d.code === 'harsh');
      assert.deepEqual(
        flagged.map((d) => document.getText(d.range)),
        [harsh],
      );
    } finally {
      scm.dispose();
    }
  });

  it('the comment widget reply box: is it a TextDocument, and is it checked?', async () => {
    const lens = await vscode.extensions.getExtension<SentimentLensApi>('sentiment-lens.sentiment-lens')!.activate();
    const controller = vscode.comments.createCommentController('sentimentLensProbe', 'Probe');
    controller.commentingRangeProvider = {
      provideCommentingRanges: (document) => [new vscode.Range(0, 0, document.lineCount - 1, 0)],
    };
    try {
      const uri = fixtureUri('tone/player.ts');
      await vscode.window.showTextDocument(uri);
      const thread = controller.createCommentThread(uri, new vscode.Range(1, 0, 1, 0), []);
      thread.canReply = true;
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      const document = await findDocument('comment');
      console.log(
        `[probe] comment widget input: ${document ? `${document.uri.toString()} language ${document.languageId}` : 'no TextDocument'}`,
      );
      console.log(
        `[probe] documents: ${vscode.workspace.textDocuments.map((d) => `${d.uri.scheme}:${d.languageId}`).join(', ')}`,
      );
      if (document) {
        // The reply box has focus once the thread is expanded: type into it as a user would.
        await vscode.commands.executeCommand('type', {
          text: 'This is awful, a terrible and boring mess, the worst ever.',
        });
        await settle(300);
        console.log(`[probe] comment widget text after typing: ${JSON.stringify(document.getText())}`);
        const check = await lens.checkComments(document.uri);
        console.log(`[probe] comment widget check: ${JSON.stringify(check?.comments.map((c) => [c.text, c.flagged]))}`);
        if (document.getText()) assert.equal(check?.comments[0]?.flagged, true);
      }
      thread.dispose();
    } finally {
      controller.dispose();
    }
  });
});
