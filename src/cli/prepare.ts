/**
 * `sentiment-lens prepare`: the data-preparation step of `train` (same readers, tokenizer, split
 * and vocabulary), written as id-encoded .npy shards plus a metadata.json for an outside trainer
 * (scale/train_ddp.py; layout in src/core/training/preparedData.ts and docs/scale-out.md).
 */
import * as path from 'node:path';
import { loadModel } from '../core/model/modelIO';
import { fingerprintFiles } from '../core/readers';
import { writePreparedData } from '../core/training/preparedData';
import { prepareTrainingData, resolveTrainingOptions, TrainingOptions } from '../core/training/training';
import { Vocabulary } from '../core/text/vocabulary';
import { CliError, commandUsage, DATA_OPTIONS, EXIT_USAGE, numberOption, parseOptions, readData } from './common';
import { trainingOptionsFromFlags } from './train';
import { PREPARE_SETTING_KEYS, settingFlag, settingFlagOptions } from './trainingFlags';

/** The flags of `prepare` besides the data: what the split, vocabulary and encoding depend on. */
const PREPARE_FLAGS = {
  out: { type: 'string' },
  shards: { type: 'string' },
  ...settingFlagOptions(PREPARE_SETTING_KEYS),
  tokenizer: { type: 'string' },
  name: { type: 'string' },
  'vocabulary-from': { type: 'string' },
} as const;

/** Settings that --vocabulary-from takes from the model instead. */
const MODEL_SETTINGS = ['tokenizer', ...(['maxLength', 'minCount', 'maxVocabulary'] as const).map(settingFlag)];

export async function prepareCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, { ...DATA_OPTIONS, ...PREPARE_FLAGS });
  if (!values.out) throw new CliError(`--out DIR is required\n\n${commandUsage('prepare')}`, EXIT_USAGE);
  const shards = numberOption(values.shards, 'shards') ?? 1;
  if (!Number.isInteger(shards) || shards < 1)
    throw new CliError(`--shards must be a positive integer (got ${values.shards})`, EXIT_USAGE);
  let options = trainingOptionsFromFlags(values, PREPARE_SETTING_KEYS);
  let vocabulary: Vocabulary | undefined;
  if (values['vocabulary-from'] !== undefined) {
    const flags = values as Readonly<Record<string, string | boolean | undefined>>;
    const given = MODEL_SETTINGS.filter((name) => flags[name] !== undefined);
    if (given.length)
      throw new CliError(
        `--vocabulary-from takes ${given.map((n) => `--${n}`).join(', ')} from the model; leave ${given.length > 1 ? 'them' : 'it'} out`,
        EXIT_USAGE,
      );
    const fromModel = await modelSettings(values['vocabulary-from'], options);
    options = fromModel.options;
    vocabulary = fromModel.vocabulary;
  }
  const data = readData(values);
  const files = values.file !== undefined ? [values.file] : [values.pos!, values.neg!];
  let prepared;
  try {
    prepared = prepareTrainingData(data.examples, options, vocabulary);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  let manifest;
  try {
    manifest = await writePreparedData(
      values.out,
      prepared,
      options,
      {
        name: values.name ?? path.basename(path.resolve(values.out)),
        dataFingerprint: fingerprintFiles(files),
        dataDescription: files.map((f) => path.basename(f)).join(' + '),
      },
      shards,
    );
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { train, validation } = manifest.splits;
  process.stderr.write(
    `prepared ${train.examples} training and ${validation.examples} validation examples (${manifest.labels.join(', ')}), ` +
      `vocabulary ${manifest.vocabSize}, max length ${manifest.maxLength}, ${shards} shard(s) per split, in ${values.out}\n`,
  );
}

/** The vocabulary, labels, tokenizer and max length of the model in `dir` (a broken folder is bad input). */
async function modelSettings(
  dir: string,
  options: TrainingOptions,
): Promise<{ options: TrainingOptions; vocabulary: Vocabulary }> {
  try {
    const model = await loadModel(dir);
    const { metadata } = model;
    model.dispose();
    return {
      options: resolveTrainingOptions({
        ...options,
        labels: metadata.labels,
        tokenizer: metadata.tokenizer,
        maxLength: metadata.maxLength,
      }),
      vocabulary: new Vocabulary(metadata.vocabulary),
    };
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
