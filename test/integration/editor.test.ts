import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { SentimentLensApi } from '../../src/extension/api';
import { harnessUrl, screenshot } from './harness';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(): Promise<SentimentLensApi> {
  const extension = vscode.extensions.getExtension<SentimentLensApi>('sentiment-lens.sentiment-lens');
  assert.ok(extension);
  return extension.activate();
}

function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await settle(50);
  }
}

/** The selection of the first occurrence of `text` in the editor's document. */
function select(editor: vscode.TextEditor, text: string): vscode.Selection {
  const offset = editor.document.getText().indexOf(text);
  assert.ok(offset >= 0, `the fixture holds "${text}"`);
  return new vscode.Selection(editor.document.positionAt(offset), editor.document.positionAt(offset + text.length));
}

/** Puts a document back to its original text and saves it, so later tests see the fixture unchanged. */
async function restore(editor: vscode.TextEditor, original: string): Promise<void> {
  const document = editor.document;
  await editor.edit((e) => e.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original));
  await document.save();
}

const polarity = (p: Record<string, number>): number => p.positive - p.negative;

describe('editor: highlight sentiment of selection', () => {
  const file = 'reviews/the-long-voyage.md';
  const sentence = 'A quiet, patient film that trusts its audience.';

  afterEach(async () => {
    await vscode.commands.executeCommand('sentimentLens.clearHighlights');
  });

  it('colours every token of a selected sentence at its range, with the score classify gives', async () => {
    const lens = await api();
    const editor = await vscode.window.showTextDocument(fixtureUri(file));
    editor.selection = select(editor, sentence);
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    const { words, sentences } = lens.getHighlights(editor.document.uri);
    const expected = await lens.classify(sentence);
    const start = editor.document.offsetAt(editor.selection.start);
    assert.equal(words.length, expected.tokens.length);
    words.forEach((word, i) => {
      const token = expected.tokens[i];
      assert.ok(word.range.isEqual(new vscode.Range(editor.document.positionAt(start + token.start), editor.document.positionAt(start + token.end))), `range of token ${i} "${token.text}"`);
      assert.ok(Math.abs(word.score - polarity(token.probabilities)) < 1e-6, `score of "${token.text}": ${word.score} vs ${polarity(token.probabilities)}`);
      assert.equal(word.token, token.text);
      assert.ok(word.bucket >= 0 && word.bucket <= 6 && word.colour.startsWith('sentimentLens.'));
      assert.ok(word.score >= 0.2 ? word.bucket > 3 : word.score <= -0.2 ? word.bucket < 3 : word.bucket === 3, `bucket ${word.bucket} fits score ${word.score}`);
    });
    assert.equal(sentences.length, 1);
    assert.equal(sentences[0].label, expected.label);
    assert.ok(Math.abs(sentences[0].probability - expected.probabilities[expected.label]) < 1e-6);
    assert.match(sentences[0].annotation, /^(positive|negative) \d+%$/);
  });

  it('classifies a multi-sentence selection sentence by sentence, and several selections at once', async () => {
    const lens = await api();
    const editor = await vscode.window.showTextDocument(fixtureUri(file));
    const first = 'The middle act drags a little, but I did not mind.';
    const second = 'Easily one of the best films of the decade.';
    editor.selections = [select(editor, `${first} ${second}`), select(editor, sentence)];
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    const { words, sentences } = lens.getHighlights(editor.document.uri);
    assert.equal(sentences.length, 3);
    const expected = await Promise.all([sentence, first, second].map((s) => lens.classify(s)));
    assert.equal(words.length, expected.reduce((n, e) => n + e.tokens.length, 0));
    assert.deepEqual(sentences.map((s) => s.label), expected.map((e) => e.label));
  });

  it('moves highlights with an edit before them and recomputes them after an edit inside', async () => {
    const lens = await api();
    const editor = await vscode.window.showTextDocument(fixtureUri(file));
    const original = editor.document.getText();
    editor.selection = select(editor, sentence);
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    const before = lens.getHighlights(editor.document.uri).words;
    await editor.edit((e) => e.insert(new vscode.Position(before[0].range.start.line, 0), 'Notes: '));
    const moved = lens.getHighlights(editor.document.uri).words;
    assert.equal(moved.length, before.length);
    assert.equal(moved[0].range.start.character, before[0].range.start.character + 'Notes: '.length);
    const patient = moved.find((w) => w.token === 'patient');
    assert.ok(patient);
    await editor.edit((e) => e.replace(patient.range, 'dull'));
    assert.equal(lens.getHighlights(editor.document.uri).words.length, 0, 'stale words are cleared at once');
    const recomputed = await waitFor('recomputed highlights', () => {
      const words = lens.getHighlights(editor.document.uri).words;
      return words.length > 0 && words;
    });
    assert.ok(recomputed.some((w) => w.token === 'dull'));
    await restore(editor, original);
  });

  it('clears the highlights of the document', async () => {
    const lens = await api();
    const editor = await vscode.window.showTextDocument(fixtureUri(file));
    editor.selection = select(editor, sentence);
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    assert.ok(lens.getHighlights(editor.document.uri).words.length > 0);
    await vscode.commands.executeCommand('sentimentLens.clearHighlights');
    assert.deepEqual(lens.getHighlights(editor.document.uri), { words: [], sentences: [] });
  });

  it('shows a hover with score, change and the trajectory chart (screenshot highlight-hover.png)', async function () {
    await api();
    const editor = await vscode.window.showTextDocument(fixtureUri(file));
    const text = 'The lead performance is wonderful, the score is gorgeous,\nand the final twenty minutes are among the most moving I have seen in years.';
    editor.selection = select(editor, text);
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    const word = select(editor, 'wonderful');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, word.start.translate(0, 2));
    const markdown = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(markdown, /score \*\*[+−]\d\.\d\d\*\*, change \*\*[+−]\d\.\d\d\*\*/);
    assert.match(markdown, /data:image\/svg\+xml;base64,/);
    if (!harnessUrl) return;
    editor.selection = new vscode.Selection(word.start.translate(0, 2), word.start.translate(0, 2));
    await vscode.commands.executeCommand('editor.action.showHover');
    await settle(1500);
    const shot = await screenshot('highlight-hover');
    assert.ok(fs.statSync(shot).size > 10_000);
    await vscode.commands.executeCommand('editor.action.hideHover' as string).then(undefined, () => undefined);
  });
});

describe('editor: tone of comments', () => {
  const negative = 'this is awful, a terrible and boring mess, the worst ever';
  const positive = 'A wonderful, moving and beautiful piece of work: the best loop I have seen.';

  before(async () => {
    await vscode.commands.executeCommand('sentimentLens.resetIgnored');
  });

  for (const file of ['tone/player.ts', 'tone/player.py', 'tone/player.go']) {
    it(`flags the negative comment of ${file}, not the positive one, and not the string that looks like a comment`, async () => {
      const lens = await api();
      const uri = fixtureUri(file);
      const document = await vscode.workspace.openTextDocument(uri);
      const check = await lens.checkComments(uri);
      assert.ok(check);
      assert.deepEqual(check.comments.map((c) => c.text), [positive, negative], 'the comments found, in order; the string is not one');
      const bannerLine = document.getText().split('\n').findIndex((l) => l.includes('banner ='));
      assert.ok(check.comments.every((c) => c.range.start.line !== bannerLine));
      const [good, bad] = check.comments;
      const expected = await lens.classify(negative, 'comments');
      assert.ok(Math.abs(bad.negativeProbability - expected.probabilities.negative) < 1e-6);
      assert.equal(bad.flagged, true);
      assert.equal(good.flagged, false);
      const diagnostics = lens.getDiagnostics(uri);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].source, 'Sentiment Lens');
      assert.ok(diagnostics[0].range.isEqual(bad.range));
      assert.match(diagnostics[0].message, /^Negative tone \(\d+%\): "\w+"/);
      assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Sentiment Lens').map((d) => d.message), [diagnostics[0].message]);
    });
  }

  it('reads the paragraphs of Markdown as review notes, code blocks left out', async () => {
    const lens = await api();
    const check = await lens.checkComments(fixtureUri('tone/notes.md'));
    assert.ok(check);
    assert.ok(!check.comments.some((c) => c.text.includes('const banner')));
    assert.deepEqual(check.comments.filter((c) => c.flagged).map((c) => c.text), ['This is awful, a terrible and boring mess, the worst ever.']);
  });

  it('offers quick fixes; "ignore this comment" persists in workspaceState and survives edits elsewhere', async () => {
    const lens = await api();
    const uri = fixtureUri('tone/player.ts');
    const editor = await vscode.window.showTextDocument(uri);
    const original = editor.document.getText();
    await lens.checkComments(uri);
    const [diagnostic] = lens.getDiagnostics(uri);
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const ours = actions.filter((a) => a.command?.command.startsWith('sentimentLens.'));
    assert.deepEqual(ours.map((a) => a.title), ['Show the tone trajectory of this comment', 'Ignore the tone of this comment', 'Ignore comment tone in this file']);

    const show = ours[0].command!;
    await vscode.commands.executeCommand(show.command, ...(show.arguments ?? []));
    const highlighted = lens.getHighlights(uri).words;
    assert.equal(highlighted.length, (await lens.classify(negative, 'comments')).tokens.length);
    assert.equal(highlighted[0].text, 'this');

    const ignore = ours[1].command!;
    await vscode.commands.executeCommand(ignore.command, ...(ignore.arguments ?? []));
    assert.equal(lens.getDiagnostics(uri).length, 0);
    assert.equal(lens.getIgnored().comments.length, 1);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// Added line above.\n'));
    const rechecked = await lens.checkComments(uri);
    assert.ok(rechecked?.comments.some((c) => c.flagged && c.ignored));
    assert.equal(lens.getDiagnostics(uri).length, 0, 'still ignored after an edit elsewhere');
    await restore(editor, original);
    await vscode.commands.executeCommand('sentimentLens.clearHighlights');
  });

  it('"ignore in this file" silences one file only; reset brings diagnostics back', async () => {
    const lens = await api();
    await vscode.commands.executeCommand('sentimentLens.resetIgnored');
    const go = fixtureUri('tone/player.go');
    const py = fixtureUri('tone/player.py');
    await lens.checkComments(go);
    await lens.checkComments(py);
    await vscode.commands.executeCommand('sentimentLens.ignoreFile', go);
    assert.equal(lens.getDiagnostics(go).length, 0);
    assert.equal(lens.getDiagnostics(py).length, 1);
    assert.deepEqual(lens.getIgnored().files, [go.toString()]);
    await vscode.commands.executeCommand('sentimentLens.resetIgnored');
    assert.equal(lens.getDiagnostics(go).length, 1);
  });

  it('checks the workspace (files.exclude respected) and shows the summary in the status bar', async () => {
    const lens = await api();
    await vscode.commands.executeCommand('sentimentLens.checkWorkspaceComments');
    assert.equal(lens.getDiagnostics(fixtureUri('tone/player.ts')).length, 1);
    assert.ok(lens.getCommentCheck(fixtureUri('src/cache.go')), 'a file never opened was checked');
    const timings = lens.lastTimings().commentCheck;
    assert.ok(timings && timings.longestBlockMs >= 0);
    await vscode.window.showTextDocument(fixtureUri('tone/player.go'));
    const text = await waitFor('status bar text', () => /negative/.test(lens.statusBarText()) && lens.statusBarText());
    assert.match(text, /: 1 negative$/);
  });

  it('live mode rechecks a document as it is edited', async () => {
    const lens = await api();
    const config = vscode.workspace.getConfiguration('sentimentLens');
    await config.update('comments.live', true, vscode.ConfigurationTarget.Workspace);
    try {
      const uri = fixtureUri('tone/player.ts');
      const editor = await vscode.window.showTextDocument(uri);
      const original = editor.document.getText();
      await lens.checkComments(uri);
      assert.equal(lens.getDiagnostics(uri).length, 1);
      // A blank line after it, or it would merge with the next line comment into one block.
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// this is a terrible hack, it is broken and ugly, rewrite it\n\n'));
      await waitFor('a second diagnostic from live mode', () => lens.getDiagnostics(uri).length === 2);
      await restore(editor, original);
    } finally {
      await config.update('comments.live', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('checks comments with the bundled review-tone model and highlights with the movie-review model by default', async () => {
    const lens = await api();
    const uri = fixtureUri('tone/player.py');
    await vscode.window.showTextDocument(uri);
    const check = await lens.checkComments(uri);
    assert.ok(check, 'the check finished on an unchanged document');
    assert.equal(check.model, 'review-tone');
    assert.equal((await lens.classify('a warm film')).model, 'movie-reviews');
    assert.equal((await lens.classify('a warm film', 'comments')).model, 'review-tone');
  });

  it('shows flagged comments in the Problems panel (screenshot comments-problems.png)', async function () {
    const lens = await api();
    const uri = fixtureUri('src/cache.go');
    await vscode.window.showTextDocument(uri);
    await lens.checkComments(uri);
    await lens.checkComments(fixtureUri('tone/player.go'));
    if (!harnessUrl) this.skip();
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await settle(1500);
    const shot = await screenshot('comments-problems');
    assert.ok(fs.statSync(shot).size > 10_000);
  });
});
