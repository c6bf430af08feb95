/**
 * `sentiment-lens prepare`: the data-preparation step of `train` (same readers, tokenizer, split
 * and vocabulary), written as id-encoded .npy shards plus a metadata.json for an outside trainer
 * (scale/train_ddp.py; layout in src/core/preparedData.ts and docs/scale-out.md).
 */
import * as path from 'node:path';
import { fingerprintFiles } from '../core/readers';
import { writePreparedData } from '../core/preparedData';
import { prepareTrainingData } from '../core/training';
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
} as const;

/** Usage of `prepare` (printed on a usage error). */
export const PREPARE_USAGE = `Usage:
  sentiment-lens prepare (--pos FILE --neg FILE | --file FILE [--format F]) --out DIR [--shards N]
      [--seed N] [--validation-split X] [--min-count N] [--max-vocabulary N] [--max-length N]
      [--tokenizer english|developer] [--name NAME] [--text-column C] [--label-column C]
      Split, tokenize and encode labelled data as \`train\` does, and write id-encoded .npy shards,
      dataset.json and metadata.json to DIR for a distributed trainer (docs/scale-out.md).
`;

export async function prepareCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, { ...DATA_OPTIONS, ...PREPARE_FLAGS });
  if (!values.out) throw new CliError(`--out DIR is required\n\n${PREPARE_USAGE}`, EXIT_USAGE);
  const shards = numberOption(values.shards, 'shards') ?? 1;
  if (!Number.isInteger(shards) || shards < 1) throw new CliError(`--shards must be a positive integer (got ${values.shards})`, EXIT_USAGE);
  const options = trainingOptionsFromFlags({
    seed: values.seed,
    'validation-split': values['validation-split'],
    'min-count': values['min-count'],
    'max-vocabulary': values['max-vocabulary'],
    'max-length': values['max-length'],
    tokenizer: values.tokenizer,
  });
  const data = readData(values);
  const files = values.file !== undefined ? [values.file] : [values.pos!, values.neg!];
  let prepared;
  try {
    prepared = prepareTrainingData(data.examples, options);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  let manifest;
  try {
    manifest = await writePreparedData(values.out, prepared, options, {
      name: values.name ?? path.basename(path.resolve(values.out)),
      dataFingerprint: fingerprintFiles(files),
      dataDescription: files.map((f) => path.basename(f)).join(' + '),
    }, shards);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { train, validation } = manifest.splits;
  process.stderr.write(
    `prepared ${train.examples} training and ${validation.examples} validation examples (${manifest.labels.join(', ')}), ` +
      `vocabulary ${manifest.vocabSize}, max length ${manifest.maxLength}, ${shards} shard(s) per split, in ${values.out}\n`,
  );
}
