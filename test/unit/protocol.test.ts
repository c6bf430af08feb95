import * as assert from 'node:assert/strict';
import { isHostToPanel, isPanelToHost, isPanelTrainingSettings } from '../../src/protocol/panelMessages';
import { IDLE_RUN, RUNNING_STATUSES, sourceTitle } from '../../src/protocol/views';
import { SMALL_PANEL_SETTINGS } from './panelSettingsFixture';
import { labelTone } from '../../src/protocol/labelTones';
import { MODEL_NAME, MODEL_NAME_PATTERN, suggestModelName } from '../../src/protocol/modelNames';
import { isHostToWorker, isWorkerToHost } from '../../src/protocol/workerMessages';
import { transferEmbedding } from '../../src/core/training/embeddingTransfer';
import { FEATURE_IDS, featureName } from '../../src/protocol/features';

const settings = SMALL_PANEL_SETTINGS;

describe('protocol', () => {
  it('accepts every well-formed panel-to-host message', () => {
    const messages = [
      { type: 'ready' },
      { type: 'browse' },
      { type: 'cancel' },
      { type: 'importModel' },
      { type: 'reparse', requestId: 1, format: 'csv', hasHeader: true, textColumn: 0, labelColumn: 'label' },
      { type: 'openLocation', file: '/x.csv', line: 3 },
      { type: 'settings', settings },
      { type: 'start', requestId: 2, settings },
      { type: 'save', requestId: 3, name: 'mine', activateFor: ['highlight', 'comments'] },
      { type: 'activateModel', name: 'mine', feature: 'comments' },
      { type: 'renameModel', name: 'mine' },
      { type: 'deleteModel', name: 'mine' },
      { type: 'exportModel', name: 'mine' },
    ];
    for (const message of messages) assert.ok(isPanelToHost(message), JSON.stringify(message));
  });

  it('rejects malformed or unknown panel-to-host messages', () => {
    const messages = [
      null,
      'ready',
      [],
      { type: 'unknown' },
      { type: 'start', settings },
      { type: 'start', requestId: 1, settings: { ...settings, units: '16' } },
      { type: 'reparse', requestId: 1, format: 'xml' },
      { type: 'openLocation', file: '/x', line: -1 },
      { type: 'save', requestId: 1, name: 'x', activateFor: ['everything'] },
      { type: 'activateModel', name: 'x', feature: 'status' },
      { type: 'deleteModel', name: '' },
    ];
    for (const message of messages) assert.ok(!isPanelToHost(message), JSON.stringify(message));
  });

  it('checks settings completely', () => {
    assert.ok(isPanelTrainingSettings(settings));
    assert.ok(!isPanelTrainingSettings({ ...settings, cell: 'transformer' }));
    assert.ok(!isPanelTrainingSettings({ ...settings, epochs: Number.NaN }));
    const { skipGram: _omitted, ...missing } = settings;
    assert.ok(!isPanelTrainingSettings(missing));
  });

  it('accepts host-to-panel messages the panel renders and rejects others', () => {
    const snapshot = { settings, defaults: settings, run: IDLE_RUN, models: [], maxFileBytes: 1 };
    assert.ok(isHostToPanel({ type: 'init', snapshot }));
    assert.ok(isHostToPanel({ type: 'run', run: IDLE_RUN }));
    assert.ok(isHostToPanel({ type: 'result', requestId: 1, outcome: 'failed', message: 'no' }));
    assert.ok(!isHostToPanel({ type: 'init', snapshot: { ...snapshot, run: {} } }));
    assert.ok(!isHostToPanel({ type: 'result', requestId: 1, ok: true, message: 'boolean kinds are not used' }));
    assert.ok(!isHostToPanel({ type: 'eval', code: '1' }));
  });

  it('checks host-to-worker and worker-to-host messages', () => {
    const source = { kind: 'file', path: '/d.tsv' };
    assert.ok(isHostToWorker({ type: 'load', requestId: 1, source, maxBytes: 10 }));
    assert.ok(
      isHostToWorker({
        type: 'train',
        requestId: 1,
        source: { kind: 'pair', positivePath: '/a.pos', negativePath: '/a.neg' },
        maxBytes: 10,
        settings,
      }),
    );
    assert.ok(isHostToWorker({ type: 'cancel', requestId: 1 }));
    assert.ok(!isHostToWorker({ type: 'cancel' }));
    assert.ok(!isHostToWorker({ type: 'load', requestId: 1, source: { kind: 'url', path: 'http://x' }, maxBytes: 10 }));
    assert.ok(!isHostToWorker({ type: 'save', requestId: 1, dir: '', name: 'x' }));
    assert.ok(
      isWorkerToHost({
        type: 'progress',
        requestId: 1,
        progress: { phase: 'training', epoch: 1, epochs: 2, elapsedSeconds: 1 },
      }),
    );
    assert.ok(isWorkerToHost({ type: 'cancelled', requestId: 1 }));
    assert.ok(isWorkerToHost({ type: 'warning', requestId: 1, message: 'training on one thread' }));
    assert.ok(!isWorkerToHost({ type: 'warning', requestId: 1 }));
    assert.ok(!isWorkerToHost({ type: 'progress', requestId: 1, progress: { phase: 'warming' } }));
    assert.ok(!isWorkerToHost({ type: 'done', requestId: 1, report: {} }));
  });
});

describe('embeddingTransfer', () => {
  it('copies the rows of shared words and keeps the others and padding', () => {
    const initial = new Float32Array([0, 0, 9, 9, 8, 8, 7, 7]);
    const source = {
      tokens: ['<pad>', '<unk>', 'good', 'film'],
      embedding: new Float32Array([5, 5, 1, 1, 2, 2, 3, 3]),
      dim: 2,
    };
    const { embedding, shared } = transferEmbedding(['<pad>', '<unk>', 'film', 'dull'], initial, 2, source);
    assert.deepEqual([...embedding], [0, 0, 1, 1, 3, 3, 7, 7]);
    assert.equal(shared, 2);
    assert.deepEqual([...initial], [0, 0, 9, 9, 8, 8, 7, 7], 'input unchanged');
  });

  it('refuses a different embedding size with a message saying what to set', () => {
    assert.throws(
      () =>
        transferEmbedding(['<pad>', '<unk>'], new Float32Array(4), 2, {
          tokens: ['<pad>', '<unk>'],
          embedding: new Float32Array(6),
          dim: 3,
        }),
      /set the embedding size to 3/,
    );
  });
});

describe('features', () => {
  it('has one id and one name per feature, and the panel guard accepts exactly those ids', () => {
    assert.deepEqual([...FEATURE_IDS], ['highlight', 'comments']);
    assert.equal(featureName('comments'), 'comment checks');
    for (const feature of FEATURE_IDS) assert.ok(isPanelToHost({ type: 'activateModel', name: 'm', feature }), feature);
    assert.ok(!isPanelToHost({ type: 'activateModel', name: 'm', feature: 'harshness' }));
  });
});

describe('labelTones', () => {
  it('reads the usual positive and negative class names, and a harshness pair, in any case', () => {
    for (const label of ['pos', 'Positive', 'good', 'favorable', 'favourable', 'not-harsh', 'non-toxic'])
      assert.equal(labelTone(label), 'positive', label);
    for (const label of ['neg', 'NEGATIVE', 'bad', 'unfavourable', 'harsh', 'toxic'])
      assert.equal(labelTone(label), 'negative', label);
  });

  it('gives numbers and other names no tone (1 is positive in some data sets, toxic in others)', () => {
    for (const label of ['0', '1', 'neutral', 'praise', 'rude', 'positively'])
      assert.equal(labelTone(label), undefined, label);
  });
});

describe('modelNames', () => {
  it('accepts a letter or digit, then letters, digits, dot, underscore or hyphen, at most 64', () => {
    for (const name of ['m', 'my-model_2.1', '9lives', 'a'.repeat(64)]) assert.ok(MODEL_NAME.test(name), name);
    for (const name of ['', '-x', '.hidden', 'a b', 'a/b', 'a'.repeat(65), 'ü'])
      assert.ok(!MODEL_NAME.test(name), name);
  });

  it('suggests a valid name from any folder name, or the fallback when nothing of it can be used', () => {
    assert.equal(suggestModelName('my model (v2)', 'x'), 'my-model--v2-');
    assert.equal(suggestModelName('.hidden-model', 'x'), 'hidden-model');
    assert.equal(suggestModelName('ü', 'imported'), 'imported');
    assert.equal(suggestModelName('b'.repeat(100), 'x'), 'b'.repeat(64));
    for (const text of ['my model (v2)', '--a', 'ü-ber', 'b'.repeat(100)])
      assert.ok(MODEL_NAME.test(suggestModelName(text, 'x')), text);
  });

  it('gives the panel a pattern that compiles with the v flag browsers use for the pattern attribute', () => {
    assert.doesNotThrow(() => new RegExp(`^(?:${MODEL_NAME_PATTERN})$`, 'v'));
  });
});

describe('views', () => {
  it('titles a data source by its file names', () => {
    assert.equal(sourceTitle({ kind: 'file', path: '/data/reviews.csv' }), 'reviews.csv');
    assert.equal(
      sourceTitle({ kind: 'pair', positivePath: '/d/rt.pos', negativePath: 'C:\\d\\rt.neg' }),
      'rt.pos + rt.neg',
    );
  });

  it('counts starting, pretraining and training as running', () => {
    assert.deepEqual([...RUNNING_STATUSES].sort(), ['pretraining', 'starting', 'training']);
  });
});
