/**
 * Learned negation and intensity transforms for lexicon-regularised training (the `learnedTransforms`
 * training option). Qian et al. (ACL 2017) learn how negators and intensifiers transform the sentiment
 * of the words after them; lexiconTargets.ts fixes them at VADER's values. Here each negator has a
 * factor and each degree adverb an increment, in VADER's terms, starting at VADER's values; after every
 * epoch they are fitted to the network's own score trajectory s_t on the training sentences (no dropout,
 * float kernels), and the next epoch's lexicon targets use them:
 *
 * - a rated word's base move b_w is the network's mean change of the score at the word's plain
 *   occurrences (no negator in scope, no degree adverb just before it);
 * - a negated or intensified rated word's move Δs is the change of the score over the phrase, from
 *   before the negator or degree adverb to after the word: the lexicon gives negators and degree adverbs
 *   no term of their own, so the network may already move at them, and the phrase is what they change;
 * - the factor of a negator is the least-squares slope of Δs at the rated words it negates against
 *   their b_w: a ratio of the network's own moves, so it needs no common scale with the lexicon;
 * - the increment of a degree adverb is the mean of sign(valence) (Δs - b_w) at the rated words just
 *   after it, turned from the network's logits into valence units by the network's scale g, the
 *   least-squares slope of the plain moves against the lexicon's moves (valence / VALENCE_SCALE);
 * - each fit is a ridge fit shrunk toward its prior by PRIOR_OCCURRENCES pseudo-occurrences of average
 *   leverage; a least-squares loss is two-sided, so the fit itself has no pull toward 0, as a hinge on
 *   the move would have (the network it follows can still weaken: see below);
 * - a word with fewer than MIN_OCCURRENCES usable occurrences takes its group's value: the negators, the
 *   amplifiers (VADER +0.293) or the dampeners (VADER -0.293). A group's value is fitted the same way over
 *   all its words' occurrences, shrunk toward VADER's, and is VADER's below MIN_OCCURRENCES; a word's own
 *   fit is shrunk toward its group's value. In a movie-review training part "n't", "not", "no" and "never"
 *   each negate 54-230 rated words, but most degree adverbs come before fewer than 20
 *   (docs/training.md): per word where the data allows it, shared otherwise.
 *
 * Rated words both negated and intensified, and rated words without a base move, are left out of the
 * fits. Every fit starts from VADER's values, not the previous epoch's.
 *
 * Measured on the movie-review data (docs/movie-reviews-cv.md), the accuracy stays the same but the
 * fitted negation follows the network's own, which weakens once the targets follow the fit, and the
 * behavioural negation tests fall: the option is off by default.
 */
import {
  LexiconKind,
  NEGATION_FACTOR,
  NEGATION_SCOPE,
  VALENCE_SCALE,
  vaderTransforms,
  type LexiconTransforms,
  type LexiconWordClasses,
} from './lexiconTargets';
import type { Vocabulary } from '../text/vocabulary';

/** Pseudo-occurrences of each prior (VADER's value for a group, the group's value for a word). */
export const PRIOR_OCCURRENCES = 20;
/** Occurrences a word (or a group) needs for its own fit. */
export const MIN_OCCURRENCES = 20;
/** Plain occurrences a rated word needs for its base move. */
export const MIN_BASE_OCCURRENCES = 2;
/** Smallest network scale g (logits per lexicon logit) at which increments are fitted; below it they stay VADER's. */
export const MIN_SCALE = 0.1;

/** The changes of the score at rated words in the training sentences, as the fit needs them. */
export interface TransformObservations {
  /** Per vocabulary id: sum and number of the score's changes at its plain occurrences (rated ids only). */
  readonly plainSum: Float64Array;
  readonly plainCount: Int32Array;
  /** Each negated (not intensified) rated word: its id, the negator's id, the change of the score from before the negator. */
  readonly negated: readonly ModifiedOccurrence[];
  /** Each intensified (not negated) rated word: its id, the degree adverb's id, the change of the score from before the adverb. */
  readonly boosted: readonly ModifiedOccurrence[];
}

/** A rated word after a negator or a degree adverb, and the change of the score over the phrase. */
export interface ModifiedOccurrence {
  readonly word: number;
  readonly modifier: number;
  readonly move: number;
}

/**
 * What negators and degree adverbs did in the network's trajectory. `scores[i]` holds sentence i's
 * score s before its first token (the dense bias alone) and after each of its tokens, length + 1
 * values; negation scope and clause ends as in lexiconTargets. Inputs are not changed.
 */
export function observeTransforms(
  ids: readonly Int32Array[],
  scores: readonly Float32Array[],
  classes: LexiconWordClasses,
): TransformObservations {
  const { kinds } = classes;
  const plainSum = new Float64Array(kinds.length);
  const plainCount = new Int32Array(kinds.length);
  const negated: ModifiedOccurrence[] = [];
  const boosted: ModifiedOccurrence[] = [];
  ids.forEach((sentence, i) => {
    const s = scores[i];
    forEachRated(sentence, kinds, (t, negator, degree, negatorAt) => {
      const id = sentence[t];
      if (negator >= 0 && degree >= 0) return;
      if (negator >= 0) negated.push({ word: id, modifier: negator, move: s[t + 1] - s[negatorAt] });
      else if (degree >= 0) boosted.push({ word: id, modifier: degree, move: s[t + 1] - s[t - 1] });
      else {
        plainSum[id] += s[t + 1] - s[t];
        plainCount[id]++;
      }
    });
  });
  return { plainSum, plainCount, negated, boosted };
}

/** Sentences with a plain occurrence of a rated word that the fit reads for that word's base move, at most. */
export const BASE_SENTENCES = 20;

/**
 * The sentences the fit reads, as prefixes of the training sentences (a score needs only the tokens up
 * to it), so that it reads a fraction of the training part: every sentence with a rated word after a
 * negator or a degree adverb, up to the last such word; then, for each rated word seen so, sentences
 * with plain occurrences of it until BASE_SENTENCES of the chosen prefixes have one, each up to its last
 * plain occurrence of a word still wanting some. In the training part's order. Inputs are not changed.
 */
export function transformSentences(ids: readonly Int32Array[], classes: LexiconWordClasses): Int32Array[] {
  const { kinds } = classes;
  const prefix = new Int32Array(ids.length);
  const modifiedWords = new Set<number>();
  ids.forEach((sentence, i) => {
    forEachRated(sentence, kinds, (t, negator, degree) => {
      if (negator < 0 && degree < 0) return;
      prefix[i] = t + 1;
      modifiedWords.add(sentence[t]);
    });
  });
  const basesOf = new Map<number, number>();
  const countPlain = (sentence: Int32Array, length: number) => {
    const seen = new Set<number>();
    forEachRated(sentence.subarray(0, length), kinds, (t, negator, degree) => {
      if (negator < 0 && degree < 0) seen.add(sentence[t]);
    });
    for (const word of seen) basesOf.set(word, (basesOf.get(word) ?? 0) + 1);
  };
  ids.forEach((sentence, i) => prefix[i] > 0 && countPlain(sentence, prefix[i]));
  ids.forEach((sentence, i) => {
    if (prefix[i] > 0) return;
    let length = 0;
    forEachRated(sentence, kinds, (t, negator, degree) => {
      const word = sentence[t];
      if (negator < 0 && degree < 0 && modifiedWords.has(word) && (basesOf.get(word) ?? 0) < BASE_SENTENCES)
        length = t + 1;
    });
    if (length === 0) return;
    prefix[i] = length;
    countPlain(sentence, length);
  });
  const out: Int32Array[] = [];
  prefix.forEach((length, i) => length > 0 && out.push(ids[i].subarray(0, length)));
  return out;
}

/**
 * Calls `visit(t, negator, degree, negatorAt)` at each rated word of a sentence, with the id of the
 * negator whose scope it is in, of the degree adverb just before it (-1: none) and the negator's
 * position; scope and clause ends as in lexiconTargets.
 */
function forEachRated(
  sentence: Int32Array,
  kinds: Uint8Array,
  visit: (t: number, negator: number, degree: number, negatorAt: number) => void,
): void {
  let negatedUntil = -1;
  let negator = -1;
  let negatorAt = -1;
  for (let t = 0; t < sentence.length; t++) {
    const kind = kinds[sentence[t]];
    if (kind === LexiconKind.Negator) {
      negatedUntil = t + NEGATION_SCOPE;
      negator = sentence[t];
      negatorAt = t;
    } else if (kind === LexiconKind.ClauseEnd || kind === LexiconKind.Contrast) negatedUntil = -1;
    if (kind !== LexiconKind.Rated) continue;
    const degree = t > 0 && kinds[sentence[t - 1]] === LexiconKind.Degree ? sentence[t - 1] : -1;
    visit(t, t <= negatedUntil ? negator : -1, degree, negatorAt);
  }
}

/**
 * Ridge fit of y ≈ β x shrunk toward `prior` by `priorOccurrences` pseudo-points of the mean x²:
 * (Σ x y + k q prior) / (Σ x² + k q) with q = Σ x² / n; `prior` when there are no points or Σ x² = 0.
 */
export function shrunkSlope(
  x: readonly number[],
  y: readonly number[],
  prior: number,
  priorOccurrences: number,
): number {
  let xx = 0;
  let xy = 0;
  for (let i = 0; i < x.length; i++) {
    xx += x[i] * x[i];
    xy += x[i] * y[i];
  }
  if (x.length === 0 || xx === 0) return prior;
  const pseudo = (priorOccurrences * xx) / x.length;
  return (xy + pseudo * prior) / (xx + pseudo);
}

/** A fitted value and the evidence behind it. */
export interface LearnedTransformEntry {
  /** The negator or degree adverb, or the group's name (negators, amplifiers, dampeners). */
  readonly word: string;
  readonly vader: number;
  readonly learned: number;
  /** Usable occurrences in the training sentences (the value is the group's below MIN_OCCURRENCES). */
  readonly occurrences: number;
}

/** One fit's values, for metadata and reports. */
export interface LearnedTransformsRecord {
  /** The network's scale g: logits it moves per logit of the lexicon's expected move, at plain rated words. */
  readonly scale: number;
  readonly groups: readonly LearnedTransformEntry[];
  /** Negators of the vocabulary seen before a rated word, most occurrences first. */
  readonly negators: readonly LearnedTransformEntry[];
  /** Degree adverbs of the vocabulary seen before a rated word, most occurrences first. */
  readonly degreeAdverbs: readonly LearnedTransformEntry[];
}

/** One fit: the transforms the next epoch's targets use, and its record. */
export interface FittedTransforms {
  readonly transforms: LexiconTransforms;
  readonly record: LearnedTransformsRecord;
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;

/**
 * Fits each negator's factor and each degree adverb's increment to the observations (see the module
 * comment): per word with MIN_OCCURRENCES usable occurrences, else its group's value. Deterministic:
 * sums in the observations' order. Inputs are not changed.
 */
export function fitTransforms(
  observations: TransformObservations,
  classes: LexiconWordClasses,
  vocabulary: Vocabulary,
): FittedTransforms {
  const { kinds, values } = classes;
  const { plainSum, plainCount } = observations;
  const transforms = vaderTransforms(classes);
  const base = (word: number) => (plainCount[word] >= MIN_BASE_OCCURRENCES ? plainSum[word] / plainCount[word] : NaN);
  // The network's scale: least-squares slope of its plain moves on the lexicon's moves, over occurrences.
  let xy = 0;
  let xx = 0;
  for (let id = 0; id < kinds.length; id++) {
    if (kinds[id] !== LexiconKind.Rated || plainCount[id] === 0) continue;
    const m = values[id] / VALENCE_SCALE;
    xy += plainSum[id] * m;
    xx += plainCount[id] * m * m;
  }
  const scale = xx > 0 ? xy / xx : 0;

  /** Groups of words sharing a value where a word's own evidence is thin. */
  interface Points {
    x: number[];
    y: number[];
  }
  const pointsOf = new Map<number, Points>();
  const add = (modifier: number, x: number, y: number) => {
    const points = pointsOf.get(modifier) ?? { x: [], y: [] };
    points.x.push(x);
    points.y.push(y);
    pointsOf.set(modifier, points);
  };
  for (const { word, modifier, move } of observations.negated) {
    const b = base(word);
    if (!Number.isNaN(b)) add(modifier, b, move);
  }
  const fitIncrements = scale >= MIN_SCALE;
  if (fitIncrements) {
    for (const { word, modifier, move } of observations.boosted) {
      const b = base(word);
      // In valence units: the change beyond the base move, the valence's way, over the network's scale.
      if (!Number.isNaN(b)) add(modifier, 1, (Math.sign(values[word]) * (move - b) * VALENCE_SCALE) / scale);
    }
  }

  const groups: { name: string; vader: number; members: (id: number) => boolean; apply: Float32Array }[] = [
    {
      name: 'negators',
      vader: NEGATION_FACTOR,
      members: (id) => kinds[id] === LexiconKind.Negator,
      apply: transforms.negationFactors,
    },
    {
      name: 'amplifiers',
      vader: 0.293,
      members: (id) => kinds[id] === LexiconKind.Degree && values[id] > 0,
      apply: transforms.increments,
    },
    {
      name: 'dampeners',
      vader: -0.293,
      members: (id) => kinds[id] === LexiconKind.Degree && values[id] < 0,
      apply: transforms.increments,
    },
  ];
  const groupEntries: LearnedTransformEntry[] = [];
  const wordEntries = new Map<string, LearnedTransformEntry[]>([
    ['negators', []],
    ['amplifiers', []],
    ['dampeners', []],
  ]);
  for (const group of groups) {
    const ids: number[] = [];
    for (let id = 0; id < kinds.length; id++) if (group.members(id)) ids.push(id);
    const all: Points = { x: [], y: [] };
    for (const id of ids) {
      const points = pointsOf.get(id);
      if (points) {
        for (let k = 0; k < points.x.length; k++) {
          all.x.push(points.x[k]);
          all.y.push(points.y[k]);
        }
      }
    }
    const groupValue =
      all.x.length >= MIN_OCCURRENCES ? shrunkSlope(all.x, all.y, group.vader, PRIOR_OCCURRENCES) : group.vader;
    groupEntries.push({ word: group.name, vader: group.vader, learned: round(groupValue), occurrences: all.x.length });
    for (const id of ids) {
      const points = pointsOf.get(id) ?? { x: [], y: [] };
      const own = points.x.length >= MIN_OCCURRENCES;
      const learned = own ? shrunkSlope(points.x, points.y, groupValue, PRIOR_OCCURRENCES) : groupValue;
      // Increments stay VADER's while the network's scale is too small to convert them.
      if (group.name === 'negators' || fitIncrements) group.apply[id] = learned;
      if (points.x.length > 0)
        wordEntries.get(group.name)!.push({
          word: vocabulary.tokens[id],
          vader: group.name === 'negators' ? NEGATION_FACTOR : values[id],
          learned: round(group.apply[id]),
          occurrences: points.x.length,
        });
    }
  }
  const byOccurrences = (entries: LearnedTransformEntry[]) =>
    entries.sort((a, b) => b.occurrences - a.occurrences || (a.word < b.word ? -1 : 1));
  return {
    transforms,
    record: {
      scale: round(scale),
      groups: groupEntries,
      negators: byOccurrences(wordEntries.get('negators')!),
      degreeAdverbs: byOccurrences([...wordEntries.get('amplifiers')!, ...wordEntries.get('dampeners')!]),
    },
  };
}
