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
  await editor.edit((e) =>
    e.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original),
  );
  await document.save();
}

const polarity = (p: Record<string, number>): number => p.positive - p.negative;

/** The published diagnostics of one kind: code 'negative-tone' or 'harsh'. */
function diagnosticsWithCode(lens: SentimentLensApi, uri: vscode.Uri, code: string): readonly vscode.Diagnostic[] {
  return lens.getDiagnostics(uri).filter((d) => d.code === code);
}

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
      assert.ok(
        word.range.isEqual(
          new vscode.Range(
            editor.document.positionAt(start + token.start),
            editor.document.positionAt(start + token.end),
          ),
        ),
        `range of token ${i} "${token.text}"`,
      );
      assert.ok(
        Math.abs(word.score - polarity(token.probabilities)) < 1e-6,
        `score of "${token.text}": ${word.score} vs ${polarity(token.probabilities)}`,
      );
      assert.equal(word.token, token.text);
      assert.ok(word.bucket >= 0 && word.bucket <= 6 && word.colour.startsWith('sentimentLens.'));
      assert.ok(
        word.score >= 0.2 ? word.bucket > 3 : word.score <= -0.2 ? word.bucket < 3 : word.bucket === 3,
        `bucket ${word.bucket} fits score ${word.score}`,
      );
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
    assert.equal(
      words.length,
      expected.reduce((n, e) => n + e.tokens.length, 0),
    );
    assert.deepEqual(
      sentences.map((s) => s.label),
      expected.map((e) => e.label),
    );
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
    const text =
      'The lead performance is wonderful, the score is gorgeous,\nand the final twenty minutes are among the most moving I have seen in years.';
    editor.selection = select(editor, text);
    await vscode.commands.executeCommand('sentimentLens.highlightSelection');
    const word = select(editor, 'wonderful');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      word.start.translate(0, 2),
    );
    const markdown = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
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
      assert.deepEqual(
        check.comments.map((c) => c.text),
        [positive, negative],
        'the comments found, in order; the string is not one',
      );
      const bannerLine = document
        .getText()
        .split('\n')
        .findIndex((l) => l.includes('banner ='));
      assert.ok(check.comments.every((c) => c.range.start.line !== bannerLine));
      const [good, bad] = check.comments;
      const expected = await lens.classify(negative, 'comments');
      assert.ok(Math.abs(bad.negativeProbability - expected.probabilities.negative) < 1e-6);
      assert.equal(bad.flagged, true);
      assert.equal(good.flagged, false);
      const diagnostics = diagnosticsWithCode(lens, uri, 'negative-tone');
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].source, 'Sentiment Lens');
      assert.ok(diagnostics[0].range.isEqual(bad.range), 'a one-sentence comment: the sentence is the comment');
      assert.match(diagnostics[0].message, /^Negative tone \(\d+%\): "\w+"/);
      assert.ok(
        lens.getDiagnostics(uri).every((d) => d.range.isEqual(bad.range)),
        'nothing on the positive comment',
      );
      assert.deepEqual(
        vscode.languages
          .getDiagnostics(uri)
          .filter((d) => d.source === 'Sentiment Lens')
          .map((d) => d.message),
        lens.getDiagnostics(uri).map((d) => d.message),
      );
    });
  }

  it('reads the paragraphs of Markdown as review notes, code blocks left out', async () => {
    const lens = await api();
    const check = await lens.checkComments(fixtureUri('tone/notes.md'));
    assert.ok(check);
    assert.ok(!check.comments.some((c) => c.text.includes('const banner')));
    assert.deepEqual(
      check.sentences.filter((c) => c.negative.flagged).map((c) => c.text),
      ['This is awful, a terrible and boring mess, the worst ever.'],
    );
  });

  it('offers quick fixes; "ignore this comment" persists in workspaceState and survives edits elsewhere', async () => {
    const lens = await api();
    const uri = fixtureUri('tone/player.ts');
    const editor = await vscode.window.showTextDocument(uri);
    const original = editor.document.getText();
    await lens.checkComments(uri);
    const [diagnostic] = diagnosticsWithCode(lens, uri, 'negative-tone');
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
    );
    const ours = actions.filter((a) => a.command?.command.startsWith('sentimentLens.'));
    // The sentence may be harsh too: then its harshness trajectory is offered as well, the ignore actions once.
    const titles = ours.map((a) => a.title).filter((t) => t !== 'Show the harshness trajectory of this sentence');
    assert.deepEqual(titles, [
      'Show the tone trajectory of this sentence',
      'Ignore the tone of this comment',
      'Ignore comment tone in this file',
    ]);

    const show = ours.find((a) => a.title === 'Show the tone trajectory of this sentence')!.command!;
    await vscode.commands.executeCommand(show.command, ...(show.arguments ?? []));
    const highlighted = lens.getHighlights(uri).words;
    assert.equal(highlighted.length, (await lens.classify(negative, 'comments')).tokens.length);
    assert.equal(highlighted[0].text, 'this');

    const ignore = ours.find((a) => a.title === 'Ignore the tone of this comment')!.command!;
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
    assert.equal(diagnosticsWithCode(lens, py, 'negative-tone').length, 1);
    assert.deepEqual(lens.getIgnored().files, [go.toString()]);
    await vscode.commands.executeCommand('sentimentLens.resetIgnored');
    assert.equal(diagnosticsWithCode(lens, go, 'negative-tone').length, 1);
  });

  it('checks the workspace (files.exclude respected) and shows the summary in the status bar', async () => {
    const lens = await api();
    await vscode.commands.executeCommand('sentimentLens.checkWorkspaceComments');
    assert.equal(diagnosticsWithCode(lens, fixtureUri('tone/player.ts'), 'negative-tone').length, 1);
    assert.ok(lens.getCommentCheck(fixtureUri('src/cache.go')), 'a file never opened was checked');
    const timings = lens.testing!.lastTimings().commentCheck;
    assert.ok(timings && timings.longestBlockMs >= 0);
    await vscode.window.showTextDocument(fixtureUri('tone/player.go'));
    const text = await waitFor(
      'status bar text',
      () => /negative/.test(lens.testing!.statusBarText()) && lens.testing!.statusBarText(),
    );
    assert.match(text, /: (\d+ harsh, )?1 negative$/);
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
      assert.equal(diagnosticsWithCode(lens, uri, 'negative-tone').length, 1);
      await editor.edit((e) =>
        e.insert(new vscode.Position(0, 0), '// this is a terrible hack, it is broken and ugly, rewrite it\n\n'),
      );
      await waitFor(
        'a second negative-tone diagnostic from live mode',
        () => diagnosticsWithCode(lens, uri, 'negative-tone').length === 2,
      );
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

describe('editor: harsh review comments', () => {
  const harsh = 'Who wrote this crap?';
  const requests = ['Please rename this variable', 'nit: typo'];

  before(async () => {
    await vscode.commands.executeCommand('sentimentLens.resetIgnored');
  });

  for (const file of ['harsh/review.go', 'harsh/review.py', 'harsh/review.ts']) {
    it(`flags the harsh sentence of ${file} on that sentence only, not the review requests in the same comment block`, async () => {
      const lens = await api();
      const uri = fixtureUri(file);
      const document = await vscode.workspace.openTextDocument(uri);
      const check = await lens.checkComments(uri);
      assert.ok(check);
      assert.equal(check.harshModel, 'review-harshness');
      assert.equal(check.harshProblem, undefined);
      // The three adjacent line comments are one comment, checked sentence by sentence.
      const block = check.comments.find((c) => c.text.includes(harsh));
      assert.ok(block);
      assert.equal(block.text, [requests[0], harsh, requests[1]].join('\n'));
      const sentences = check.sentences.filter((s) => check.comments[s.comment] === block);
      assert.deepEqual(
        sentences.map((s) => s.text),
        [requests[0], harsh, requests[1]],
      );

      const harshDiagnostics = diagnosticsWithCode(lens, uri, 'harsh');
      assert.equal(harshDiagnostics.length, 1, harshDiagnostics.map((d) => d.message).join('; '));
      const [diagnostic] = harshDiagnostics;
      assert.equal(document.getText(diagnostic.range), harsh, 'the range is the sentence, not the comment block');
      assert.equal(diagnostic.source, 'Sentiment Lens');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      const expected = await lens.classify(harsh, 'harshness');
      assert.match(diagnostic.message, new RegExp(`^Harsh \\(${Math.round(expected.probabilities.harsh * 100)}%\\)`));
      // The words named are words of the sentence ("cached", "rename" live elsewhere).
      const named = [...diagnostic.message.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      assert.ok(named.length > 0, diagnostic.message);
      for (const word of named)
        assert.ok(harsh.toLowerCase().split(/\W+/).includes(word.toLowerCase()), `"${word}" is a word of "${harsh}"`);

      const requestLines = requests.map((r) =>
        document
          .getText()
          .split('\n')
          .findIndex((l) => l.includes(r)),
      );
      const onRequests = lens
        .getDiagnostics(uri)
        .filter((d) => requestLines.includes(d.range.start.line) || requestLines.includes(d.range.end.line));
      assert.deepEqual(
        onRequests.map((d) => d.message),
        [],
        'ordinary review requests get no diagnostic of either kind',
      );
    });
  }

  it('shows the harsh finding in the editor and the Problems panel (screenshot comments-harsh.png)', async function () {
    const lens = await api();
    const uri = fixtureUri('harsh/review.ts');
    const editor = await vscode.window.showTextDocument(uri);
    await lens.checkComments(uri);
    const [diagnostic] = diagnosticsWithCode(lens, uri, 'harsh');
    assert.ok(diagnostic);
    if (!harnessUrl) this.skip();
    // The editor shows the squiggle under the one sentence of the comment block, the Problems panel the message.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
    editor.selection = new vscode.Selection(diagnostic.range.end, diagnostic.range.end);
    await settle(1500);
    const shot = await screenshot('comments-harsh');
    assert.ok(fs.statSync(shot).size > 10_000);
  });

  it('offers the harshness trajectory of the sentence as a quick fix: its words only, under the harshness model, the harsh word red', async () => {
    const lens = await api();
    const uri = fixtureUri('harsh/review.go');
    await vscode.window.showTextDocument(uri);
    await lens.checkComments(uri);
    const [diagnostic] = diagnosticsWithCode(lens, uri, 'harsh');
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
    );
    const show = actions.find((a) => a.title === 'Show the harshness trajectory of this sentence')?.command;
    assert.ok(show, actions.map((a) => a.title).join('; '));
    await vscode.commands.executeCommand(show.command, ...(show.arguments ?? []));
    const words = lens.getHighlights(uri).words;
    const expected = await lens.classify(harsh, 'harshness');
    assert.deepEqual(
      words.map((w) => w.token),
      expected.tokens.map((t) => t.text),
    );
    assert.ok(words.every((w) => diagnostic.range.contains(w.range) && w.model === 'review-harshness'));
    const last = words[words.length - 1];
    // harsh / not-harsh is drawn like negative / positive: a sentence the model finds harsh ends on the red side.
    assert.ok(last.score < 0 && last.bucket < 3, `score ${last.score}, bucket ${last.bucket}`);
    await vscode.commands.executeCommand('sentimentLens.clearHighlights');
  });

  it('turns harsh findings off when the harshness model cannot be used, says so in the status bar, and keeps negative tone', async () => {
    const lens = await api();
    const config = vscode.workspace.getConfiguration('sentimentLens');
    await config.update('comments.harshness.model', 'no-such-model', vscode.ConfigurationTarget.Workspace);
    try {
      const uri = fixtureUri('tone/player.ts');
      await vscode.window.showTextDocument(uri);
      const check = await lens.checkComments(uri);
      assert.ok(check);
      assert.equal(check.harshModel, undefined);
      assert.match(check.harshProblem ?? '', /no-such-model/);
      assert.ok(check.sentences.every((s) => s.harsh === undefined));
      assert.equal(diagnosticsWithCode(lens, uri, 'harsh').length, 0);
      assert.equal(diagnosticsWithCode(lens, uri, 'negative-tone').length, 1);
      await waitFor('the status bar to say harsh findings are off', () =>
        /\(harsh off\)$/.test(lens.testing!.statusBarText()),
      );
    } finally {
      await config.update('comments.harshness.model', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const uri = fixtureUri('harsh/review.go');
    await lens.checkComments(uri);
    assert.equal(diagnosticsWithCode(lens, uri, 'harsh').length, 1, 'back on once the setting is reset');
  });

  it("uses each kind's threshold and severity settings, re-publishing without a new check", async () => {
    const lens = await api();
    const uri = fixtureUri('harsh/review.py');
    await lens.checkComments(uri);
    const config = vscode.workspace.getConfiguration('sentimentLens');
    await config.update('comments.harshness.severity', 'error', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(
        'an error-severity harsh diagnostic',
        () => diagnosticsWithCode(lens, uri, 'harsh')[0]?.severity === vscode.DiagnosticSeverity.Error,
      );
      await config.update('comments.harshness.threshold', 1, vscode.ConfigurationTarget.Workspace);
      const probability = lens.getCommentCheck(uri)!.sentences.find((s) => s.text === harsh)!.harsh!.probability;
      assert.ok(probability < 1, `P(harsh) ${probability} is below the highest threshold`);
      await waitFor('no harsh diagnostic at threshold 1', () => diagnosticsWithCode(lens, uri, 'harsh').length === 0);
    } finally {
      await config.update('comments.harshness.severity', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('comments.harshness.threshold', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(
      'the harsh diagnostic back at the default threshold',
      () => diagnosticsWithCode(lens, uri, 'harsh').length === 1,
    );
  });
});
