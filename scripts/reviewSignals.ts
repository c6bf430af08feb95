/**
 * Training settings of the two review-comment models, shared by their bundled recipes
 * (scripts/trainBundled.ts) and their cross-validation (scripts/reviewSignalsCv.ts), so the figures
 * in the model cards are those of the settings that built the models.
 */
import type { TrainingOptions } from '../src/core/training/training';

/** What both models share: the developer tokenizer, a GRU over a 100-d embedding started from GloVe, final-step supervision. */
const REVIEW_COMMON: Partial<TrainingOptions> = {
  cell: 'gru',
  units: 128,
  layers: 1,
  embeddingDim: 100,
  dropout: 0.5,
  batchSize: 32,
  learningRate: 1e-3,
  validationSplit: 0.1,
  seed: 42,
  minCount: 2,
  maxVocabulary: 20000,
  tokenizer: { kind: 'developer', lowercase: true },
  // GloVe starts the embedding; skip-gram under GloVe changed nothing measurable on the movie-review data.
  skipGram: false,
  vocabularySource: 'training',
  wordDropout: 0.25,
  supervision: 'final',
  weightAveraging: 0,
  // Measured on movie reviews only; these models were chosen without them.
  lexiconWeight: 0,
  linguisticExamples: false,
  // One network each: their cross-validation was of single networks.
  ensembleMembers: 1,
};

/** The harshness model (harsh / not-harsh). */
export const HARSHNESS_OPTIONS: Partial<TrainingOptions> = {
  ...REVIEW_COMMON,
  epochs: 10,
  patience: 3,
  maxLength: 80,
  labels: ['harsh', 'not-harsh'],
};

/**
 * The tone model (negative / neutral / positive). Its vocabulary and skip-gram pass also read the
 * unlabelled texts of the harshness sets (REVIEW_TONE_PRETRAINING_SOURCES), so that words of code review,
 * chat and issues that its labelled data lacks still get their GloVe rows.
 */
export const REVIEW_TONE_OPTIONS: Partial<TrainingOptions> = {
  ...REVIEW_COMMON,
  epochs: 12,
  patience: 3,
  maxLength: 100,
  labels: ['negative', 'neutral', 'positive'],
  skipGram: true,
  vocabularySource: 'training+pretraining',
};

/** Settings of the tone variants without unlabelled text: vocabulary from the labelled training part, no skip-gram. */
export const LABELLED_VOCABULARY_ONLY: Partial<TrainingOptions> = { skipGram: false, vocabularySource: 'training' };

/** The devtone sets whose texts (labels unused) the tone model's vocabulary and skip-gram read. */
export const REVIEW_TONE_PRETRAINING_SOURCES: readonly string[] = [
  'gerrit',
  'gitter',
  'github-issues',
  'github-incivility',
];
