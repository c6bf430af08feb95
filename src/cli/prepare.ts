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
import { CliError, DATA_OPTIONS, EXIT_USAGE, numberOption, parseOptions, readData } from './common';
import { trainingOptionsFromFlags } from './train';

/** The flags of `prepare` besides the data: what the split, vocabulary and encoding depend on. */
const PREPARE_FLAGS = {
  out: { type: 'string' },
  shards: { type: 'string' },
  seed: { type: 'string' },
  'validation-split': { type: 'string' },
  'min-count': { type: 'string' },
  'max-vocabulary': { type: 'string' },
  'max-length': { type: 'string' },
  tokenizer: { type: 'string' },
  name: { type: 'string' },
  'vocabulary-from': { type: 'string' },
} as const;

/** Settings that --vocabulary-from takes from the model instead. */
const MODEL_SETTINGS = ['tokenizer', 'max-length', 'min-count', 'max-vocabulary'] as const;

/** Usage of `prepare` (printed on a usage error). */
export const PREPARE_USAGE = `Usage:
  sentiment-lens prepare (--pos FILE --neg FILE | --file FILE [--format F]) --out DIR [--shards N]
      [--seed N] [--validation-split X] [--min-count N] [--max-vocabulary N] [--max-length N]
      [--tokenizer english|developer] [--name NAME] [--text-column C] [--label-column C]
      [--vocabulary-from MODEL_DIR]
      Split, tokenize and encode labelled data as \`train\` does, and write id-encoded .npy shards,
      dataset.json and metadata.json to DIR for a distributed trainer (docs/scale-out.md).
      --vocabulary-from encodes with a model's vocabulary, labels, tokenizer and max length, so
      that the trainer can continue training that model (train_ddp.py --init-model).
`;

export async function prepareCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, { ...DATA_OPTIONS, ...PREPARE_FLAGS });
  if (!values.out) throw new CliError(`--out DIR is required\n\n${PREPARE_USAGE}`, EXIT_USAGE);
  const shards = numberOption(values.shards, 'shards') ?? 1;
  if (!Number.isInteger(shards) || shards < 1)
    throw new CliError(`--shards must be a positive integer (got ${values.shards})`, EXIT_USAGE);
  let options = trainingOptionsFromFlags({
    seed: values.seed,
    'validation-split': values['validation-split'],
    'min-count': values['min-count'],
    'max-vocabulary': values['max-vocabulary'],
    'max-length': values['max-length'],
    tokenizer: values.tokenizer,
  });
  let vocabulary: Vocabulary | undefined;
  if (values['vocabulary-from'] !== undefined) {
    const given = MODEL_SETTINGS.filter((name) => values[name] !== undefined);
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
