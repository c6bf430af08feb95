import * as assert from 'node:assert/strict';
import { DEFAULT_TRAINING_OPTIONS, resolveTrainingOptions } from '../../src/core/training/training';
import { isPanelTrainingSettings } from '../../src/protocol/panelMessages';
import {
  describeAllowed,
  PANEL_ONLY_SETTINGS,
  PANEL_SETTING_DEFAULTS,
  PANEL_SETTINGS,
  runOptionsOf,
  settingName,
  TRAINING_SETTING_DEFAULTS,
  TRAINING_SETTINGS,
} from '../../src/protocol/trainingSettings';

const badSettings = (values: Record<string, unknown>) => () => resolveTrainingOptions(values as never);

describe('trainingSettings', () => {
  it('gives every row a distinct key, a label, help, and a default its own checks allow', () => {
    const rows = [...TRAINING_SETTINGS, ...PANEL_ONLY_SETTINGS];
    assert.equal(new Set(rows.map((row) => row.key)).size, rows.length);
    for (const row of rows) assert.ok(row.label && row.help, row.key);
    assert.doesNotThrow(() => resolveTrainingOptions(TRAINING_SETTING_DEFAULTS));
  });

  it('is where the defaults of TrainingOptions and of the panel come from', () => {
    for (const row of TRAINING_SETTINGS) assert.equal(DEFAULT_TRAINING_OPTIONS[row.key], row.default, row.key);
    for (const row of PANEL_SETTINGS) assert.equal(PANEL_SETTING_DEFAULTS[row.key], row.default, row.key);
    assert.equal(PANEL_SETTING_DEFAULTS.startFromBundled, true);
  });

  it('lists the panel rows in the form order, the panel-only ones last', () => {
    assert.deepEqual(
      PANEL_SETTINGS.map((row) => row.key),
      [
        'cell',
        'units',
        'layers',
        'embeddingDim',
        'dropout',
        'epochs',
        'batchSize',
        'learningRate',
        'maxLength',
        'validationSplit',
        'seed',
        'ensembleMembers',
        'distill',
        'skipGram',
        'lexiconWeight',
        'linguisticExamples',
        'learnedTransforms',
        'startFromBundled',
      ],
    );
  });

  it('names a setting in messages by its key in words and states what it allows', () => {
    const row = (key: string) => TRAINING_SETTINGS.find((r) => r.key === key)!;
    assert.equal(settingName(row('embeddingDim')), 'embedding dim');
    assert.equal(describeAllowed(row('units')), 'a positive integer');
    assert.equal(describeAllowed(row('patience')), 'a non-negative integer');
    assert.equal(describeAllowed(row('maxVocabulary')), 'an integer >= 3');
    assert.equal(describeAllowed(row('seed')), 'an integer');
    assert.equal(describeAllowed(row('learningRate')), 'positive');
    assert.equal(describeAllowed(row('dropout')), 'in [0, 1)');
    assert.equal(describeAllowed(row('cell')), 'gru, lstm or simple');
    assert.equal(describeAllowed(row('skipGram')), 'true or false');
    const number = (bounds: object) =>
      describeAllowed({ key: 'x', kind: 'number', default: 0, label: 'X', help: 'x', ...bounds });
    assert.equal(number({ min: 0 }), '>= 0');
    assert.equal(number({ above: 0.5, max: 2 }), 'in (0.5, 2]');
    assert.equal(number({ integer: true, min: 2, max: 8 }), 'an integer in [2, 8]');
    assert.equal(number({ integer: true, max: 8 }), 'an integer <= 8');
    assert.equal(number({}), 'a number');
  });

  it('has resolveTrainingOptions refuse values outside a row, naming each', () => {
    assert.throws(
      badSettings({ units: 0 }),
      /^Error: bad training settings: units must be a positive integer \(got 0\)$/,
    );
    assert.throws(
      badSettings({ units: 1.5, dropout: 1 }),
      /units must be a positive integer \(got 1\.5\); dropout must be in \[0, 1\) \(got 1\)/,
    );
    assert.throws(badSettings({ cell: 'rnn' }), /cell must be gru, lstm or simple \(got rnn\)/);
    assert.throws(badSettings({ learningRate: 0 }), /learning rate must be positive \(got 0\)/);
    assert.throws(badSettings({ maxVocabulary: 2 }), /max vocabulary must be an integer >= 3 \(got 2\)/);
    assert.throws(badSettings({ supervision: 'sometimes' }), /supervision must be final or every-step/);
    assert.throws(badSettings({ epochs: Number.NaN }), /epochs must be a positive integer \(got NaN\)/);
    assert.throws(badSettings({ threads: 3 }), /threads must be 1 or 2 \(got 3\)/);
    assert.throws(badSettings({ ensembleMembers: 6 }), /ensemble members must be an integer in \[1, 5\] \(got 6\)/);
    assert.throws(badSettings({ ensembleMembers: 0 }), /ensemble members must be an integer in \[1, 5\] \(got 0\)/);
    assert.throws(badSettings({ ensembleMembers: 1.5 }), /ensemble members must be an integer in \[1, 5\]/);
    assert.doesNotThrow(badSettings({ seed: -7, patience: 0, validationSplit: 0, threads: 1 }));
  });

  it('derives the panel message guard: every panel row with its type, ranges left to resolveTrainingOptions', () => {
    assert.ok(isPanelTrainingSettings(PANEL_SETTING_DEFAULTS));
    assert.ok(isPanelTrainingSettings({ ...PANEL_SETTING_DEFAULTS, units: -1 }));
    for (const row of PANEL_SETTINGS) {
      const { [row.key]: _omitted, ...missing } = PANEL_SETTING_DEFAULTS;
      assert.ok(!isPanelTrainingSettings(missing), `without ${row.key}`);
      assert.ok(!isPanelTrainingSettings({ ...PANEL_SETTING_DEFAULTS, [row.key]: 'x' }), `${row.key}: 'x'`);
    }
  });

  it('takes the run options out of the panel settings', () => {
    const options = runOptionsOf({ ...PANEL_SETTING_DEFAULTS, units: 8 });
    assert.equal(options.units, 8);
    assert.equal('startFromBundled' in options, false);
  });
});
