/**
 * Three-class tone labels from the lexicon libraries people use today, and from a two-class
 * (positive / negative) model, for scripts/compare.ts. Dev-only: `sentiment` and `vader-sentiment`
 * are dev dependencies, so nothing under src/ may import this file.
 *
 * Mappings (the libraries' own conventions):
 * - VADER: compound >= 0.05 positive, <= -0.05 negative, otherwise neutral (Hutto & Gilbert 2014,
 *   and the vaderSentiment README).
 * - AFINN (`sentiment`): comparative score (sum of word scores / number of tokens) > 0 positive,
 *   < 0 negative, exactly 0 neutral.
 * - A two-class model: neutral when P(positive) lies within `halfWidth` of 0.5, else the likelier class.
 */

/** The three tone classes of Senti4SD. */
export type ToneLabel = 'negative' | 'neutral' | 'positive';

/** The three tone classes in the order the review-tone model uses (sorted). */
export const TONE_LABELS: readonly ToneLabel[] = ['negative', 'neutral', 'positive'];

/** VADER's standard threshold on the compound score. */
export const VADER_THRESHOLD = 0.05;

/** VADER's compound score in [-1, 1] to a tone class (>= 0.05 positive, <= -0.05 negative). */
export function vaderLabel(compound: number): ToneLabel {
  if (compound >= VADER_THRESHOLD) return 'positive';
  if (compound <= -VADER_THRESHOLD) return 'negative';
  return 'neutral';
}

/** AFINN's comparative score to a tone class (> 0 positive, < 0 negative, 0 neutral). */
export function afinnLabel(comparative: number): ToneLabel {
  if (comparative > 0) return 'positive';
  if (comparative < 0) return 'negative';
  return 'neutral';
}

/** A two-class model's P(positive) to a tone class: neutral within `halfWidth` of 0.5 (inclusive). */
export function bandLabel(positiveProbability: number, halfWidth: number): ToneLabel {
  if (Math.abs(positiveProbability - 0.5) <= halfWidth) return 'neutral';
  return positiveProbability > 0.5 ? 'positive' : 'negative';
}

interface VaderModule {
  SentimentIntensityAnalyzer: {
    polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
  };
}
type AfinnAnalyzer = { analyze(text: string): { score: number; comparative: number } };

/** Labels texts with VADER (vader-sentiment, the JavaScript port of vaderSentiment). */
export function vaderLabels(texts: readonly string[]): ToneLabel[] {
  const vader = require('vader-sentiment') as VaderModule;
  return texts.map((text) => vaderLabel(vader.SentimentIntensityAnalyzer.polarity_scores(text).compound));
}

/** Labels texts with AFINN-165 (the `sentiment` package, English, default options). */
export function afinnLabels(texts: readonly string[]): ToneLabel[] {
  const Sentiment = require('sentiment') as new () => AfinnAnalyzer;
  const analyzer = new Sentiment();
  return texts.map((text) => afinnLabel(analyzer.analyze(text).comparative));
}
