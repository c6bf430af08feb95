/** `sentiment-lens train`: trains and saves a model, with progress on stderr. */
import * as path from 'node:path';
import { abbreviate, listSome } from '../core/readers/displayText';
import { formatMetrics } from '../core/model/metrics';
import { fingerprintFiles } from '../core/readers';
import { saveTrainedModel, QuantizationChoice } from '../core/training/modelFiles';
import { checkSaveTarget, SaveTargetError } from '../core/model/modelFolder';
import {
  distinctTokens,
  pretrainedEmbeddingHook,
  readPretrainedVectors,
  type PretrainedVectors,
} from '../core/training/pretrainedVectors';
import {
  resolveTrainingOptions,
  trainClassifier,
  TrainingHooks,
  TrainingOptions,
  TrainingProgress,
} from '../core/training/training';
import { negativeLabelOf, positiveLabelOf } from '../core/classify/scoring';
import { CliError, CommandContext, DATA_OPTIONS, EXIT_USAGE, parseOptions, readData } from './common';
import { settingFlag, settingFlagOptions, settingsFromFlags, TRAIN_SETTING_KEYS } from './trainingFlags';

/** The flags of `train` besides the data: one per training setting (trainingFlags.ts), and these. */
export const TRAINING_FLAGS = {
  out: { type: 'string' },
  ...settingFlagOptions(TRAIN_SETTING_KEYS),
  tokenizer: { type: 'string' },
  quantize: { type: 'string' },
  name: { type: 'string' },
  'pretrained-vectors': { type: 'string' },
} as const;

export async function trainCommand(argv: string[], { helperScript }: CommandContext): Promise<void> {
  const { values } = parseOptions(argv, { ...DATA_OPTIONS, ...TRAINING_FLAGS });
  /** The settings' flags, by name (their options are derived, so parseArgs cannot type them). */
  const given = (key: string) => (values as Readonly<Record<string, string | boolean | undefined>>)[settingFlag(key)];
  if (!values.out) throw new CliError('--out DIR is required', EXIT_USAGE);
  let options = trainingOptionsFromFlags(values);
  // Off by default; asked for, it must apply (the run would otherwise warn and save the ensemble).
  if (given('distill') === true && options.ensembleMembers < 2)
    throw new CliError(
      `--distill needs --ensemble-members 2 or more: the distilled network learns from them (got ${options.ensembleMembers})`,
      EXIT_USAGE,
    );
  // Off by default; asked for, it must have lexicon terms to change.
  if (given('learnedTransforms') === true && options.lexiconWeight === 0)
    throw new CliError(`--learned-transforms needs the lexicon terms: a --lexicon-weight above 0 (got 0)`, EXIT_USAGE);
  const quantize = (values.quantize ?? 'none') as QuantizationChoice;
  if (!['none', 'float16', 'uint16', 'uint8'].includes(quantize))
    throw new CliError(`--quantize must be none, float16, uint16 or uint8 (got "${quantize}")`, EXIT_USAGE);
  // Before training: a run should not end in learning that --out cannot be written.
  await checkSaveTarget(values.out).catch(toCliError);
  const data = readData(values);
  // Both are on by default and then apply only where the labels allow; asked for, they must apply.
  const askedLexicon = given('lexiconWeight') !== undefined && options.lexiconWeight > 0;
  if (askedLexicon || given('linguisticExamples') === true) {
    const labels = Object.keys(data.labelCounts);
    if (positiveLabelOf(labels) === undefined || negativeLabelOf(labels) === undefined) {
      const flag = `--${settingFlag(askedLexicon ? 'lexiconWeight' : 'linguisticExamples')}`;
      throw new CliError(
        `${flag} needs a positive and a negative label (such as pos / neg); this file's labels are ${listSome(labels.map((l) => abbreviate(l)))}`,
        EXIT_USAGE,
      );
    }
  }
  const files = values.file !== undefined ? [values.file] : [values.pos!, values.neg!];
  const hooks: { -readonly [K in keyof TrainingHooks]: TrainingHooks[K] } = {
    onProgress: reportProgress,
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    helperScript,
  };
  let pretrainedVectors: string | undefined;
  if (values['pretrained-vectors'] !== undefined) {
    const file = values['pretrained-vectors'];
    const vectors = await readVectorsFile(
      file,
      distinctTokens(
        data.examples.map((e) => e.text),
        options.tokenizer,
      ),
    );
    if (given('embeddingDim') === undefined)
      options = resolveTrainingOptions({ ...options, embeddingDim: vectors.dim });
    else if (vectors.dim !== options.embeddingDim) {
      throw new CliError(
        `--pretrained-vectors ${file} has ${vectors.dim} dimensions but --embedding-dim is ${options.embeddingDim}: drop --embedding-dim or set it to ${vectors.dim}`,
        EXIT_USAGE,
      );
    }
    process.stderr.write(
      `pretrained vectors: ${vectors.tokens.length} of the data's words found in ${file} (${vectors.dim} dimensions)\n`,
    );
    hooks.initialEmbedding = pretrainedEmbeddingHook(vectors, file, (found, size) => {
      pretrainedVectors = `${path.basename(file)}: ${found} of ${size} vocabulary rows`;
      process.stderr.write(`embedding: ${found} of ${size} vocabulary rows start from the pretrained vectors\n`);
    });
  }
  process.stderr.write(
    `training on ${data.examples.length} examples (${listSome(Object.entries(data.labelCounts).map(([l, n]) => `${abbreviate(l)} ${n}`))}), ${options.cell} ${options.layers}x${options.units}, embedding ${options.embeddingDim}, ${options.epochs} epochs${ensembleText(options)}\n`,
  );
  const result = await trainClassifier(data.examples, options, hooks);
  await saveTrainedModel(values.out, result, {
    pretrainedVectors,
    name: values.name ?? path.basename(path.resolve(values.out)),
    dataFingerprint: fingerprintFiles(files),
    dataDescription: files.map((f) => path.basename(f)).join(' + '),
    quantize,
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  }).catch(toCliError);
  const bestEpochs = result.members
    ? `best epochs ${result.members.map((member) => member.bestEpoch).join(', ')}`
    : result.distillation
      ? `teachers' best epochs ${result.distillation.teachers.map((teacher) => teacher.bestEpoch).join(', ')} (their ensemble's accuracy ${result.distillation.teachersAccuracy.toFixed(4)}), the distilled network's ${result.bestEpoch}`
      : `best epoch ${result.bestEpoch}`;
  process.stderr.write(`${bestEpochs}, ${result.seconds.toFixed(1)} s; saved to ${values.out}\n`);
  process.stdout.write(`${formatMetrics(result.metrics)}\n`);
}

/**
 * Turns command-line flags into training options: the flags of the settings `keys` (default:
 * train's) and --tokenizer; unset flags keep the defaults. A bad value is a usage error naming its flag.
 */
export function trainingOptionsFromFlags(
  values: Readonly<Record<string, string | boolean | undefined>>,
  keys = TRAIN_SETTING_KEYS,
): TrainingOptions {
  const tokenizer = values.tokenizer as string | undefined;
  if (tokenizer !== undefined && tokenizer !== 'english' && tokenizer !== 'developer') {
    throw new CliError(`--tokenizer must be english or developer (got "${tokenizer}")`, EXIT_USAGE);
  }
  const { settings, problems } = settingsFromFlags(keys, values);
  if (problems.length) throw new CliError(problems.join('; '), EXIT_USAGE);
  try {
    return resolveTrainingOptions({
      ...settings,
      tokenizer: tokenizer ? { kind: tokenizer, lowercase: true } : undefined,
    });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT_USAGE);
  }
}

/** How many networks a run trains, for its first line: nothing for one network. */
function ensembleText(options: TrainingOptions): string {
  const members = options.ensembleMembers;
  if (members < 2) return '';
  const seeds = `seeds ${options.seed} to ${options.seed + members - 1}`;
  return options.distill
    ? `, ${members} networks (${seeds}) distilled into one (seed ${options.seed + members})`
    : `, an ensemble of ${members} networks (${seeds})`;
}

function reportProgress(p: TrainingProgress): void {
  const member = p.member ? `network ${p.member}/${p.members}  ` : '';
  if (p.phase === 'pretraining') {
    process.stderr.write(`${member}pretraining the embedding with skip-gram...\n`);
  } else if (p.phase === 'validated') {
    process.stderr.write(
      `${member}epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}  acc ${p.accuracy.toFixed(4)}  val_loss ${p.validationLoss!.toFixed(4)}  val_acc ${p.validationAccuracy!.toFixed(4)}  ${p.elapsedSeconds.toFixed(1)} s\n`,
    );
  }
}

/** A refused output folder or a failed save as a one-line CLI error (exit 1). */
function toCliError(error: unknown): never {
  if (error instanceof SaveTargetError) throw new CliError(error.message);
  throw new CliError(`could not save the model: ${(error as Error)?.message ?? String(error)}`);
}

/** Reads the vectors of the data's words; an unreadable or malformed file is bad input (exit 1). */
async function readVectorsFile(file: string, words: ReadonlySet<string>): Promise<PretrainedVectors> {
  try {
    return await readPretrainedVectors(file, words);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `--pretrained-vectors ${file}: no such file` : (error as Error).message);
  }
}
