/**
 * Padding and batching of id sequences. Padding is id 0 and always follows the real tokens;
 * every batch carries its sentences' true lengths.
 */

/** A padded batch: ids [batchSize, timeSteps] row-major int32, true lengths [batchSize]. */
export interface Batch {
  readonly ids: Int32Array;
  readonly lengths: Int32Array;
  readonly batchSize: number;
  readonly timeSteps: number;
  /** Class index per sentence [batchSize], when training or evaluating. */
  readonly labels?: Int32Array;
  /** Optional per-token class index [batchSize, timeSteps]; -1 (and every padding step) contributes no loss. */
  readonly stepLabels?: Int32Array;
  /**
   * Optional target distribution of each sentence [batchSize, numClasses] (distillation): the
   * cross-entropy at each of the sentence's loss positions is taken against it instead of its label's
   * one-hot. The labels still count the correct predictions.
   */
  readonly softTargets?: Float32Array;
  /**
   * Optional target distribution of each step [batchSize, timeSteps, numClasses] (distillation under
   * every-step supervision): the cross-entropy at each labelled step (stepLabels >= 0) is taken against
   * that step's row instead of its label's one-hot; other steps' rows are ignored. Needs stepLabels, and
   * excludes softTargets. The step labels still count the correct predictions.
   */
  readonly stepSoftTargets?: Float32Array;
  /** Optional lexicon terms of the loss (lexicon-regularised training; see core/lexicon/lexiconTargets.ts). */
  readonly lexicon?: LexiconTargets;
}

/**
 * What a token's sentiment score is expected to do, for the lexicon terms of the loss:
 * None: no term (padding, unknown words, negators, degree adverbs); Neutral: a word the lexicon does
 * not rate, the score should not move by more than neutralMargin; Rated: the score should move at least
 * by the token's expected move, in its direction; Contrast ("but"): the score should come back within
 * contrastMargin of 0.
 */
export const LexiconRole = Object.freeze({ None: 0, Neutral: 1, Rated: 2, Contrast: 3 } as const);

/**
 * The lexicon terms of a batch's loss. The score of a step is s = logit[positiveClass] -
 * logit[negativeClass] after that token (before the first token: the dense bias alone); the terms are
 * hinge losses on s and its change at each token, weighted by `weight` and divided like the cross-entropy.
 */
export interface LexiconTargets {
  /** [batchSize, timeSteps] uint8: a {@link LexiconRole} per token. */
  readonly roles: Uint8Array;
  /** [batchSize, timeSteps] float32: the expected signed move of the score at Rated tokens (logits), 0 elsewhere. */
  readonly moves: Float32Array;
  readonly weight: number;
  readonly neutralMargin: number;
  readonly contrastMargin: number;
  readonly positiveClass: number;
  readonly negativeClass: number;
}

/**
 * Pads sequences to the longest one (at most `maxLength`; longer sequences are cut to their
 * first `maxLength` ids). An empty sequence keeps length 0. Inputs are not changed.
 */
export function padBatch(sequences: readonly Int32Array[], maxLength = Infinity, labels?: readonly number[]): Batch {
  const lengths = new Int32Array(sequences.length);
  let timeSteps = 0;
  sequences.forEach((seq, i) => {
    lengths[i] = Math.min(seq.length, maxLength);
    timeSteps = Math.max(timeSteps, lengths[i]);
  });
  timeSteps = Math.max(timeSteps, 1);
  const ids = new Int32Array(sequences.length * timeSteps);
  sequences.forEach((seq, i) => ids.set(seq.subarray(0, lengths[i]), i * timeSteps));
  return {
    ids,
    lengths,
    batchSize: sequences.length,
    timeSteps,
    ...(labels ? { labels: Int32Array.from(labels) } : {}),
  };
}
