/**
 * `sentiment-lens check`: the editor's comment check as a linter for CI and review bots. The same
 * core code (checkComments, findingsOf) finds harsh and negative-tone sentences in the comments of
 * files, or in text piped in; output as text lines, one JSON document, or SARIF 2.1.0.
 * Exit codes: 0 no findings, 1 findings, 2 usage error, 3 bad input (a file or model that cannot be
 * read; the other files are still checked and printed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHECK_DEFAULTS, FINDING_KINDS, FindingKind, SeverityName } from '../core/comments/checkSettings';
import { Classifier } from '../core/classify/classifier';
import {
  CheckModel,
  FINDING_KIND_INFO,
  Finding,
  checkComments,
  findingMessage,
  findingsOf,
} from '../core/comments/commentCheck';
import { SUPPORTED_LANGUAGES, isSupportedLanguage, languageOfPath } from '../core/comments';
import { LineIndex } from '../core/text/lineIndex';
import { loadClassifierModel } from '../core/training/modelFiles';
import { FileRefusedError, formatBytes, readRegularFile } from '../core/files/regularFile';
import manifest from '../../package.json';
import { bundledModelDir, CliError, CommandContext, EXIT_USAGE, numberOption, parseOptions } from './common';

/** Exit code when the check found something. */
export const EXIT_FINDINGS = 1;
/** Exit code of `check` when a file or a model cannot be read. */
export const EXIT_CHECK_BAD_INPUT = 3;

/** Files larger than this are bad input rather than read into memory. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** The name findings of piped-in text carry unless --stdin-filename says otherwise. */
const STDIN_NAME = '<stdin>';

const CHECK_FLAGS = {
  json: { type: 'boolean' },
  format: { type: 'string' },
  stdin: { type: 'boolean' },
  'stdin-filename': { type: 'string' },
  language: { type: 'string' },
  'harsh-threshold': { type: 'string' },
  'negative-threshold': { type: 'string' },
  'harsh-model': { type: 'string' },
  'tone-model': { type: 'string' },
} as const;

type OutputFormat = 'text' | 'json' | 'sarif';

/** A finding placed in its file: 1-based lines and columns (UTF-16 code units), end exclusive. */
interface PlacedFinding {
  readonly file: string;
  readonly finding: Finding;
  readonly severity: SeverityName;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
}

/** A text to check: its name, how to read it (open() checks that it can be read, the function it returns reads it), its language. */
interface Input {
  readonly file: string;
  readonly open: () => Promise<() => Promise<string>>;
  readonly language: string | undefined;
}

/** A file that could not be checked: skipped (no known language) or bad input. */
interface FileProblem {
  readonly file: string;
  readonly reason: string;
}

/** Runs the check; returns the exit code. */
export async function checkCommand(argv: string[], { helperScript }: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(argv, CHECK_FLAGS, true);
  const format = outputFormat(values.json, values.format);
  if (values.stdin && positionals.length > 0)
    throw new CliError('give either FILE... or --stdin, not both', EXIT_USAGE);
  if (!values.stdin && positionals.length === 0)
    throw new CliError('nothing to check: give FILE... or --stdin', EXIT_USAGE);
  if (values['stdin-filename'] !== undefined && !values.stdin)
    throw new CliError('--stdin-filename goes with --stdin', EXIT_USAGE);
  if (values.language !== undefined && !isSupportedLanguage(values.language)) {
    throw new CliError(
      `--language "${values.language}" is not supported; one of: ${SUPPORTED_LANGUAGES.join(', ')}`,
      EXIT_USAGE,
    );
  }
  const thresholds = {
    harsh: thresholdOption(values['harsh-threshold'], 'harsh-threshold') ?? CHECK_DEFAULTS.harsh.threshold,
    negative: thresholdOption(values['negative-threshold'], 'negative-threshold') ?? CHECK_DEFAULTS.negative.threshold,
  };
  const models = {
    harsh: await loadCheckModel('harsh', values['harsh-model'], helperScript),
    negative: await loadCheckModel('negative', values['tone-model'], helperScript),
  };

  const inputs: Input[] = values.stdin
    ? [
        {
          file: values['stdin-filename'] ?? STDIN_NAME,
          open: async () => readStdin,
          language: values.language ?? languageOfPath(values['stdin-filename'] ?? '') ?? 'plaintext',
        },
      ]
    : positionals.map((file) => ({
        file,
        open: () => openRegularFile(file),
        language: values.language ?? languageOfPath(file),
      }));

  const placed: PlacedFinding[] = [];
  const skipped: FileProblem[] = [];
  const errors: FileProblem[] = [];
  let checked = 0;
  for (const input of inputs) {
    let text: string;
    try {
      // A missing file or a folder is an error even when its name tells no language.
      const read = await input.open();
      if (!input.language) {
        skipped.push({ file: input.file, reason: 'no supported language for this file name (give --language ID)' });
        continue;
      }
      text = await read();
    } catch (error) {
      errors.push({ file: input.file, reason: (error as Error).message });
      continue;
    }
    const check = await checkComments(text, input.language, models);
    if (!check) continue;
    checked++;
    const lines = new LineIndex(text);
    for (const finding of findingsOf(check.sentences, thresholds)) {
      const start = lines.position(finding.sentence.range.start);
      const end = lines.position(finding.sentence.range.end);
      placed.push({
        file: input.file,
        finding,
        severity: CHECK_DEFAULTS[finding.kind].severity,
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        message: findingMessage(finding.kind, finding.probability, finding.contributors),
      });
    }
  }

  for (const problem of skipped) process.stderr.write(`${problem.file}: skipped: ${problem.reason}\n`);
  for (const problem of errors) process.stderr.write(`${problem.file}: error: ${problem.reason}\n`);
  if (format === 'text') {
    for (const p of placed)
      process.stdout.write(
        `${p.file}:${p.line}:${p.column} ${p.severity} ${p.finding.kind} ${p.finding.probability.toFixed(3)} ${p.message}\n`,
      );
    const count = (kind: FindingKind) => placed.filter((p) => p.finding.kind === kind).length;
    process.stderr.write(
      `${placed.length} finding${placed.length === 1 ? '' : 's'} (${count('harsh')} harsh, ${count('negative')} negative) in ${checked} checked file${checked === 1 ? '' : 's'}\n`,
    );
  } else if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify(jsonDocument(placed, thresholds, models, checked, skipped, errors), null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${JSON.stringify(sarifLog(placed, errors), null, 2)}\n`);
  }
  if (errors.length > 0) return EXIT_CHECK_BAD_INPUT;
  return placed.length > 0 ? EXIT_FINDINGS : 0;
}

function outputFormat(json: boolean | undefined, format: string | undefined): OutputFormat {
  if (format !== undefined && !['text', 'json', 'sarif'].includes(format))
    throw new CliError(`--format must be text, json or sarif (got "${format}")`, EXIT_USAGE);
  if (json && format !== undefined && format !== 'json')
    throw new CliError(`--json contradicts --format ${format}`, EXIT_USAGE);
  return json ? 'json' : ((format ?? 'text') as OutputFormat);
}

function thresholdOption(value: string | undefined, name: string): number | undefined {
  const parsed = numberOption(value, name);
  if (parsed !== undefined && !(parsed > 0 && parsed <= 1))
    throw new CliError(`--${name} must be in (0, 1] (got ${value})`, EXIT_USAGE);
  return parsed;
}

/** A model folder (default: the bundled one of the kind) ready to check; bad input when it cannot be loaded or lacks the kind's class. */
async function loadCheckModel(
  kind: FindingKind,
  dir: string | undefined,
  helperScript: string,
): Promise<CheckModel & { dir: string }> {
  const folder = dir ?? bundledModelDir(CHECK_DEFAULTS[kind].model);
  const flag = kind === 'harsh' ? '--harsh-model' : '--tone-model';
  let model;
  try {
    model = await loadClassifierModel(folder);
  } catch (error) {
    throw new CliError(`${flag} ${folder}: ${(error as Error).message}`, EXIT_CHECK_BAD_INPUT);
  }
  const label = FINDING_KIND_INFO[kind].labelOf(model.labels);
  if (!label) {
    const wanted = kind === 'harsh' ? 'class named "harsh"' : 'negative class';
    throw new CliError(
      `${flag} ${folder}: the model has no ${wanted} (labels: ${model.labels.join(', ')})`,
      EXIT_CHECK_BAD_INPUT,
    );
  }
  return { classifier: new Classifier(model, { helperScript }), label, dir: folder };
}

/**
 * Checks that `file` can be read (a missing file or a folder is an error even before its language
 * is known) and returns a reader of its text: a regular file of at most MAX_FILE_BYTES (core
 * readRegularFile: no FIFO, device or folder), as UTF-8 with the BOM dropped. Throws a short message.
 */
async function openRegularFile(file: string): Promise<() => Promise<string>> {
  try {
    const stat = await fs.promises.stat(file);
    if (stat.isDirectory())
      throw new FileRefusedError(file, 'not-regular', 'it is a folder (give files, e.g. with a shell glob)');
  } catch (error) {
    throw new Error(fileErrorReason(error));
  }
  return async () => {
    try {
      return decode(await readRegularFile(file, MAX_FILE_BYTES));
    } catch (error) {
      throw new Error(fileErrorReason(error));
    }
  };
}

/** A file error in a few words, without the file name (the caller prints it). */
function fileErrorReason(error: unknown): string {
  if (error instanceof FileRefusedError) return error.reason;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_FILE_BYTES) throw new Error(`the input is over the ${formatBytes(MAX_FILE_BYTES)} limit`);
    chunks.push(chunk as Buffer);
  }
  return decode(Buffer.concat(chunks));
}

function decode(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The --json document: every finding with its position, probability and words, plus what was checked. */
function jsonDocument(
  placed: readonly PlacedFinding[],
  thresholds: Readonly<Record<FindingKind, number>>,
  models: Readonly<Record<FindingKind, CheckModel & { dir: string }>>,
  checked: number,
  skipped: readonly FileProblem[],
  errors: readonly FileProblem[],
) {
  return {
    version: 1,
    thresholds,
    models: Object.fromEntries(
      FINDING_KINDS.map((kind) => [kind, { dir: models[kind].dir, label: models[kind].label }]),
    ),
    checkedFiles: checked,
    findings: placed.map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      endLine: p.endLine,
      endColumn: p.endColumn,
      severity: p.severity,
      kind: p.finding.kind,
      ruleId: FINDING_KIND_INFO[p.finding.kind].code,
      probability: p.finding.probability,
      threshold: p.finding.threshold,
      message: p.message,
      sentence: p.finding.sentence.text,
      words: p.finding.contributors.map((c) => ({ word: c.word, increase: c.increase })),
    })),
    skipped,
    errors,
  };
}

const SARIF_LEVELS: Readonly<Record<SeverityName, string>> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};
const SARIF_RULE_NAMES: Readonly<Record<FindingKind, string>> = {
  harsh: 'HarshComment',
  negative: 'NegativeToneComment',
};

/** A file name as a SARIF artifact URI: relative paths stay relative (normalised, forward slashes, percent-encoded), absolute ones become file: URLs. */
function artifactUri(file: string): string {
  if (file === STDIN_NAME) return 'stdin';
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return path.normalize(file).split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
}

/** A SARIF 2.1.0 log with one run: the rules (one per kind) and one result per finding. */
function sarifLog(placed: readonly PlacedFinding[], errors: readonly FileProblem[]) {
  const rules = FINDING_KINDS.map((kind) => ({
    id: FINDING_KIND_INFO[kind].code,
    name: SARIF_RULE_NAMES[kind],
    shortDescription: { text: FINDING_KIND_INFO[kind].description },
    defaultConfiguration: { level: SARIF_LEVELS[CHECK_DEFAULTS[kind].severity] },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'sentiment-lens', version: manifest.version, rules } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((e) => ({
              level: 'error',
              message: { text: `${e.file}: ${e.reason}` },
            })),
          },
        ],
        results: placed.map((p) => ({
          ruleId: FINDING_KIND_INFO[p.finding.kind].code,
          ruleIndex: FINDING_KINDS.indexOf(p.finding.kind),
          level: SARIF_LEVELS[p.severity],
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(p.file) },
                region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
              },
            },
          ],
          properties: {
            probability: p.finding.probability,
            threshold: p.finding.threshold,
            sentence: p.finding.sentence.text,
            words: p.finding.contributors.map((c) => c.word),
          },
        })),
      },
    ],
  };
}
