/**
 * The command line's flags for training settings, derived from TRAINING_SETTINGS
 * (protocol/trainingSettings.ts) so that a setting is defined once: its flag is its key in kebab
 * case (embeddingDim: --embedding-dim), its value is parsed and checked against its row, and its
 * help is the row's label, help and default. Imports nothing from the rest of the CLI.
 */
import {
  describeAllowed,
  isAllowedSetting,
  TRAINING_SETTINGS,
  type TrainingSettingRow,
  type TrainingSettingValues,
} from '../protocol/trainingSettings';

type SettingKey = keyof TrainingSettingValues;

/** Options of node:util parseArgs. */
type FlagOptions = Record<string, { readonly type: 'string' } | { readonly type: 'boolean' }>;

/**
 * The settings `train` has flags for: every row but vocabularySource, which chooses between the
 * training text and the pretraining texts, and the command line takes no pretraining texts.
 */
export const TRAIN_SETTING_KEYS: readonly SettingKey[] = TRAINING_SETTINGS.map((row) => row.key).filter(
  (key) => key !== 'vocabularySource',
);

/** The settings `prepare` has flags for: those its split, vocabulary and encoding depend on. */
export const PREPARE_SETTING_KEYS: readonly SettingKey[] = [
  'seed',
  'validationSplit',
  'minCount',
  'maxVocabulary',
  'maxLength',
];

/** The flag of a setting, without its dashes: its key in kebab case ("embeddingDim" -> "embedding-dim"). */
export function settingFlag(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The message for a numeric flag whose value is not a number. */
export function notANumber(flag: string, value: string): string {
  return `--${flag} expects a number, got "${value}"`;
}

function rowsOf(keys: readonly SettingKey[]): TrainingSettingRow[] {
  return keys.map((key) => TRAINING_SETTINGS.find((row) => row.key === key)!);
}

/** parseArgs options of the settings' flags: boolean for on/off settings (each with --no-NAME), else string. */
export function settingFlagOptions(keys: readonly SettingKey[]): FlagOptions {
  return Object.fromEntries(
    rowsOf(keys).map((row) => [settingFlag(row.key), { type: row.kind === 'boolean' ? 'boolean' : 'string' }]),
  ) as FlagOptions;
}

/**
 * The settings given on the command line (flags left out are left out), each checked against its
 * row, and one message per bad value naming its flag, e.g. `--units must be a positive integer (got 0)`.
 */
export function settingsFromFlags(
  keys: readonly SettingKey[],
  values: Readonly<Record<string, string | boolean | undefined>>,
): { readonly settings: Partial<TrainingSettingValues>; readonly problems: readonly string[] } {
  const settings: Record<string, string | number | boolean> = {};
  const problems: string[] = [];
  for (const row of rowsOf(keys)) {
    const flag = settingFlag(row.key);
    const given = values[flag];
    if (given === undefined) continue;
    let value: string | number | boolean = given;
    if (row.kind === 'number') {
      value = Number(given);
      if (String(given).trim() === '' || !Number.isFinite(value)) {
        problems.push(notANumber(flag, String(given)));
        continue;
      }
    }
    if (isAllowedSetting(row, value)) settings[row.key] = value;
    else
      problems.push(`--${flag} must be ${describeAllowed(row)} (got ${row.kind === 'choice' ? `"${given}"` : given})`);
  }
  return { settings: settings as Partial<TrainingSettingValues>, problems };
}

/** What a flag takes, as usage shows it: nothing for an on/off setting, the choices, N (integer) or X. */
function valueHint(row: TrainingSettingRow): string {
  if (row.kind === 'boolean') return '';
  if (row.kind === 'choice') return ` ${row.choices.map((choice) => choice.value).join('|')}`;
  return row.integer ? ' N' : ' X';
}

/** The settings' part of a usage synopsis, `[--cell gru|lstm|simple] [--units N] ...`, as lines of at most `width` characters after `indent`. */
export function settingsSynopsis(keys: readonly SettingKey[], indent: string, width = 96): string[] {
  const words = rowsOf(keys).map((row) => `[--${settingFlag(row.key)}${valueHint(row)}]`);
  return wrap(words, indent, width);
}

/**
 * One entry per setting for a command's usage: its flag and value, then the row's help and its
 * default, e.g. `--units N   Size of the recurrent state: ... Default 128.`, wrapped to `width`.
 */
export function settingsHelp(keys: readonly SettingKey[], indent: string, width = 100): string[] {
  const rows = rowsOf(keys);
  const heads = rows.map((row) => `--${settingFlag(row.key)}${valueHint(row)}`);
  const column = heads.reduce((widest, head) => Math.max(widest, head.length), 0) + 2;
  return rows.flatMap((row, i) => {
    const byDefault = `Default: ${row.kind === 'boolean' ? (row.default ? 'on' : 'off') : row.default}.`;
    const [first, ...rest] = wrap([...row.help.split(' '), byDefault], '', width - indent.length - column);
    return [
      `${indent}${heads[i].padEnd(column)}${first}`,
      ...rest.map((line) => `${indent}${' '.repeat(column)}${line}`),
    ];
  });
}

/** Words joined by spaces into lines of at most `width` characters (a longer word stands alone), each after `indent`. */
function wrap(words: readonly string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}
