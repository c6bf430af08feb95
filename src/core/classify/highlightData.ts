/**
 * From a text to the data the editor paints: the text split into sentences, each classified on its
 * own, and for every word its range, signed score, change and colour bucket. Pure, no VS Code, so
 * the benchmark can time exactly what the highlight command computes.
 */
import { ChunkOptions, classifyInChunks } from './chunkedClassify';
import type { Classification, Classifier, LabelProbabilities } from './classifier';
import { ColourMode, ScoreAxis, colourBucket, scoreAxisFor, signedScore, wordScores } from './scoring';
import { SentenceRange, splitSentences } from '../text/sentences';

/** One word of a highlighted sentence; offsets [start, end) are in the text given to highlightText. */
export interface HighlightWord {
  readonly start: number;
  readonly end: number;
  /** The token as the model saw it (normalised). */
  readonly token: string;
  /** Signed score in [-1, 1] after this word (see ScoreAxis). */
  readonly score: number;
  /** score minus the score before this word. */
  readonly change: number;
  /** Colour bucket for the mode asked for (0 strongly negative ... 6 strongly positive). */
  readonly bucket: number;
  readonly probabilities: LabelProbabilities;
}

/** One classified sentence; offsets are in the text given to highlightText. */
export interface HighlightSentence {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  /** Probability of `label` after the whole sentence. */
  readonly probability: number;
  /** Signed score of the whole sentence. */
  readonly score: number;
  readonly axis: ScoreAxis;
  readonly words: readonly HighlightWord[];
}

/** Options of highlightText. */
export interface HighlightOptions {
  /** Colour by running score or by each word's change. */
  readonly mode: ColourMode;
  /** Classify the whole text as one unit instead of sentence by sentence (a comment's trajectory). */
  readonly wholeText?: boolean;
}

/** The value a word's colour encodes in a mode. */
export function colourValue(word: Pick<HighlightWord, 'score' | 'change'>, mode: ColourMode): number {
  return mode === 'trajectory' ? word.score : word.change;
}

/**
 * Classifies a text sentence by sentence (core splitSentences) and returns every sentence's words
 * with scores and colour buckets. Sentences without words are left out. Pure and synchronous.
 */
export function highlightText(classifier: Classifier, text: string, options: HighlightOptions): HighlightSentence[] {
  const units = highlightUnits(text, options);
  if (units.length === 0) return [];
  return toSentences(
    classifier,
    units,
    classifier.classifyMany(units.map((u) => text.slice(u.start, u.end))),
    options.mode,
  );
}

/**
 * highlightText for long texts: sentences are classified in chunks with event-loop turns between
 * them (see classifyInChunks). Returns undefined when cancelled.
 */
export async function highlightTextInChunks(
  classifier: Classifier,
  text: string,
  options: HighlightOptions,
  chunks: ChunkOptions = {},
): Promise<{ sentences: HighlightSentence[]; longestBlockMs: number } | undefined> {
  const units = highlightUnits(text, options);
  const result = await classifyInChunks(
    classifier,
    units.map((u) => text.slice(u.start, u.end)),
    chunks,
  );
  if (result.cancelled) return undefined;
  return {
    sentences: toSentences(classifier, units, result.classifications, options.mode),
    longestBlockMs: result.longestBlockMs,
  };
}

function highlightUnits(text: string, options: HighlightOptions): SentenceRange[] {
  if (options.wholeText) return text.trim() ? [{ start: 0, end: text.length }] : [];
  return splitSentences(text);
}

function toSentences(
  classifier: Classifier,
  units: readonly SentenceRange[],
  classifications: readonly Classification[],
  mode: ColourMode,
): HighlightSentence[] {
  const labels = classifier.model.labels;
  const prior: LabelProbabilities = classifier.classify('').probabilities;
  const sentences: HighlightSentence[] = [];
  units.forEach((unit, i) => {
    const classification = classifications[i];
    if (classification.tokens.length === 0) return;
    const axis = scoreAxisFor(labels, classification.label);
    const scores = wordScores(classification, axis, prior);
    sentences.push({
      start: unit.start,
      end: unit.end,
      label: classification.label,
      probability: classification.probabilities[classification.label],
      score: signedScore(classification.probabilities, axis),
      axis,
      words: classification.tokens.map((token, w) => ({
        start: unit.start + token.start,
        end: unit.start + token.end,
        token: token.text,
        score: scores[w].score,
        change: scores[w].change,
        bucket: colourBucket(colourValue(scores[w], mode), mode),
        probabilities: token.probabilities,
      })),
    });
  });
  return sentences;
}
