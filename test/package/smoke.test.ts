// Smoke suite of the packaged extension: the .vsix built by `npm run package`, installed into a fresh
// VS Code profile with --install-extension (scripts/vscodeHost/run.mjs --vsix), not the source folder.
// A file missing from .vscodeignore's allow-list fails here. Also measures activation time and the
// extension host's memory (printed, not asserted; docs/performance.md).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SentimentLensApi } from '../../src/extension/api';
import { frames, harnessUrl, screenshot } from '../integration/harness';
import { settle, waitFor as waitUntil } from '../integration/waiting';

const extensionId = 'sentiment-lens.sentiment-lens';
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/** Polls until `check` returns a value (not undefined/false). */
function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  return waitUntil(what, check, timeoutMs);
}

/** Prints a measurement of the extension host in one greppable form: `[measure] what: rss …, heap …`. */
function measure(what: string, extra = ''): void {
  const { rss, heapUsed, external } = process.memoryUsage();
  console.log(`[measure] ${what}: ${extra}rss ${mb(rss)}, heap used ${mb(heapUsed)}, external ${mb(external)}`);
}

/**
 * Activation as VS Code logged it: the extension host's `_doActivateExtension` line (its activation
 * event) to the extension's own `activated` line (end of activate()), in ms; undefined when the logs
 * are not where the offline harness puts them (user-data/ beside the workspace copy).
 */
function activationFromLogs(): { event: string; ms: number } | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const logs = folder && path.join(path.dirname(folder), 'user-data', 'logs');
  if (!logs || !fs.existsSync(logs)) return undefined;
  const files = (fs.readdirSync(logs, { recursive: true }) as string[]).map((file) => path.join(logs, file));
  const time = (line: string | undefined) => (line ? Date.parse(line.slice(0, 23).replace(' ', 'T')) : NaN);
  const lines = (name: RegExp) =>
    files.filter((file) => name.test(path.basename(file))).flatMap((file) => fs.readFileSync(file, 'utf8').split('\n'));
  const activating = lines(/exthost\.log$/i).find((line) => line.includes(`_doActivateExtension ${extensionId},`));
  const activated = lines(/^Sentiment Lens\.log$/).find((line) => / activated$/.test(line));
  const ms = time(activated) - time(activating);
  return Number.isFinite(ms) ? { event: activating!.match(/activationEvent: '([^']+)'/)?.[1] ?? '?', ms } : undefined;
}

describe('packaged extension (.vsix)', function () {
  this.timeout(120_000);
  let extension: vscode.Extension<SentimentLensApi>;
  let lens: SentimentLensApi;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('is the installed .vsix, not a source folder: no src/, the bundles and the manifest only', () => {
    const found = vscode.extensions.getExtension<SentimentLensApi>(extensionId);
    assert.ok(found, `${extensionId} is installed`);
    extension = found;
    const folder = extension.extensionPath;
    assert.match(path.basename(folder), new RegExp(`^${extensionId}-${extension.packageJSON.version}`), folder);
    assert.equal(extension.extensionKind, vscode.ExtensionKind.Workspace);
    for (const file of [
      'package.json',
      'dist/extension.js',
      'dist/trainingWorker.js',
      'dist/engineHelper.js',
      'dist/webview/panel.js',
      'media/panel.css',
    ]) {
      assert.ok(fs.existsSync(path.join(folder, file)), `${file} is in the package`);
    }
    for (const absent of ['src', 'test', 'node_modules', 'tsconfig.json', 'dist/extension.js.map']) {
      assert.ok(!fs.existsSync(path.join(folder, absent)), `${absent} is not in the package`);
    }
  });

  it('activates (activation time and extension host memory printed)', async () => {
    const wasActive = extension.isActive;
    const started = performance.now();
    lens = await extension.activate();
    const ms = performance.now() - started;
    assert.equal(extension.isActive, true);
    assert.equal(lens.version, extension.packageJSON.version);
    assert.equal(
      lens.testing,
      undefined,
      'no test hooks outside ExtensionMode.Test (an installed extension runs in Production)',
    );
    const logged = activationFromLogs();
    if (logged)
      console.log(
        `[measure] activation: ${logged.ms} ms from VS Code's "activating" (${logged.event}) to the extension's "activated" log line`,
      );
    measure('after activation', wasActive ? '' : `activate() took ${ms.toFixed(0)} ms; `);
  });

  it('loads both bundled models from the package and classifies with them', async () => {
    const started = performance.now();
    const review = await lens.classify('a warm, funny and moving film', 'highlight');
    const highlightMs = performance.now() - started;
    assert.equal(review.model, 'movie-reviews');
    assert.equal(review.label, 'positive');
    const toneStarted = performance.now();
    const tone = await lens.classify('this is awful, a terrible and boring mess, the worst ever', 'comments');
    const toneMs = performance.now() - toneStarted;
    assert.equal(tone.model, 'review-tone');
    assert.deepEqual(Object.keys(tone.probabilities).sort(), ['negative', 'neutral', 'positive']);
    assert.equal(tone.label, 'negative');
    measure(
      'both models loaded',
      `first classify ${highlightMs.toFixed(0)} ms (movie-reviews), ${toneMs.toFixed(0)} ms (review-tone); `,
    );
  });

  it('highlights a selection (screenshot package-highlight)', async () => {
    const editor = await vscode.window.showTextDocument(workspaceUri('reviews/the-long-voyage.md'));
    const text = editor.document.getText();
    const sentence = 'A quiet, patient film that trusts its audience.';
    const offset = text.indexOf(sentence);
    assert.ok(offset >= 0);
    editor.selection = new vscode.Selection(
      editor.document.positionAt(offset),
      editor.document.positionAt(offset + sentence.length),
    );
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    const { words, sentences } = lens.getHighlights(editor.document.uri);
    assert.deepEqual(
      words.map((w) => w.token),
      ['a', 'quiet', ',', 'patient', 'film', 'that', 'trusts', 'its', 'audience'],
    );
    assert.equal(sentences.length, 1);
    assert.equal(words[0].model, 'movie-reviews');
    if (!harnessUrl) return;
    await settle(800);
    await screenshot('package-highlight');
  });

  it('checks the tone of comments: the harsh one in the Problems panel (screenshot package-comments)', async () => {
    const uri = workspaceUri('tone/player.ts');
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('sentimentLens.checkComments');
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Sentiment Lens');
    // The sentence may also be harsh (code `harsh`, its own diagnostic on the same range).
    const diagnostics = await waitFor('a negative-tone diagnostic', () => {
      const found = ours().filter((d) => d.code === 'negative-tone');
      return found.length ? found : undefined;
    });
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0].message, /^Negative tone \(\d+%\)/);
    assert.match(
      vscode.window.activeTextEditor!.document.lineAt(diagnostics[0].range.start.line).text,
      /^\s*\/\/ this is awful/,
    );
    assert.ok(
      ours().every((d) => d.range.isEqual(diagnostics[0].range)),
      'every finding is on that sentence',
    );
    if (!harnessUrl) return;
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await settle(1000);
    await screenshot('package-comments');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('opens the training panel on a labelled file, its script and styles loaded (screenshot package-panel)', async () => {
    await vscode.commands.executeCommand('sentimentLens.trainOnWorkspaceFile', workspaceUri('training/reviews.tsv'));
    const source = await waitFor('the preview', () => lens.training.snapshot()?.source);
    assert.equal(source.title, 'reviews.tsv');
    assert.deepEqual(source.labelCounts, { negative: 50, positive: 50 });
    if (harnessUrl) {
      // The preview is rendered by dist/webview/panel.js inside the webview: proof the script shipped and runs.
      await waitFor('the webview to show the preview', async () =>
        (await frames('#source')).some((f) => f.html?.includes('class="preview"')),
      );
      await settle(500);
      await screenshot('package-panel');
    }
    measure('training panel open');
    lens.training.close();
  });

  it('contributes the Getting Started walkthrough, its media and samples in the package (screenshot package-walkthrough)', async () => {
    const [walkthrough] = extension.packageJSON.contributes.walkthroughs as {
      id: string;
      steps: { id: string; media: { markdown: string } }[];
    }[];
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['highlight', 'checkComments', 'train'],
    );
    for (const step of walkthrough.steps)
      assert.ok(
        fs.existsSync(path.join(extension.extensionPath, step.media.markdown)),
        `${step.media.markdown} is in the package`,
      );

    await vscode.commands.executeCommand('sentimentLens.openSample', 'review');
    const editor = vscode.window.activeTextEditor;
    assert.ok(
      editor && editor.document.uri.fsPath.startsWith(extension.extensionPath),
      'the sample review opened from the package',
    );
    assert.match(editor.document.getText(editor.selection), /^The first hour of Harbour Lights/);
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    assert.ok(
      lens.getHighlights(editor.document.uri).words.length > 20,
      'the selected sample paragraph is highlighted',
    );

    await vscode.commands.executeCommand('sentimentLens.openSample', 'comments');
    const comments = await lens.checkComments(vscode.window.activeTextEditor!.document.uri);
    assert.ok(comments && comments.comments.some((c) => c.flagged), 'the sample code has a harsh comment');

    await vscode.commands.executeCommand('sentimentLens.openSample', 'training');
    const source = await waitFor('the sample file in the training panel', () => lens.training.snapshot()?.source);
    assert.equal(source.title, 'reviews.tsv');
    lens.training.close();

    if (!harnessUrl) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionId}#${walkthrough.id}`, false);
    await settle(2000);
    await screenshot('package-walkthrough');
  });
});
