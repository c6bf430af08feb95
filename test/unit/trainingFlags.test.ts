import * as assert from 'node:assert/strict';
import { TRAINING_FLAGS, trainingOptionsFromFlags } from '../../src/cli/train';
import {
  PREPARE_SETTING_KEYS,
  settingFlag,
  settingFlagOptions,
  settingsFromFlags,
  settingsHelp,
  settingsSynopsis,
  TRAIN_SETTING_KEYS,
} from '../../src/cli/trainingFlags';
import { TRAINING_SETTING_DEFAULTS, TRAINING_SETTINGS } from '../../src/protocol/trainingSettings';

/** The training-setting flags `train` had before they were derived from the table: their names must not change. */
const FLAGS_BEFORE = [
  'epochs',
  'seed',
  'cell',
  'units',
  'layers',
  'embedding-dim',
  'dropout',
  'batch-size',
  'learning-rate',
  'max-length',
  'validation-split',
  'min-count',
  'max-vocabulary',
  'patience',
  'skip-gram',
  'word-dropout',
  'weight-averaging',
  'lexicon-weight',
  'linguistic-examples',
  'supervision',
];

describe('trainingFlags', () => {
  it("names each setting's flag after its key in kebab case, keeping every flag train had", () => {
    assert.equal(settingFlag('embeddingDim'), 'embedding-dim');
    assert.equal(settingFlag('units'), 'units');
    for (const flag of FLAGS_BEFORE) assert.ok(flag in TRAINING_FLAGS, `--${flag}`);
  });

  it('gives train a flag for every training setting but the vocabulary source, and on/off settings boolean flags', () => {
    const options = settingFlagOptions(TRAIN_SETTING_KEYS);
    for (const row of TRAINING_SETTINGS) {
      const option = options[settingFlag(row.key)];
      if (row.key === 'vocabularySource') assert.equal(option, undefined);
      else assert.deepEqual(option, { type: row.kind === 'boolean' ? 'boolean' : 'string' }, row.key);
    }
  });

  it('parses and checks values against the table, naming the flag of each bad one', () => {
    const { settings, problems } = settingsFromFlags(TRAIN_SETTING_KEYS, {
      units: '32',
      cell: 'lstm',
      'skip-gram': false,
      'learning-rate': '0',
      supervision: 'sometimes',
      epochs: 'many',
      'max-vocabulary': '2',
    });
    assert.deepEqual(settings, { units: 32, cell: 'lstm', skipGram: false });
    assert.deepEqual(problems, [
      '--epochs expects a number, got "many"',
      '--learning-rate must be positive (got 0)',
      '--max-vocabulary must be an integer >= 3 (got 2)',
      '--supervision must be final or every-step (got "sometimes")',
    ]);
  });

  it('turns flags into training options with the defaults for the rest, and a bad value into a usage error', () => {
    const options = trainingOptionsFromFlags({ 'embedding-dim': '8', 'linguistic-examples': false });
    assert.equal(options.embeddingDim, 8);
    assert.equal(options.linguisticExamples, false);
    assert.equal(options.units, TRAINING_SETTING_DEFAULTS.units);
    assert.throws(
      () => trainingOptionsFromFlags({ dropout: '1' }),
      (error: Error & { exitCode?: number }) =>
        error.message === '--dropout must be in [0, 1) (got 1)' && error.exitCode === 2,
    );
    assert.equal(trainingOptionsFromFlags({ units: '8' }, PREPARE_SETTING_KEYS).units, TRAINING_SETTING_DEFAULTS.units);
  });

  it('parses --distill as an on/off flag, off by default', () => {
    assert.equal(TRAINING_SETTING_DEFAULTS.distill, false);
    assert.equal(trainingOptionsFromFlags({}).distill, false);
    assert.deepEqual(settingsFromFlags(TRAIN_SETTING_KEYS, { distill: true, 'ensemble-members': '3' }).settings, {
      ensembleMembers: 3,
      distill: true,
    });
    assert.equal(trainingOptionsFromFlags({ distill: false }).distill, false);
    assert.match(
      settingsHelp(TRAIN_SETTING_KEYS, '  ').join('\n'),
      /^ {2}--distill {2,}With two or more ensemble members/m,
    );
  });

  it('parses --learned-transforms as an on/off flag, off by default, whose help says it needs the lexicon terms', () => {
    assert.equal(TRAINING_SETTING_DEFAULTS.learnedTransforms, false);
    assert.equal(trainingOptionsFromFlags({}).learnedTransforms, false);
    assert.deepEqual(settingsFromFlags(TRAIN_SETTING_KEYS, { 'learned-transforms': true }).settings, {
      learnedTransforms: true,
    });
    assert.match(
      settingsHelp(TRAIN_SETTING_KEYS, '  ').join('\n'),
      /^ {2}--learned-transforms {2,}Only with lexicon terms \(lexicon weight above 0\)\./m,
    );
  });

  it("shows each flag in the synopsis and its help with the table's default", () => {
    const synopsis = settingsSynopsis(TRAIN_SETTING_KEYS, '  ').join(' ');
    assert.match(synopsis, /\[--cell gru\|lstm\|simple\] \[--units N\]/);
    assert.match(synopsis, /\[--skip-gram\] /);
    assert.match(synopsis, /\[--dropout X\]/);
    const help = settingsHelp(PREPARE_SETTING_KEYS, '  ').join('\n');
    for (const key of PREPARE_SETTING_KEYS) assert.match(help, new RegExp(`^ {2}--${settingFlag(key)} [NX] `, 'm'));
    assert.match(help.replace(/\s+/g, ' '), /Tokens kept per sentence; longer ones are cut\. Default: 60\./);
  });
});
