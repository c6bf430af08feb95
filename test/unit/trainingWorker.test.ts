import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadClassifierModel } from '../../src/core/training/modelFiles';
import type { HostToWorker, WorkerToHost } from '../../src/protocol/workerMessages';
import { SMALL_PANEL_SETTINGS } from './panelSettingsFixture';

const fixtures = path.join(__dirname, '..', 'fixtures', 'workspace', 'training');
const MAX_BYTES = 100 * 1024 * 1024;
const SMALL = SMALL_PANEL_SETTINGS;

/**
 * The training fixture repeated `times` times in a file of `dir`: a run on it lasts long enough for a
 * cancel sent on its first progress message to arrive while its last network still trains, however
 * slowly the test's thread answers.
 */
function repeatedFixture(dir: string, times: number): string {
  const file = path.join(dir, `reviews-x${times}.tsv`);
  const [header, ...rows] = fs.readFileSync(path.join(fixtures, 'reviews.tsv'), 'utf8').trimEnd().split('\n');
  fs.writeFileSync(file, `${header}\n${`${rows.join('\n')}\n`.repeat(times)}`);
  return file;
}

/** The real worker entry in a plain Node worker thread (TypeScript through tsx). */
class WorkerHarness {
  readonly worker = new Worker(path.join(__dirname, '..', '..', 'src', 'worker', 'trainingWorker.ts'), {
    execArgv: ['--require', 'tsx/cjs'],
    stderr: true,
  });
  readonly received: WorkerToHost[] = [];
  private waiters: (() => void)[] = [];
  stderr = '';

  constructor() {
    this.worker.on('message', (m: WorkerToHost) => {
      this.received.push(m);
      this.waiters.forEach((w) => w());
    });
    this.worker.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  send(message: HostToWorker | Record<string, unknown>): void {
    this.worker.postMessage(message);
  }

  /** Waits for a message matching `match`. */
  async next(match: (m: WorkerToHost) => boolean, timeoutMs = 120_000): Promise<WorkerToHost> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out; received ${this.received.map((m) => m.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  final(requestId: number): Promise<WorkerToHost> {
    return this.next((m) => m.requestId === requestId && m.type !== 'progress');
  }

  async load(requestId: number, file: string): Promise<Extract<WorkerToHost, { type: 'loaded' }>> {
    this.send({ type: 'load', requestId, source: { kind: 'file', path: file }, maxBytes: MAX_BYTES });
    const answer = await this.final(requestId);
    assert.equal(answer.type, 'loaded', JSON.stringify(answer));
    return answer as Extract<WorkerToHost, { type: 'loaded' }>;
  }
}

describe('trainingWorker', () => {
  let harness: WorkerHarness;
  let tmp: string;
  before(() => {
    harness = new WorkerHarness();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-worker-'));
  });
  after(async () => {
    await harness.worker.terminate();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads a TSV file: format, columns, label counts and a preview', async () => {
    const { view } = await harness.load(1, path.join(fixtures, 'reviews.tsv'));
    assert.equal(view.format, 'tsv');
    assert.deepEqual(view.labelCounts, { negative: 50, positive: 50 });
    assert.equal(view.preview[0].line, 2);
    assert.equal(view.preview[0].label, 'positive');
    assert.equal(view.blocker, undefined);
  });

  it('lists the bad rows of a malformed CSV with their line numbers and still lets it train', async () => {
    const { view } = await harness.load(2, path.join(fixtures, 'malformed.csv'));
    const lines = view.problems.filter((p) => p.severity === 'error').map((p) => [p.line, p.code]);
    assert.deepEqual(lines, [
      [8, 'field-count'],
      [14, 'missing-label'],
    ]);
    assert.equal(view.blocker, undefined);
    assert.equal(view.examples, 28);
  });

  it('explains each kind of unusable file instead of failing: empty, one class, binary, UTF-16, over the size limit', async () => {
    const utf16 = path.join(tmp, 'utf16.csv');
    fs.writeFileSync(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('text,label\nfine,positive\n', 'utf16le')]),
    );
    const huge = path.join(tmp, 'huge.csv');
    fs.writeFileSync(huge, 'text,label\n');
    fs.truncateSync(huge, MAX_BYTES + 1); // sparse: nothing is written
    const cases: [string, RegExp][] = [
      [path.join(fixtures, 'empty.csv'), /empty/],
      [path.join(fixtures, 'single-class.csv'), /only one class/],
      [path.join(fixtures, 'binary.csv'), /binary/],
      [utf16, /UTF-16/],
      [huge, /over the 100\.0 MB limit/],
    ];
    let id = 10;
    for (const [file, reason] of cases) {
      const { view } = await harness.load(id++, file);
      assert.match(view.blocker ?? '', reason, `${path.basename(file)}: ${view.blocker}`);
    }
  });

  it('reads labels named __proto__ and constructor as the CLI does', async () => {
    const file = path.join(tmp, 'proto.csv');
    fs.writeFileSync(
      file,
      'text,label\ngood film,__proto__\ngreat film,__proto__\nbad film,neg\nnice film,constructor\n',
    );
    const { view } = await harness.load(15, file);
    assert.equal(view.blocker, undefined);
    assert.deepEqual(Object.entries(view.labelCounts), [
      ['__proto__', 2],
      ['constructor', 1],
      ['neg', 1],
    ]);
  });

  it('refuses to train on an unusable file with an error naming the reason', async () => {
    harness.send({
      type: 'train',
      requestId: 20,
      source: { kind: 'file', path: path.join(fixtures, 'single-class.csv') },
      maxBytes: MAX_BYTES,
      settings: SMALL,
    });
    const answer = await harness.final(20);
    assert.equal(answer.type, 'error');
    assert.match((answer as { message: string }).message, /only one class/);
  });

  it('ignores a malformed message and keeps answering', async () => {
    harness.send({ type: 'train', requestId: 'x' });
    harness.send({ type: 'launch', requestId: 21 });
    const { view } = await harness.load(22, path.join(fixtures, 'reviews.tsv'));
    assert.equal(view.examples, 100);
    assert.match(harness.stderr, /ignored "train" message/);
  });

  it('trains to the end with progress, a report with trajectories, and saves a loadable model atomically', async () => {
    harness.send({
      type: 'train',
      requestId: 30,
      source: { kind: 'file', path: path.join(fixtures, 'reviews.tsv') },
      maxBytes: MAX_BYTES,
      settings: SMALL,
    });
    const done = await harness.final(30);
    assert.equal(done.type, 'done', JSON.stringify(done));
    const warnings = harness.received.filter((m) => m.requestId === 30 && m.type === 'warning');
    assert.deepEqual(warnings, [], 'the engine helper thread started from the script the worker gave it');
    const progress = harness.received.filter((m) => m.requestId === 30 && m.type === 'progress');
    assert.ok(
      progress.some((m) => m.type === 'progress' && m.progress.phase === 'validated'),
      'per-epoch progress',
    );
    const report = (done as Extract<WorkerToHost, { type: 'done' }>).report;
    assert.deepEqual(report.labels, ['negative', 'positive']);
    assert.equal(
      report.confusion.flat().reduce((a, b) => a + b, 0),
      report.validationExamples,
    );
    assert.ok(report.samples.length > 0 && report.samples[0].tokens.length > 0);
    assert.equal(report.samples[0].tokens[0].probabilities.length, 2);

    const dir = path.join(tmp, 'models', 'fixture-model');
    harness.send({ type: 'save', requestId: 31, dir, name: 'fixture-model' });
    const saved = await harness.final(31);
    assert.equal(saved.type, 'saved', JSON.stringify(saved));
    const model = await loadClassifierModel(dir);
    assert.equal(model.metadata.name, 'fixture-model');
    assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['fixture-model'], 'no temporary folder is left behind');
  });

  it('refuses to save over a folder that holds no model, leaving its files', async () => {
    const dir = path.join(tmp, 'models', 'notes');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'todo.txt'), 'keep');
    harness.send({ type: 'save', requestId: 32, dir, name: 'notes' });
    const answer = await harness.final(32);
    assert.equal(answer.type, 'error');
    assert.match(
      (answer as { message: string }).message,
      /could not save the model: cannot save a model to .*notes: the folder is not a Sentiment Lens model/,
    );
    assert.deepEqual(fs.readdirSync(dir), ['todo.txt']);
    fs.rmSync(dir, { recursive: true });
  });

  it('stops a run within one batch of a cancel, and a saved model stays as it was', async () => {
    const dir = path.join(tmp, 'models', 'fixture-model');
    const before = fs.readFileSync(path.join(dir, 'weights.bin'));
    harness.send({
      type: 'train',
      requestId: 40,
      source: { kind: 'file', path: path.join(fixtures, 'reviews.tsv') },
      maxBytes: MAX_BYTES,
      settings: { ...SMALL, epochs: 50, batchSize: 2 },
    });
    const first = (await harness.next(
      (m) => m.requestId === 40 && m.type === 'progress' && m.progress.phase === 'training',
    )) as Extract<WorkerToHost, { type: 'progress' }>;
    harness.send({ type: 'cancel', requestId: 40 });
    const end = await harness.final(40);
    assert.equal(end.type, 'cancelled');
    const last = harness.received
      .filter((m): m is Extract<WorkerToHost, { type: 'progress' }> => m.requestId === 40 && m.type === 'progress')
      .pop()!;
    assert.equal(last.progress.epoch, first.progress.epoch, 'no further epoch after cancel');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'weights.bin')), before);
  });

  it('trains and saves a seed ensemble from the panel settings; cancelling in its second network keeps it', async () => {
    const source = { kind: 'file', path: path.join(fixtures, 'reviews.tsv') } as const;
    harness.send({
      type: 'train',
      requestId: 50,
      source,
      maxBytes: MAX_BYTES,
      settings: { ...SMALL, ensembleMembers: 2 },
    });
    const done = await harness.final(50);
    assert.equal(done.type, 'done', JSON.stringify(done));
    const networks = harness.received.flatMap((m) =>
      m.requestId === 50 && m.type === 'progress' ? [`${m.progress.member}/${m.progress.members}`] : [],
    );
    assert.deepEqual([...new Set(networks)], ['1/2', '2/2']);
    assert.equal((done as Extract<WorkerToHost, { type: 'done' }>).report.bestEpochs?.length, 2);
    const dir = path.join(tmp, 'models', 'ensemble-model');
    harness.send({ type: 'save', requestId: 51, dir, name: 'ensemble-model' });
    assert.equal((await harness.final(51)).type, 'saved');
    const model = await loadClassifierModel(dir);
    assert.equal(model.otherMembers?.length, 1);
    assert.equal(model.metadata.members, 2);
    const files = () => fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]);
    const before = files();

    harness.send({
      type: 'train',
      requestId: 52,
      source: { kind: 'file', path: repeatedFixture(tmp, 20) },
      maxBytes: MAX_BYTES,
      settings: { ...SMALL, ensembleMembers: 2, epochs: 1, batchSize: 2 },
    });
    await harness.next(
      (m) => m.requestId === 52 && m.type === 'progress' && m.progress.member === 2 && m.progress.phase === 'training',
    );
    harness.send({ type: 'cancel', requestId: 52 });
    assert.equal((await harness.final(52)).type, 'cancelled');
    assert.deepEqual(files(), before);
  });

  it('distils a seed ensemble into one saved network from the panel settings; cancelling in the student keeps the old model', async () => {
    const source = { kind: 'file', path: path.join(fixtures, 'reviews.tsv') } as const;
    harness.send({
      type: 'train',
      requestId: 53,
      source,
      maxBytes: MAX_BYTES,
      settings: { ...SMALL, ensembleMembers: 2, distill: true },
    });
    const done = await harness.final(53);
    assert.equal(done.type, 'done', JSON.stringify(done));
    const networks = harness.received.flatMap((m) =>
      m.requestId === 53 && m.type === 'progress' ? [`${m.progress.member}/${m.progress.members}`] : [],
    );
    assert.deepEqual([...new Set(networks)], ['1/3', '2/3', '3/3'], 'the student is one more network');
    const dir = path.join(tmp, 'models', 'distilled-model');
    harness.send({ type: 'save', requestId: 54, dir, name: 'distilled-model' });
    assert.equal((await harness.final(54)).type, 'saved');
    const model = await loadClassifierModel(dir);
    assert.equal(model.otherMembers?.length ?? 0, 0, 'one network');
    assert.equal(model.metadata.members, undefined);
    assert.equal(model.metadata.training.hyperparameters.distill, true);
    const files = () => fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]);
    const before = files();

    harness.send({
      type: 'train',
      requestId: 55,
      source: { kind: 'file', path: repeatedFixture(tmp, 20) },
      maxBytes: MAX_BYTES,
      settings: { ...SMALL, ensembleMembers: 2, distill: true, epochs: 1, batchSize: 2 },
    });
    await harness.next(
      (m) => m.requestId === 55 && m.type === 'progress' && m.progress.member === 3 && m.progress.phase === 'training',
    );
    harness.send({ type: 'cancel', requestId: 55 });
    assert.equal((await harness.final(55)).type, 'cancelled');
    assert.deepEqual(files(), before);
  });
});
