/**
 * Training settings of the two review-comment models, shared by their bundled recipes
 * (scripts/trainBundled.ts) and their cross-validation (scripts/reviewSignalsCv.ts), so the figures
 * in the model cards are those of the settings that built the models.
 */
import type { TrainingOptions } from '../src/core/training';

/** What both models share: the developer tokenizer, a GRU over a 100-d embedding started from GloVe, final-step supervision. */
const REVIEW_COMMON: Partial<TrainingOptions> = {
  cell: 'gru', units: 128, layers: 1, embeddingDim: 100, dropout: 0.5, batchSize: 32, learningRate: 1e-3,
  validationSplit: 0.1, seed: 42, minCount: 2, maxVocabulary: 20000, tokenizer: { kind: 'developer', lowercase: true },
  // GloVe starts the embedding; skip-gram under GloVe changed nothing measurable on the movie-review data.
  skipGram: false, vocabularySource: 'training', wordDropout: 0.25, supervision: 'final', weightAveraging: 0,
};

/** The harshness model (harsh / not-harsh). */
export const HARSHNESS_OPTIONS: Partial<TrainingOptions> = { ...REVIEW_COMMON, epochs: 10, patience: 3, maxLength: 80, labels: ['harsh', 'not-harsh'] };

/** The tone model (negative / neutral / positive). */
export const REVIEW_TONE_OPTIONS: Partial<TrainingOptions> = { ...REVIEW_COMMON, epochs: 12, patience: 3, maxLength: 100, labels: ['negative', 'neutral', 'positive'] };
