// The training panel in a real VS Code: a file's preview with its problems, a run to completion
// through the panel's message protocol with the report read from the real webview DOM, cancel,
// a crashed worker, saving a model that becomes active, and model delete / import.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SentimentLensApi } from '../../src/extension/api';
import type { TrainingTestHooks } from '../../src/extension/training/trainingController';
import type { HostToPanel } from '../../src/protocol/panelMessages';
import type { PanelSnapshot } from '../../src/protocol/views';
import { PANEL_SETTING_DEFAULTS, PANEL_SETTINGS, PanelTrainingSettings } from '../../src/protocol/trainingSettings';
import { frames, harnessUrl, screenshot } from './harness';
import { settle, waitFor as waitUntil } from './waiting';

const repoRoot = path.resolve(__dirname, '..', '..');

function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

async function lens(): Promise<SentimentLensApi> {
  return vscode.extensions.getExtension<SentimentLensApi>('sentiment-lens.sentiment-lens')!.activate();
}

/** Polls until `check` returns a value (not undefined/false). */
function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 120_000,
): Promise<T> {
  return waitUntil(what, check, timeoutMs);
}

/** The panel's DOM under `selector`, read from the real webview (polls until it contains `text`). */
async function webviewHtml(selector: string, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    `the webview's ${selector} to show ${text}`,
    async () => {
      const found = (await frames(selector))
        .map((f) => f.html ?? '')
        .find((html) => (typeof text === 'string' ? html.includes(text) : text.test(html)));
      return found;
    },
    timeoutMs,
  );
}

function snapshot(api: SentimentLensApi): PanelSnapshot {
  const state = api.training.snapshot();
  assert.ok(state, 'the training panel is open');
  return state;
}

/** Fast settings for the fixture. */
const FAST: PanelTrainingSettings = {
  cell: 'gru',
  units: 32,
  layers: 1,
  embeddingDim: 32,
  dropout: 0.2,
  epochs: 8,
  batchSize: 8,
  learningRate: 0.01,
  maxLength: 40,
  validationSplit: 0.2,
  seed: 3,
  ensembleMembers: 1,
  distill: false,
  skipGram: false,
  lexiconWeight: 0,
  linguisticExamples: false,
  learnedTransforms: false,
  startFromBundled: false,
};

/**
 * A larger generated file (in the test's copy of the workspace) so that a run lasts long enough to
 * watch: "<a> but <b>" sentences labelled by b, a in either class, and 10% of labels flipped, so
 * the curves do not reach 100% at once.
 */
function writeLargeFile(): vscode.Uri {
  const rows = fs
    .readFileSync(fixtureUri('training/reviews.tsv').fsPath, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296; // a small seeded LCG
  const lines = ['label\ttext'];
  for (let i = 0; i < 2000; i++) {
    const [, first] = rows[Math.floor(random() * rows.length)];
    const [label, second] = rows[Math.floor(random() * rows.length)];
    const flipped = random() < 0.1 ? (label === 'positive' ? 'negative' : 'positive') : label;
    lines.push(`${flipped}\t${first} but ${second}`);
  }
  const uri = fixtureUri('training/large.tsv');
  fs.writeFileSync(uri.fsPath, `${lines.join('\n')}\n`);
  return uri;
}

describe('training panel', function () {
  this.timeout(300_000);
  let api: SentimentLensApi;
  let hooks: TrainingTestHooks;
  const posted: HostToPanel[] = [];
  let subscription: vscode.Disposable;

  before(async () => {
    api = await lens();
    assert.ok(api.testing, 'the test hooks are on: the suite runs in ExtensionMode.Test');
    hooks = api.testing.training;
    subscription = hooks.onDidPostToPanel((m) => posted.push(m));
    // Room for the panel in the screenshots.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });
  after(async () => {
    subscription.dispose();
    api.training.close();
    const config = vscode.workspace.getConfiguration('sentimentLens');
    await config.update('highlight.model', undefined, vscode.ConfigurationTarget.Global);
    await config.update('comments.model', undefined, vscode.ConfigurationTarget.Global);
  });

  it("shows a file's detected format, preview, label counts and problems with line numbers (screenshot panel-preview)", async () => {
    await vscode.commands.executeCommand('sentimentLens.trainOnWorkspaceFile', fixtureUri('training/malformed.csv'));
    const source = await waitFor('the preview', () => api.training.snapshot()?.source);
    assert.equal(source.title, 'malformed.csv');
    assert.equal(source.format, 'csv');
    assert.deepEqual(source.labelCounts, { negative: 15, positive: 13 });
    assert.deepEqual(
      source.problems.filter((p) => p.severity === 'error').map((p) => p.line),
      [8, 14],
    );
    if (!harnessUrl) return;
    const html = await webviewHtml('#source', 'line 8');
    assert.match(html, /fields, expected 2/);
    assert.match(html, /class="preview"/);
    await settle(500);
    await screenshot('panel-preview');
  });

  it('builds the settings form from the table of training settings: a field per panel row, its label and default', async function () {
    if (!harnessUrl) this.skip();
    const form = await webviewHtml('#settings', 'setting-startFromBundled');
    for (const row of PANEL_SETTINGS) {
      assert.ok(form.includes(`id="setting-${row.key}"`), `a field for ${row.key}`);
      assert.ok(form.includes(row.label.replace(/&/g, '&amp;')), `the label of ${row.key}`);
    }
    assert.match(form, /id="setting-units"[^>]*min="1"[^>]*step="1"|id="setting-units"[^>]*step="1"[^>]*min="1"/);
    assert.match(form, new RegExp(`id="setting-units-default"[^>]*> Default: ${PANEL_SETTING_DEFAULTS.units}\\.`));
    assert.match(form, /<option value="lstm">LSTM<\/option>/);
  });

  it("opens the file at a problem's line when the problem is clicked", async () => {
    const problem = snapshot(api).source!.problems.find((p) => p.line === 8)!;
    hooks.postFromPanel({ type: 'openLocation', file: problem.file, line: problem.line });
    const editor = await waitFor(
      'the editor at line 8',
      () => {
        const active = vscode.window.activeTextEditor;
        return active?.document.uri.fsPath.endsWith('malformed.csv') && active.selection.start.line === 7
          ? active
          : undefined;
      },
      10_000,
    );
    assert.match(editor.document.lineAt(7).text, /extra field/);
  });

  it('opens only lines of the file being previewed, whatever file the webview names', async () => {
    const other = path.join(repoRoot, 'package.json');
    hooks.postFromPanel({ type: 'openLocation', file: other, line: 2 });
    await settle(1000);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === other), 'package.json was not opened');
  });

  it('gives each unusable file a clear message in the panel, and a blocked file cannot start', async () => {
    const cases: [string, RegExp][] = [
      ['training/empty.csv', /empty/],
      ['training/single-class.csv', /only one class/],
      ['training/binary.csv', /binary/],
    ];
    for (const [file, reason] of cases) {
      await api.training.open(fixtureUri(file));
      const source = snapshot(api).source!;
      assert.equal(source.title, path.basename(file));
      assert.match(source.blocker ?? '', reason, file);
    }
    if (harnessUrl) await webviewHtml('#source', 'Cannot train on this file');
    posted.length = 0;
    hooks.postFromPanel({ type: 'start', requestId: 900, settings: FAST });
    const answer = await waitFor('the answer to start', () =>
      posted.find((m) => m.type === 'result' && m.requestId === 900),
    );
    assert.ok(
      answer.type === 'result' && answer.outcome === 'failed' && /binary/.test(answer.message),
      JSON.stringify(answer),
    );
    assert.equal(snapshot(api).run.status, 'idle');
  });

  it('logs and ignores malformed messages from the panel', async () => {
    // The previous test's last state update may still be on its way to the panel.
    await settle(500);
    posted.length = 0;
    hooks.postFromPanel({ type: 'start', requestId: 'one' });
    hooks.postFromPanel({ type: 'runScript', code: 'alert(1)' });
    hooks.postFromPanel(null);
    await settle(300);
    assert.deepEqual(posted, []);
    assert.equal(snapshot(api).run.status, 'idle');
  });

  it('cancels a run mid-way, within a batch, and leaves saved models intact (screenshot panel-training)', async () => {
    const large = writeLargeFile();
    await api.training.open(large);
    assert.equal(snapshot(api).source?.examples, 2000);
    posted.length = 0;
    hooks.postFromPanel({
      type: 'start',
      requestId: 1,
      // No validation split: no early stopping, so the run lasts its 40 epochs and cannot end on its
      // own before the cancel, however fast the engine gets (it did once, stopping early at epoch 6).
      settings: { ...FAST, epochs: 40, units: 64, embeddingDim: 64, batchSize: 16, validationSplit: 0 },
    });
    await waitFor(
      'two epochs',
      () => snapshot(api).run.epochPoints.length >= 2 && snapshot(api).run.status === 'training',
    );
    if (harnessUrl) {
      await webviewHtml('#charts', /polyline/);
      await settle(400);
      await screenshot('panel-training');
    }
    const before = snapshot(api).run;
    assert.ok(
      before.points.length > 0 && before.remainingSeconds !== undefined,
      'progress during epochs with a time estimate',
    );
    hooks.postFromPanel({ type: 'cancel' });
    const run = await waitFor(
      'the cancel',
      () => (snapshot(api).run.status === 'cancelled' ? snapshot(api).run : undefined),
      30_000,
    );
    assert.match(run.message ?? '', /cancelled.*saved models are unchanged/);
    assert.equal(run.report, undefined);
    console.log(
      `[training] longest extension-host block during the cancelled run: ${hooks.longestHostBlockMs().toFixed(1)} ms`,
    );
    if (harnessUrl) await webviewHtml('#run-status', 'Training was cancelled');
  });

  it('trains on the fixture to completion through the panel protocol, starting from the bundled embeddings; the real webview renders the report (screenshot panel-report)', async () => {
    await api.training.open(fixtureUri('training/reviews.tsv'));
    posted.length = 0;
    const settings = { ...FAST, embeddingDim: 100, startFromBundled: true };
    hooks.postFromPanel({ type: 'settings', settings });
    hooks.postFromPanel({ type: 'start', requestId: 2, settings });
    const run = await waitFor('the end of the run', () =>
      snapshot(api).run.status === 'done'
        ? snapshot(api).run
        : ['failed', 'crashed', 'cancelled'].includes(snapshot(api).run.status)
          ? assert.fail(snapshot(api).run.message)
          : undefined,
    );
    const report = run.report!;
    assert.deepEqual(report.labels, ['negative', 'positive']);
    assert.equal(report.validationExamples, 20);
    assert.ok(report.samples.length > 0);
    assert.ok(
      posted.some((m) => m.type === 'run' && m.run.status === 'training'),
      'progress was posted to the panel',
    );
    const blockMs = hooks.longestHostBlockMs();
    console.log(
      `[training] fixture run: accuracy ${report.accuracy}, ${report.seconds.toFixed(1)} s; longest extension-host block ${blockMs.toFixed(1)} ms`,
    );
    if (harnessUrl) {
      const html = await webviewHtml('#report', 'Validation accuracy');
      assert.match(html, /class="confusion"/);
      assert.match(html, /class="token tone-(pos|neg) level-\d"/, 'words coloured by their trajectory');
      await settle(800);
      await screenshot('panel-report');
    }
  });

  it('keeps its state when hidden and shown again', async function () {
    if (!harnessUrl) this.skip();
    await vscode.window.showTextDocument(fixtureUri('training/reviews.tsv'), { viewColumn: vscode.ViewColumn.Active });
    await settle(500);
    await api.training.open();
    await webviewHtml('#report', 'Validation accuracy');
  });

  it('saves the model; made active for highlighting, it changes what classify returns', async () => {
    const text = 'a warm and funny film with a clever script';
    const bundled = await api.classify(text);
    assert.equal(bundled.model, 'movie-reviews');
    posted.length = 0;
    hooks.postFromPanel({ type: 'save', requestId: 3, name: 'fixture-reviews', activateFor: ['highlight'] });
    const answer = await waitFor('the save', () => posted.find((m) => m.type === 'result' && m.requestId === 3));
    assert.ok(answer.type === 'result' && answer.outcome === 'ok', JSON.stringify(answer));
    assert.equal(vscode.workspace.getConfiguration('sentimentLens').get('highlight.model'), 'fixture-reviews');
    const listed = api.models.list().find((m) => m.name === 'fixture-reviews');
    assert.ok(
      listed &&
        listed.origin === 'user' &&
        listed.activeFor.includes('highlight') &&
        typeof listed.accuracy === 'number' &&
        listed.createdAt,
    );
    const mine = await api.classify(text);
    assert.equal(mine.model, 'fixture-reviews');
    assert.notDeepEqual(mine.probabilities, bundled.probabilities);
    if (harnessUrl) await webviewHtml('#models', 'fixture-reviews');
  });

  it('survives a crashed worker: the panel says so, saved models stay intact, and the next run works', async () => {
    const userDir = api.models.folder('fixture-reviews');
    assert.ok(userDir);
    const before = hashFolder(userDir);
    await api.training.open(fixtureUri('training/large.tsv'));
    hooks.postFromPanel({
      type: 'start',
      requestId: 4,
      settings: { ...FAST, epochs: 40, units: 64, embeddingDim: 64 },
    });
    await waitFor('progress', () => snapshot(api).run.points.length > 0);
    assert.equal(hooks.killWorker(), true);
    const run = await waitFor(
      'the crash',
      () => (snapshot(api).run.status === 'crashed' ? snapshot(api).run : undefined),
      30_000,
    );
    assert.match(run.message ?? '', /stopped unexpectedly.*saved models are unchanged/);
    assert.equal(hashFolder(userDir), before);
    assert.ok(api.models.list().some((m) => m.name === 'fixture-reviews'));
    if (harnessUrl) await webviewHtml('#run-status', 'stopped unexpectedly');
    await api.training.open(fixtureUri('training/reviews.tsv'));
    hooks.postFromPanel({ type: 'start', requestId: 5, settings: { ...FAST, epochs: 2 } });
    await waitFor('a run after the crash', () => snapshot(api).run.status === 'done');
  });

  it('exports, deletes and imports models (ours, and a Keras-converted one)', async () => {
    const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-export-'));
    const exported = await api.models.export('fixture-reviews', exportDir);
    assert.ok(fs.existsSync(path.join(exported, 'model.json')) && fs.existsSync(path.join(exported, 'metadata.json')));

    await api.models.delete('fixture-reviews');
    assert.ok(!api.models.list().some((m) => m.name === 'fixture-reviews'));
    assert.notEqual(
      vscode.workspace.getConfiguration('sentimentLens').get('highlight.model'),
      'fixture-reviews',
      'a deleted model is no longer active',
    );
    assert.equal((await api.classify('a warm film')).model, 'movie-reviews');

    await api.models.import(exported, 'reimported');
    await api.models.import(path.join(repoRoot, 'test', 'fixtures', 'models', 'keras-converted-gru'), 'keras-gru');
    const names = api.models.list().map((m) => m.name);
    assert.ok(names.includes('reimported') && names.includes('keras-gru'), names.join(', '));
    await api.models.activate('keras-gru', 'comments');
    assert.equal((await api.classify('a warm film', 'comments')).model, 'keras-gru');

    // Links inside the folder pass the first check, but only regular files are copied: the copy is checked too.
    const linked = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-linked-'));
    fs.mkdirSync(path.join(linked, 'real'));
    for (const file of fs.readdirSync(exported)) {
      fs.copyFileSync(path.join(exported, file), path.join(linked, 'real', file));
      fs.symlinkSync(path.join('real', file), path.join(linked, file));
    }
    await assert.rejects(api.models.import(linked, 'linked'), /not a complete model/);
    assert.ok(!api.models.list().some((m) => m.name === 'linked'));

    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-broken-'));
    fs.writeFileSync(path.join(broken, 'model.json'), '{}');
    await assert.rejects(api.models.import(broken, 'broken'), /metadata\.json/);
    assert.ok(!api.models.list().some((m) => m.name === 'broken'));
    await assert.rejects(api.models.delete('movie-reviews'), /bundled/);
    if (harnessUrl) await webviewHtml('#models', 'keras-gru');
  });

  it('trains and saves a seed ensemble that highlighting uses; with a network file missing, the bundled model is used', async () => {
    await api.training.open(fixtureUri('training/reviews.tsv'));
    posted.length = 0;
    hooks.postFromPanel({ type: 'start', requestId: 6, settings: { ...FAST, epochs: 2, ensembleMembers: 2 } });
    const run = await waitFor('the end of the ensemble run', () =>
      snapshot(api).run.status === 'done'
        ? snapshot(api).run
        : ['failed', 'crashed', 'cancelled'].includes(snapshot(api).run.status)
          ? assert.fail(snapshot(api).run.message)
          : undefined,
    );
    assert.ok(
      posted.some((m) => m.type === 'run' && m.run.member === 2 && m.run.members === 2),
      'the panel was told about the second network',
    );
    assert.equal(run.report?.bestEpochs?.length, 2);
    assert.match(run.message ?? '', /2 networks, best epochs \d+ and \d+/);
    hooks.postFromPanel({ type: 'save', requestId: 7, name: 'fixture-ensemble', activateFor: ['highlight'] });
    const answer = await waitFor('the save', () => posted.find((m) => m.type === 'result' && m.requestId === 7));
    assert.ok(answer.type === 'result' && answer.outcome === 'ok', JSON.stringify(answer));
    const folder = api.models.folder('fixture-ensemble');
    assert.ok(
      folder && fs.existsSync(path.join(folder, 'model-2.json')) && fs.existsSync(path.join(folder, 'weights-2.bin')),
    );
    assert.equal((await api.classify('a warm and funny film')).model, 'fixture-ensemble');

    // A copy without its second network's weights, made active: highlighting falls back to the bundled model.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-ensemble-'));
    await api.models.export('fixture-ensemble', copy);
    await api.models.import(path.join(copy, 'fixture-ensemble'), 'ensemble-copy');
    fs.rmSync(path.join(api.models.folder('ensemble-copy')!, 'weights-2.bin'));
    await api.models.activate('ensemble-copy', 'highlight');
    assert.equal((await api.classify('a warm and funny film')).model, 'movie-reviews');
    await api.models.delete('ensemble-copy');
    await api.models.delete('fixture-ensemble');
  });
});

function hashFolder(dir: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(dir).sort()) hash.update(file).update(fs.readFileSync(path.join(dir, file)));
  return hash.digest('hex');
}
