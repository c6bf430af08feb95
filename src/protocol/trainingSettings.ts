/**
 * The settings of a training run, one row each: key, default, allowed values, and the label and help
 * the training panel shows. Everything else derives from this table: TrainingOptions' type, defaults
 * and range checks (core/training/training.ts), the panel's message guard (panelMessages.ts), the panel's
 * defaults (host) and its form (webview), and the command line's flags with their checks and help
 * (cli/trainingFlags.ts). Imports nothing, so every layer can use it.
 *
 * To add a setting, add a row to TRAINING_SETTINGS (a run option) or PANEL_ONLY_SETTINGS (a choice of
 * the panel that is not a TrainingOptions field); `panel: true` shows a run option in the panel.
 */

/** A number. Bounds: `min`/`max` inclusive, `above`/`below` exclusive; `integer` requires a whole number. */
export interface NumberSettingRow {
  readonly key: string;
  readonly kind: 'number';
  readonly default: number;
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly above?: number;
  readonly below?: number;
  /** Step of the panel's number field (1 for integers when omitted). */
  readonly step?: number;
  readonly label: string;
  readonly help: string;
  readonly panel?: boolean;
}

/** On or off. */
export interface BooleanSettingRow {
  readonly key: string;
  readonly kind: 'boolean';
  readonly default: boolean;
  readonly label: string;
  readonly help: string;
  readonly panel?: boolean;
}

/** One of a few strings, each with the name the panel shows. */
export interface ChoiceSettingRow {
  readonly key: string;
  readonly kind: 'choice';
  readonly default: string;
  readonly choices: readonly { readonly value: string; readonly label: string }[];
  readonly label: string;
  readonly help: string;
  readonly panel?: boolean;
}

export type TrainingSettingRow = NumberSettingRow | BooleanSettingRow | ChoiceSettingRow;

/**
 * Every TrainingOptions field that has a default (the rest: tokenizer, labels, pretrainingTexts,
 * threads). The defaults are the bundled movie-review model's settings, chosen on its validation
 * split (see its model card). The panel shows the rows with `panel: true`, in this order.
 */
export const TRAINING_SETTINGS = [
  {
    key: 'cell',
    kind: 'choice',
    default: 'gru',
    panel: true,
    choices: [
      { value: 'gru', label: 'GRU' },
      { value: 'lstm', label: 'LSTM' },
      { value: 'simple', label: 'Simple RNN' },
    ],
    label: 'Cell',
    help: 'Recurrent cell: GRU (fast, accurate), LSTM (more gates) or a simple RNN.',
  },
  {
    key: 'units',
    kind: 'number',
    integer: true,
    min: 1,
    default: 128,
    panel: true,
    label: 'Units',
    help: 'Size of the recurrent state: more units learn more and train slower.',
  },
  {
    key: 'layers',
    kind: 'number',
    integer: true,
    min: 1,
    default: 1,
    panel: true,
    label: 'Layers',
    help: 'Stacked recurrent layers; one is usually enough for sentences.',
  },
  {
    key: 'embeddingDim',
    kind: 'number',
    integer: true,
    min: 1,
    default: 100,
    panel: true,
    label: 'Embedding size',
    help: 'Length of each word vector.',
  },
  {
    key: 'dropout',
    kind: 'number',
    min: 0,
    below: 1,
    step: 0.05,
    default: 0.5,
    panel: true,
    label: 'Dropout',
    help: 'Share of values dropped while training, against overfitting.',
  },
  {
    key: 'epochs',
    kind: 'number',
    integer: true,
    min: 1,
    default: 16,
    panel: true,
    label: 'Epochs',
    help: 'Passes over the training data; stops early when validation accuracy stalls.',
  },
  {
    key: 'batchSize',
    kind: 'number',
    integer: true,
    min: 1,
    default: 64,
    panel: true,
    label: 'Batch size',
    help: 'Sentences per gradient step.',
  },
  {
    key: 'learningRate',
    kind: 'number',
    above: 0,
    step: 0.0001,
    default: 1e-3,
    panel: true,
    label: 'Learning rate',
    help: 'Step size of the Adam optimiser.',
  },
  {
    key: 'clipNorm',
    kind: 'number',
    above: 0,
    default: 5,
    label: 'Clip norm',
    help: 'Largest norm of the gradient; longer gradients are scaled down to it.',
  },
  {
    key: 'maxLength',
    kind: 'number',
    integer: true,
    min: 1,
    default: 60,
    panel: true,
    label: 'Max length',
    help: 'Tokens kept per sentence; longer ones are cut.',
  },
  {
    key: 'validationSplit',
    kind: 'number',
    min: 0,
    below: 1,
    step: 0.05,
    default: 0.1,
    panel: true,
    label: 'Validation share',
    help: 'Share of each class held out to measure accuracy and pick the best epoch (0: none, no early stopping, metrics on the training data).',
  },
  {
    key: 'seed',
    kind: 'number',
    integer: true,
    default: 42,
    panel: true,
    label: 'Seed',
    help: 'Makes the split, the initial weights and the shuffling repeatable.',
  },
  {
    key: 'ensembleMembers',
    kind: 'number',
    integer: true,
    min: 1,
    max: 5,
    default: 2,
    panel: true,
    label: 'Ensemble members',
    help: "Networks trained with seeds seed, seed + 1, ... on the same vocabulary and split, saved in one model that averages their probabilities: more accurate, but each member adds one network's training time, size and time to classify.",
  },
  {
    key: 'distill',
    kind: 'boolean',
    default: false,
    panel: true,
    label: 'Distil into one network',
    help: "With two or more ensemble members: trains them, then one more network to follow their averaged probabilities after every word (half) and the labels (half), and saves that network alone: one network's size and time to classify, for one more network's training time.",
  },
  {
    key: 'minCount',
    kind: 'number',
    integer: true,
    min: 1,
    default: 2,
    label: 'Min count',
    help: 'Occurrences a word needs in the training text to enter the vocabulary.',
  },
  {
    key: 'maxVocabulary',
    kind: 'number',
    integer: true,
    min: 3,
    default: 20000,
    label: 'Max vocabulary',
    help: 'Most words in the vocabulary (the most frequent are kept), padding and unknown-word ids included.',
  },
  {
    key: 'patience',
    kind: 'number',
    integer: true,
    min: 0,
    default: 2,
    label: 'Patience',
    help: 'Epochs without a better validation accuracy before stopping (0: never stop early).',
  },
  {
    key: 'skipGram',
    kind: 'boolean',
    default: true,
    panel: true,
    label: 'Skip-gram pretraining',
    help: 'Pretrain word vectors on this text first (slower; can help small data).',
  },
  {
    key: 'skipGramEpochs',
    kind: 'number',
    integer: true,
    min: 0,
    default: 5,
    label: 'Skip-gram epochs',
    help: 'Passes of the skip-gram pretraining over its text.',
  },
  {
    key: 'vocabularySource',
    kind: 'choice',
    default: 'training',
    choices: [
      { value: 'training', label: 'Training text' },
      { value: 'training+pretraining', label: 'Training and pretraining texts' },
    ],
    label: 'Vocabulary source',
    help: 'Where the vocabulary comes from: the labelled training part only, or also the pretraining texts, so that words met only there get skip-gram vectors the classifier can use.',
  },
  {
    key: 'weightAveraging',
    kind: 'number',
    min: 0,
    below: 1,
    default: 0.99,
    label: 'Weight averaging',
    help: 'Decay of a moving average of the weights, updated after every batch; validation, early stopping and the saved model use the average (0: off; 0.99: roughly the last hundred batches).',
  },
  {
    key: 'wordDropout',
    kind: 'number',
    min: 0,
    below: 1,
    default: 0.25,
    label: 'Word dropout',
    help: 'Probability that a real token is replaced by the unknown-word id while training (regularisation).',
  },
  {
    key: 'supervision',
    kind: 'choice',
    default: 'every-step',
    choices: [
      { value: 'final', label: 'Last token' },
      { value: 'every-step', label: 'Every token' },
    ],
    label: 'Supervision',
    help: "Where the label supervises the model: at each sentence's last real token (final), or after every real token (every-step), which also makes the trajectory meaningful early.",
  },
  {
    key: 'lexiconWeight',
    kind: 'number',
    min: 0,
    max: 10,
    step: 0.1,
    default: 0.3,
    panel: true,
    label: 'Lexicon weight',
    help: 'Weight of the lexicon terms of the loss (0: off): the word-by-word score stays flat on words a sentiment lexicon (VADER, AFINN-165) does not rate, moves its way on rated words and the other way after "not", and comes back near neutral at "but". Applies only to data with positive and negative labels.',
  },
  {
    key: 'linguisticExamples',
    kind: 'boolean',
    default: true,
    panel: true,
    label: 'Linguistic examples',
    help: 'Adds to each epoch the lexicon\'s strong words alone and negated ("not good": negative), contrasts such as "dull but beautiful" (positive) and training sentences joined by "but", so that the model learns negation and contrast. Only for data with positive and negative labels.',
  },
  {
    key: 'learnedTransforms',
    kind: 'boolean',
    default: false,
    panel: true,
    label: 'Learned negation and intensity',
    help: "Only with lexicon terms (lexicon weight above 0). The lexicon terms begin with VADER's fixed rules: \"not\" turns a rated word's move by -0.74, \"very\" adds 0.293 to its valence. With this on, after every epoch each frequent negator's factor and degree adverb's increment (the rarer ones share one per kind) is fitted to what the network itself does at such words, and the next epoch's lexicon terms use the fitted values; the model's metadata records them. On movie reviews it kept the accuracy but weakened negation, hence off by default.",
  },
] as const satisfies readonly TrainingSettingRow[];

/** Choices of the training panel that are not TrainingOptions fields. */
export const PANEL_ONLY_SETTINGS = [
  {
    // The bundled model's embedding began as GloVe vectors: starting from it adds 4 to 9 points of
    // macro-F1 on Senti4SD (scripts/modelCards/review-tone-variants.md).
    key: 'startFromBundled',
    kind: 'boolean',
    default: true,
    panel: true,
    label: "Start from the bundled model's embeddings",
    help: "Copy the bundled model's vectors (which began as GloVe vectors trained on 6 billion words) of words both vocabularies share; needs the same embedding size. Helps most with small files.",
  },
] as const satisfies readonly TrainingSettingRow[];

type TrainingRow = (typeof TRAINING_SETTINGS)[number];
type PanelRow = Extract<TrainingRow, { readonly panel: true }> | (typeof PANEL_ONLY_SETTINGS)[number];

/** The value type of a row: boolean, number, or the union of its choices. */
type ValueOf<R> = R extends { readonly kind: 'boolean' }
  ? boolean
  : R extends { readonly choices: readonly { readonly value: infer V }[] }
    ? V
    : number;

/** The TrainingOptions fields of the table, with their types. */
export type TrainingSettingValues = { readonly [R in TrainingRow as R['key']]: ValueOf<R> };

/** The settings the panel lets the user choose (the rest of TrainingOptions keeps its defaults). */
export type PanelTrainingSettings = { readonly [R in PanelRow as R['key']]: ValueOf<R> };

/** The rows the panel shows, in the form's order. */
export const PANEL_SETTINGS: readonly PanelRow[] = [
  ...TRAINING_SETTINGS.filter(
    (row): row is Extract<TrainingRow, { readonly panel: true }> => 'panel' in row && row.panel,
  ),
  ...PANEL_ONLY_SETTINGS,
];

function defaultsOf<T>(rows: readonly TrainingSettingRow[]): T {
  return Object.freeze(Object.fromEntries(rows.map((row) => [row.key, row.default]))) as T;
}

/** The defaults of every row of TRAINING_SETTINGS. */
export const TRAINING_SETTING_DEFAULTS: TrainingSettingValues = defaultsOf(TRAINING_SETTINGS);

/** The defaults the panel starts with (and resets to). */
export const PANEL_SETTING_DEFAULTS: PanelTrainingSettings = defaultsOf(PANEL_SETTINGS);

/** Whether `value` has the row's type (a finite number, a boolean, one of the choices); bounds are not checked. */
export function hasSettingType(row: TrainingSettingRow, value: unknown): boolean {
  switch (row.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'choice':
      return row.choices.some((choice) => choice.value === value);
  }
}

/** Whether `value` is allowed by the row: its type and bounds. */
export function isAllowedSetting(row: TrainingSettingRow, value: unknown): boolean {
  if (row.kind !== 'number') return hasSettingType(row, value);
  // Infinity passes open-ended bounds, as it always has; NaN and non-numbers never do.
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  return (
    (!row.integer || Number.isInteger(value)) &&
    (row.min === undefined || value >= row.min) &&
    (row.max === undefined || value <= row.max) &&
    (row.above === undefined || value > row.above) &&
    (row.below === undefined || value < row.below)
  );
}

/** What a row allows, as the end of "X must be ...": "a positive integer", "in [0, 1)", "gru, lstm or simple". */
export function describeAllowed(row: TrainingSettingRow): string {
  if (row.kind === 'boolean') return 'true or false';
  if (row.kind === 'choice') return orList(row.choices.map((choice) => choice.value));
  const { integer, min, max, above, below } = row;
  const lower =
    min !== undefined
      ? { bracket: '[', value: min, words: `>= ${min}` }
      : above !== undefined
        ? { bracket: '(', value: above, words: `> ${above}` }
        : undefined;
  const upper =
    max !== undefined
      ? { bracket: ']', value: max, words: `<= ${max}` }
      : below !== undefined
        ? { bracket: ')', value: below, words: `< ${below}` }
        : undefined;
  if (lower && upper)
    return `${integer ? 'an integer ' : ''}in ${lower.bracket}${lower.value}, ${upper.value}${upper.bracket}`;
  if (integer && !upper && min === 1) return 'a positive integer';
  if (integer && !upper && min === 0) return 'a non-negative integer';
  if (!integer && !upper && above === 0) return 'positive';
  const only = lower ?? upper;
  return integer ? `an integer${only ? ` ${only.words}` : ''}` : only ? only.words : 'a number';
}

/** The setting's name in messages: its key in words ("embeddingDim" -> "embedding dim"). */
export function settingName(row: TrainingSettingRow): string {
  return row.key.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}

/** One message per value of `values` that its row does not allow, e.g. "units must be a positive integer (got 0)". */
export function settingProblems(
  rows: readonly TrainingSettingRow[],
  values: Readonly<Record<string, unknown>>,
): string[] {
  return rows
    .filter((row) => !isAllowedSetting(row, values[row.key]))
    .map((row) => `${settingName(row)} must be ${describeAllowed(row)} (got ${String(values[row.key])})`);
}

function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The run options among the panel's settings (the panel-only choices left out). */
export function runOptionsOf(settings: PanelTrainingSettings): Partial<TrainingSettingValues> {
  const runKeys = new Set<string>(TRAINING_SETTINGS.map((row) => row.key));
  return Object.fromEntries(
    Object.entries(settings).filter(([key]) => runKeys.has(key)),
  ) as Partial<TrainingSettingValues>;
}
