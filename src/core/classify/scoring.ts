/**
 * From a classifier's probabilities to what the editor shows: one signed score per word on a
 * diverging scale (negative ... neutral ... positive), each word's change of score, colour buckets,
 * and the words that pushed a text most towards the negative class. Pure functions, no VS Code.
 */
import { labelTone } from '../../protocol/labelTones';
import type { Classification, LabelProbabilities, TokenTrajectoryPoint } from './classifier';

/**
 * How a model's probabilities become one signed score in [-1, 1] (0 = neutral):
 * - 'polarity': the labels include a positive and a negative class; score = P(positive) - P(negative)
 *   (for a binary model that is 2·P(positive) - 1, so P(positive) = (score + 1) / 2).
 * - 'confidence': no such pair; score = how far P(label) of the text's predicted label rises above
 *   chance (1/C), scaled to [-1, 1]: 0 at chance, 1 at certainty, -1 when that label has probability 0.
 */
export type ScoreAxis =
  | { readonly kind: 'polarity'; readonly positive: string; readonly negative: string }
  | { readonly kind: 'confidence'; readonly label: string; readonly classes: number };

/** The label that means "negative" among a model's labels, if any ('negative', 'neg', 'bad', 'harsh'...). */
export function negativeLabelOf(labels: readonly string[]): string | undefined {
  return labels.find((label) => labelTone(label) === 'negative');
}

/** The label that means "positive" among a model's labels, if any. */
export function positiveLabelOf(labels: readonly string[]): string | undefined {
  return labels.find((label) => labelTone(label) === 'positive');
}

/**
 * The score axis for a model's labels; `predicted` is the text's final label, used only when the
 * labels have no positive/negative pair.
 */
export function scoreAxisFor(labels: readonly string[], predicted: string): ScoreAxis {
  const positive = positiveLabelOf(labels);
  const negative = negativeLabelOf(labels);
  if (positive && negative) return { kind: 'polarity', positive, negative };
  return { kind: 'confidence', label: predicted, classes: Math.max(labels.length, 2) };
}

/** The signed score in [-1, 1] of one set of probabilities on an axis. */
export function signedScore(probabilities: LabelProbabilities, axis: ScoreAxis): number {
  if (axis.kind === 'polarity') {
    return clamp((probabilities[axis.positive] ?? 0) - (probabilities[axis.negative] ?? 0), -1, 1);
  }
  const chance = 1 / axis.classes;
  const p = probabilities[axis.label] ?? 0;
  return clamp(p >= chance ? (p - chance) / (1 - chance) : (p - chance) / chance, -1, 1);
}

/** A short description of what a score means, for hovers ("P(positive) − P(negative)"). */
export function describeAxis(axis: ScoreAxis): string {
  return axis.kind === 'polarity'
    ? `P(${axis.positive}) − P(${axis.negative})`
    : `confidence in "${axis.label}" above chance`;
}

/** One word of a text with its score after reading it and its change from the previous word. */
export interface WordScore {
  /** Index of the token in the classification's `tokens`. */
  readonly index: number;
  /** Signed score in [-1, 1] after this word. */
  readonly score: number;
  /** score minus the score before this word (the first word is compared with the model's prior). */
  readonly change: number;
}

/**
 * The per-word scores of a classification: its trajectory on a score axis and each word's change.
 * @param classification the result of Classifier.classify for one text.
 * @param axis the axis to score on (see scoreAxisFor).
 * @param prior probabilities of the empty text (the model's zero state); the first word's change is
 *   measured from it. Without it, from neutral (0).
 */
export function wordScores(classification: Classification, axis: ScoreAxis, prior?: LabelProbabilities): WordScore[] {
  let previous = prior ? signedScore(prior, axis) : 0;
  return classification.tokens.map((token, index) => {
    const score = signedScore(token.probabilities, axis);
    const change = score - previous;
    previous = score;
    return { index, score, change };
  });
}

/** What the colour encodes: the running score after each word, or each word's change of score. */
export type ColourMode = 'trajectory' | 'contribution';

/** Number of colour buckets: 3 negative, neutral, 3 positive. */
export const BUCKET_COUNT = 7;
/** Index of the neutral bucket. */
export const NEUTRAL_BUCKET = 3;

/**
 * Bucket edges (absolute value) per mode: a value whose magnitude is below the first edge is
 * neutral; at or above the last, the strongest colour. Trajectory scores live in [-1, 1]
 * (0.2 ≈ P(positive) 0.6 for a binary model); changes are usually small, so their edges are finer.
 */
export const BUCKET_EDGES: Readonly<Record<ColourMode, readonly number[]>> = Object.freeze({
  trajectory: Object.freeze([0.2, 0.5, 0.8]),
  contribution: Object.freeze([0.05, 0.15, 0.3]),
});

/**
 * The colour bucket of a value: 0 (strongly negative) ... NEUTRAL_BUCKET ... BUCKET_COUNT - 1
 * (strongly positive). NaN is neutral.
 */
export function colourBucket(value: number, mode: ColourMode): number {
  if (!Number.isFinite(value)) return NEUTRAL_BUCKET;
  const edges = BUCKET_EDGES[mode];
  let strength = 0;
  while (strength < edges.length && Math.abs(value) >= edges[strength]) strength++;
  return value < 0 ? NEUTRAL_BUCKET - strength : NEUTRAL_BUCKET + strength;
}

/** Tokens that are words (not punctuation such as "," or "!"). */
const WORDLIKE = /[\p{L}\p{N}]/u;

/** A word that raised a text's negative probability, and by how much. */
export interface NegativeContributor {
  readonly index: number;
  readonly token: TokenTrajectoryPoint;
  /** Increase of P(negative) when the model read this word. */
  readonly increase: number;
}

/**
 * The words that pushed a text most towards the negative class: the largest increases of
 * P(negativeLabel) along the trajectory, largest first, at most `count`, only positive increases,
 * punctuation left out.
 * The same word text appears once (its largest increase).
 * @param prior probabilities of the empty text; the first word's increase is measured from it.
 */
export function topNegativeContributors(
  classification: Classification,
  negativeLabel: string,
  count = 3,
  prior?: LabelProbabilities,
): NegativeContributor[] {
  let previous = prior?.[negativeLabel] ?? classification.tokens[0]?.probabilities[negativeLabel] ?? 0;
  const increases = classification.tokens.map((token, index) => {
    const p = token.probabilities[negativeLabel] ?? 0;
    const increase = p - previous;
    previous = p;
    return { index, token, increase };
  });
  const seen = new Set<string>();
  return increases
    .filter((c) => c.increase > 0 && WORDLIKE.test(c.token.text))
    .sort((a, b) => b.increase - a.increase || a.index - b.index)
    .filter((c) => (seen.has(c.token.text) ? false : (seen.add(c.token.text), true)))
    .slice(0, count);
}

/** A Unicode sparkline (▁▂▃▄▅▆▇█) of scores in [-1, 1]. */
export function sparkline(scores: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  return scores.map((s) => bars[Math.round(((clamp(s, -1, 1) + 1) / 2) * (bars.length - 1))]).join('');
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
