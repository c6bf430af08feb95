/** What the CLI's commands share: usage text, errors with exit codes, option parsing, data and model loading. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { CHECK_DEFAULTS } from '../core/comments/checkSettings';
import { readLabelledFile, readPolarityPair } from '../core/readers';
import { LabelledFormat, Problem, ReadResult } from '../core/readers/types';
import { notANumber, PREPARE_SETTING_KEYS, settingsHelp, settingsSynopsis, TRAIN_SETTING_KEYS } from './trainingFlags';

/** What main gives every command besides its arguments. */
export interface CommandContext {
  /** The engine helper thread's entry script (dist/engineHelper.js beside the bundled CLI). */
  readonly helperScript: string;
}

export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  sentiment-lens classify [--model DIR] [--json] [TEXT...]
      Classify each TEXT (or, with none, each line of stdin): label, probability and the
      per-word trajectory. --json prints one JSON object per text (JSON Lines).
  sentiment-lens eval [--model DIR] (--pos FILE --neg FILE | --file FILE [--format F]) [--json]
      [--split validation] [--text-column C] [--label-column C]
      Accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix on a labelled set.
      --split validation evaluates on the model's own validation split of its training data.
  sentiment-lens train (--pos FILE --neg FILE | --file FILE [--format F]) --out DIR
${settingsSynopsis(TRAIN_SETTING_KEYS, '      ').join('\n')}
      [--tokenizer english|developer] [--quantize none|float16|uint16|uint8] [--pretrained-vectors FILE]
      Train a model; progress on stderr. Defaults are the bundled model's settings;
      \`sentiment-lens train --help\` describes each one.
      --lexicon-weight and --linguistic-examples apply to data with a positive and a negative label;
      for other labels they are off, with a warning (given explicitly, they are a usage error).
      --out DIR must not exist, or be an empty folder, or hold a model saved before (which is
      replaced); any other file or folder is refused with exit 1 before training starts.
      --pretrained-vectors starts the embedding from word vectors (GloVe / word2vec / fastText
      text, or wink-embeddings JSON); the embedding size follows the file's.
  sentiment-lens prepare (--pos FILE --neg FILE | --file FILE [--format F]) --out DIR [--shards N]
${settingsSynopsis(PREPARE_SETTING_KEYS, '      ').join('\n')}
      [--tokenizer english|developer] [--name NAME] [--text-column C] [--label-column C]
      [--vocabulary-from MODEL_DIR]
      Split, tokenize and encode the data as train does; write id-encoded .npy shards,
      dataset.json and the model's metadata.json to DIR for the distributed PyTorch trainer in
      scale/ (docs/scale-out.md). --vocabulary-from encodes with a model's vocabulary, labels,
      tokenizer and max length (to continue training it: train_ddp.py --init-model).
  sentiment-lens check [--json | --format text|json|sarif] [--harsh-threshold X]
      [--negative-threshold X] [--harsh-model DIR] [--tone-model DIR] [--language ID]
      (FILE... | --stdin [--stdin-filename NAME])
      Check the comments of source files (or the text piped in: a review comment, a commit
      message; plain text unless --language says otherwise) sentence by sentence, as the editor
      does: harsh sentences (P(harsh) >= ${CHECK_DEFAULTS.harsh.threshold} under the bundled ${CHECK_DEFAULTS.harsh.model} model
      or --harsh-model) and negative ones (P(negative) >= ${CHECK_DEFAULTS.negative.threshold} under ${CHECK_DEFAULTS.negative.model} or
      --tone-model). Prints "file:line:col severity kind probability message", or one JSON
      document (--json), or SARIF 2.1.0 (--format sarif). A file whose language is not known
      from its name is skipped unless --language is given.
      Exit codes: 0 no findings, 1 findings, 2 usage error, 3 bad input (a file or a model that
      cannot be read; the other files are still checked).

Formats: csv, tsv, jsonl, labeltab (label<TAB>text). The default model is the bundled
movie-review model. Exit codes: 0 success, 1 bad input, 2 usage error.

Every on/off option --NAME also has --no-NAME (e.g. --no-skip-gram); the last one given wins.
COMMAND --help prints that command's usage.
Errors are one line; set SENTIMENT_LENS_DEBUG=1 to print the stack of an unexpected one.
`;

/** What a command's own usage adds to its entry of USAGE: each setting's help and default. */
const COMMAND_DETAILS = new Map([
  ['train', ['      Training settings:', ...settingsHelp(TRAIN_SETTING_KEYS, '        ')]],
  ['prepare', ['      Settings:', ...settingsHelp(PREPARE_SETTING_KEYS, '        ')]],
]);

/**
 * The usage of one command: its entry of USAGE (the line naming it and the indented lines under it,
 * then its COMMAND_DETAILS) and the closing notes. The whole USAGE for a name it does not hold.
 */
export function commandUsage(name: string): string {
  const [commands, ...notes] = USAGE.split('\n\n');
  const lines = commands.split('\n');
  const start = lines.findIndex(
    (line) => line === `  sentiment-lens ${name}` || line.startsWith(`  sentiment-lens ${name} `),
  );
  if (start < 0) return USAGE;
  let end = start + 1;
  while (end < lines.length && !lines[end].startsWith('  sentiment-lens ')) end++;
  const entry = ['Usage:', ...lines.slice(start, end), ...(COMMAND_DETAILS.get(name) ?? [])];
  return [entry.join('\n'), ...notes].join('\n\n');
}

/** True when argv asks for help (--help or -h before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** An error the CLI reports in one line and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_BAD_INPUT,
  ) {
    super(message);
  }
}

/**
 * node:util parseArgs, with usage errors turned into CliError(EXIT_USAGE). Every boolean option NAME
 * also takes --no-NAME (allowNegative, Node >= 20.16); the last of the two on the line wins.
 */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true, allowNegative: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`, EXIT_USAGE);
  }
}

/** Parses a numeric option; a non-number is a usage error. */
export function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new CliError(notANumber(name, value), EXIT_USAGE);
  return parsed;
}

/**
 * A bundled model's folder: `model/<name>` at the package root, found from this file's folder
 * (dist/ when bundled, src/cli/ when run from source).
 */
export function bundledModelDir(name = 'movie-reviews'): string {
  const candidates = [path.join(__dirname, '..', 'model', name), path.join(__dirname, '..', '..', 'model', name)];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0];
}

const FORMATS: readonly LabelledFormat[] = ['csv', 'tsv', 'jsonl', 'labeltab'];

/** Options that choose a labelled data set. */
export const DATA_OPTIONS = {
  pos: { type: 'string' },
  neg: { type: 'string' },
  file: { type: 'string' },
  format: { type: 'string' },
  'text-column': { type: 'string' },
  'label-column': { type: 'string' },
} as const;

/**
 * Reads the labelled data named by --pos/--neg or --file. Every problem is printed to stderr as
 * `file:line: reason`; any error-severity problem stops with exit code 1, as does an empty set.
 */
export function readData(
  values: {
    pos?: string;
    neg?: string;
    file?: string;
    format?: string;
    'text-column'?: string;
    'label-column'?: string;
  },
  positiveLabel = 'positive',
  negativeLabel = 'negative',
): ReadResult {
  const pair = values.pos !== undefined || values.neg !== undefined;
  if (pair && values.file !== undefined) throw new CliError('give either --pos/--neg or --file, not both', EXIT_USAGE);
  if (pair && (values.pos === undefined || values.neg === undefined))
    throw new CliError('--pos and --neg go together', EXIT_USAGE);
  if (!pair && values.file === undefined)
    throw new CliError('no data: give --pos FILE --neg FILE or --file FILE', EXIT_USAGE);
  if (values.format !== undefined && !FORMATS.includes(values.format as LabelledFormat)) {
    throw new CliError(`--format must be one of ${FORMATS.join(', ')} (got "${values.format}")`, EXIT_USAGE);
  }
  const column = (value: string | undefined) =>
    value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : value;
  const result = pair
    ? readPolarityPair(values.pos!, values.neg!, { positiveLabel, negativeLabel })
    : readLabelledFile(values.file!, {
        format: values.format as LabelledFormat | undefined,
        textColumn: column(values['text-column']),
        labelColumn: column(values['label-column']),
      });
  for (const line of summariseProblems(result.problems)) process.stderr.write(`${line}\n`);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new CliError(
      `${errors.length} problem${errors.length > 1 ? 's' : ''} in the data; first: ${formatProblem(errors[0])}`,
    );
  }
  if (result.examples.length === 0) throw new CliError('the data holds no usable examples');
  return result;
}

/** Problems of one kind printed in full before the rest are summarised. */
export const PROBLEMS_SHOWN_PER_KIND = 10;

/**
 * The lines to print for `problems`: the first PROBLEMS_SHOWN_PER_KIND of each kind (code and
 * severity) in order, then, per kind with more, one line saying how many more there are.
 */
export function summariseProblems(problems: readonly Problem[], perKind = PROBLEMS_SHOWN_PER_KIND): string[] {
  const lines: string[] = [];
  const seen = new Map<string, { count: number; file: string; severity: Problem['severity']; code: Problem['code'] }>();
  for (const problem of problems) {
    const kind = `${problem.severity} ${problem.code}`;
    const entry = seen.get(kind) ?? { count: 0, file: problem.file, severity: problem.severity, code: problem.code };
    seen.set(kind, entry);
    if (entry.count++ < perKind) lines.push(formatProblem(problem));
  }
  for (const { count, file, severity, code } of seen.values()) {
    if (count > perKind)
      lines.push(`${file}: ${severity}: … and ${(count - perKind).toLocaleString('en-US')} more like this (${code})`);
  }
  return lines;
}

/** `file:line: severity: reason` (line omitted for whole-file problems). */
export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.severity}: ${problem.reason}`;
}
