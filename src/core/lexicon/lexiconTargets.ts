/**
 * Lexicon-regularised training, after Qian et al. (ACL 2017, "Linguistically Regularized LSTM for
 * Sentiment Classification"), for a model read left to right: besides the cross-entropy, the loss asks
 * the trajectory to behave the way a sentiment lexicon says it should, token by token. With the score
 * s_t = logit(positive) - logit(negative) after token t (s before the first token: the dense bias):
 *
 * - a word the lexicon does not rate should not move the score much: max(0, |s_t - s_{t-1}| - NEUTRAL_MARGIN);
 * - a rated word should move it its way: max(0, |m| - sign(m) (s_t - s_{t-1})), where m is the word's
 *   valence (VADER's -4 .. 4 scale) / VALENCE_SCALE logits, a degree adverb just before it adding
 *   VADER's ±0.293 to the valence's size, and a negator among the three tokens before it (in the same
 *   clause) multiplying it by VADER's N_SCALAR, -0.74: "not good" should move down at "good";
 * - a contrast word ("but") should bring the score back near 0, so that what follows decides:
 *   max(0, |s_t| - CONTRAST_MARGIN);
 * - negators, degree adverbs, unknown words and words replaced by word dropout have no term.
 *
 * With the `learnedTransforms` training option the negation factor of each negator and the increment of
 * each degree adverb are VADER's only to begin with: after every epoch they are fitted to what the
 * network does at negated and intensified words (learnedTransforms.ts), and the next epoch's targets
 * use the fitted values (LexiconSettings.transforms).
 *
 * The word lists (sentimentLexicon.json) come from VADER and AFINN-165 (scripts/buildLexicon.ts);
 * the terms and their gradients are computed by the engine (engine/network.ts, addLexiconTerms).
 */
import { LexiconRole, type Batch, type LexiconTargets } from '../model/batching';
import { negativeLabelOf, positiveLabelOf } from '../classify/scoring';
import { OOV_ID, PAD_ID, type Vocabulary } from '../text/vocabulary';
import lexicon from './sentimentLexicon.json';

/** Changes of the score (logits) a neutral word may make without cost. */
export const NEUTRAL_MARGIN = 0.5;
/** How close to 0 (logits) the score should be after a contrast word. */
export const CONTRAST_MARGIN = 1;
/** Valence units (VADER's scale) per logit of expected move. */
export const VALENCE_SCALE = 2;
/** VADER's factor of a negated word's valence. */
export const NEGATION_FACTOR = -0.74;
/** Tokens after a negator that it negates (VADER looks three words back). */
export const NEGATION_SCOPE = 3;

/** How the lexicon sees a word: the values of LexiconWordClasses.kinds. */
export const LexiconKind = Object.freeze({
  None: 0,
  Plain: 1,
  Rated: 2,
  Contrast: 3,
  Negator: 4,
  Degree: 5,
  ClauseEnd: 6,
} as const);
const Kind = LexiconKind;
const CLAUSE_ENDS = new Set([',', ';', ':', '.', '!', '?', '--', '(', ')']);

/** How the lexicon sees each word of a vocabulary, indexed by id. */
export interface LexiconWordClasses {
  /** Internal kind of each id (plain, rated, contrast, negator, degree adverb, clause end). */
  readonly kinds: Uint8Array;
  /** Valence of rated ids (VADER scale), the increment of degree adverbs, 0 otherwise. */
  readonly values: Float32Array;
  /** Number of vocabulary words the lexicon rates. */
  readonly rated: number;
}

/** The lexicon's view of a vocabulary's words (lower-cased lookups). */
export function lexiconWordClasses(vocabulary: Vocabulary): LexiconWordClasses {
  const valence = lexicon.valence as Record<string, number>;
  const boosters = lexicon.boosters as Record<string, number>;
  const negators = new Set(lexicon.negators);
  const contrast = new Set(lexicon.contrast);
  const kinds = new Uint8Array(vocabulary.size);
  const values = new Float32Array(vocabulary.size);
  let rated = 0;
  vocabulary.tokens.forEach((token, id) => {
    if (id === PAD_ID || id === OOV_ID) return;
    const word = token.toLowerCase();
    if (negators.has(word)) kinds[id] = Kind.Negator;
    else if (contrast.has(word)) kinds[id] = Kind.Contrast;
    else if (Object.hasOwn(boosters, word)) {
      kinds[id] = Kind.Degree;
      values[id] = boosters[word];
    } else if (Object.hasOwn(valence, word)) {
      kinds[id] = Kind.Rated;
      values[id] = valence[word];
      rated++;
    } else kinds[id] = CLAUSE_ENDS.has(word) ? Kind.ClauseEnd : Kind.Plain;
  });
  return { kinds, values, rated };
}

/** Settings of the lexicon terms for one model. */
export interface LexiconSettings {
  readonly classes: LexiconWordClasses;
  readonly weight: number;
  readonly positiveClass: number;
  readonly negativeClass: number;
  /** Negation factors and degree increments in place of VADER's (learned ones); VADER's when absent. */
  readonly transforms?: LexiconTransforms;
}

/**
 * Per vocabulary id, what a negator or a degree adverb does to a rated word after it, in VADER's terms:
 * the factor of the valence after each negator, and the increment of the valence's size after each
 * degree adverb. Other ids' entries are unused.
 */
export interface LexiconTransforms {
  readonly negationFactors: Float32Array;
  readonly increments: Float32Array;
}

/** VADER's transforms: NEGATION_FACTOR for every negator, each degree adverb's own increment (±0.293). */
export function vaderTransforms(classes: LexiconWordClasses): LexiconTransforms {
  const negationFactors = new Float32Array(classes.kinds.length);
  const increments = new Float32Array(classes.kinds.length);
  classes.kinds.forEach((kind, id) => {
    if (kind === Kind.Negator) negationFactors[id] = NEGATION_FACTOR;
    else if (kind === Kind.Degree) increments[id] = classes.values[id];
  });
  return { negationFactors, increments };
}

/**
 * The lexicon settings of a training run, or an error naming what is missing: the labels must include
 * a positive and a negative class (e.g. pos / neg, positive / negative).
 */
export function lexiconSettings(vocabulary: Vocabulary, labels: readonly string[], weight: number): LexiconSettings {
  const positive = positiveLabelOf(labels);
  const negative = negativeLabelOf(labels);
  if (positive === undefined || negative === undefined) {
    throw new Error(
      `lexicon regularisation needs a positive and a negative label (such as pos / neg); this data's labels are ${labels.join(', ')}`,
    );
  }
  return {
    classes: lexiconWordClasses(vocabulary),
    weight,
    positiveClass: labels.indexOf(positive),
    negativeClass: labels.indexOf(negative),
  };
}

/**
 * The lexicon targets of a training batch whose ids the network reads as `usedIds` (batch.ids after
 * word dropout): a token word dropout replaced gets no term, and a negator or degree adverb it replaced
 * no longer acts on the words after it, since the network does not see it. Inputs are not changed.
 */
export function lexiconTargets(batch: Batch, usedIds: Int32Array, settings: LexiconSettings): LexiconTargets {
  const { kinds, values } = settings.classes;
  const transforms = settings.transforms;
  const T = batch.timeSteps;
  const roles = new Uint8Array(batch.batchSize * T);
  const moves = new Float32Array(batch.batchSize * T);
  for (let b = 0; b < batch.batchSize; b++) {
    let negatedUntil = -1; // last position a negator reaches
    let negator = PAD_ID; // the latest negator
    for (let t = 0; t < batch.lengths[b]; t++) {
      const at = b * T + t;
      const id = usedIds[at];
      const kind = id === batch.ids[at] ? (kinds[id] ?? Kind.None) : Kind.None;
      if (kind === Kind.Negator) {
        negatedUntil = t + NEGATION_SCOPE;
        negator = id;
      } else if (kind === Kind.ClauseEnd || kind === Kind.Contrast) negatedUntil = -1;
      if (kind === Kind.Plain || kind === Kind.ClauseEnd) roles[at] = LexiconRole.Neutral;
      else if (kind === Kind.Contrast) roles[at] = LexiconRole.Contrast;
      else if (kind === Kind.Rated) {
        let valence = values[id];
        const before = t > 0 ? usedIds[at - 1] : PAD_ID;
        if (kinds[before] === Kind.Degree)
          valence += Math.sign(valence) * (transforms ? transforms.increments[before] : values[before]);
        if (t <= negatedUntil) valence *= transforms ? transforms.negationFactors[negator] : NEGATION_FACTOR;
        roles[at] = LexiconRole.Rated;
        moves[at] = valence / VALENCE_SCALE;
      }
    }
  }
  return {
    roles,
    moves,
    weight: settings.weight,
    neutralMargin: NEUTRAL_MARGIN,
    contrastMargin: CONTRAST_MARGIN,
    positiveClass: settings.positiveClass,
    negativeClass: settings.negativeClass,
  };
}

/** Valence (VADER scale) a word needs to make a phrase of the synthetic examples. */
export const PHRASE_MIN_VALENCE = 1.5;
/** Contrast pairs per epoch, as a share of the training sentences. */
export const CONTRAST_PAIR_SHARE = 0.1;

/** Most plain words after a synthetic example's rated word (and, besides the negator, before it). */
export const CONTEXT_FILLERS = 2;
/** The plain words synthetic examples put around a rated word: the vocabulary's most frequent ones. */
export const FILLER_WORDS = 100;

/** The FILLER_WORDS most frequent plain words (vocabulary ids are in order of frequency). */
function fillerIds(kinds: Uint8Array): number[] {
  const ids: number[] = [];
  for (let id = 0; id < kinds.length && ids.length < FILLER_WORDS; id++) if (kinds[id] === Kind.Plain) ids.push(id);
  return ids;
}

/** Synthetic training sequences: ids, final label and the label of each step (-1: none). */
export interface SyntheticExamples {
  readonly ids: Int32Array[];
  readonly labels: number[];
  readonly stepLabels: Int32Array[];
}

/**
 * One epoch's synthetic examples (the `linguisticExamples` training option), built from the lexicon
 * and the training part only:
 * - for each vocabulary word the lexicon rates at least PHRASE_MIN_VALENCE, the word alone and each
 *   negated phrase ("not W", "n't W", "never W"), labelled by the word's polarity, reversed when
 *   negated (the negator's step unlabelled); with every-step supervision a sentence of 20 words has
 *   20 labelled steps and a phrase one, so the phrases come in all their forms every epoch;
 * - for each such word, the word after 0-2 and before 0-CONTEXT_FILLERS plain words drawn from the
 *   FILLER_WORDS most frequent ones, and the same behind one of the negators ("not find it W at all"),
 *   labelled from the word on (the steps before it unlabelled): a negation reaches a few words ahead,
 *   and plain words after a phrase do not undo it;
 * - as many contrasts of two such words of opposite polarity, "W1 but W2", labelled W1's way at W1 and
 *   W2's way at W2 (and at the end);
 * - CONTRAST_PAIR_SHARE x n pairs of training sentences of opposite labels joined as "A , but B" or
 *   "A but B" (A without its final full stop; when it fits in maxLength), whose steps are labelled A's
 *   label through A (and its comma) and B's label from B on; the step of "but" is unlabelled.
 */
export function syntheticExamples(
  settings: LexiconSettings,
  vocabulary: Vocabulary,
  trainIds: readonly Int32Array[],
  trainLabels: Int32Array,
  maxLength: number,
  random: { next(): number },
): SyntheticExamples {
  const { kinds, values } = settings.classes;
  const { positiveClass, negativeClass } = settings;
  const out: SyntheticExamples = { ids: [], labels: [], stepLabels: [] };
  const negators = ['not', "n't", 'never'].map((w) => vocabulary.idOf(w)).filter((id) => id !== OOV_ID);
  const fillers = fillerIds(kinds);
  const someFillers = (most: number) =>
    Array.from(
      { length: Math.floor(random.next() * (most + 1)) },
      () => fillers[Math.floor(random.next() * fillers.length)],
    );
  for (let id = 0; id < kinds.length; id++) {
    if (kinds[id] !== Kind.Rated || Math.abs(values[id]) < PHRASE_MIN_VALENCE) continue;
    const polarity = values[id] > 0 ? positiveClass : negativeClass;
    const reversed = values[id] > 0 ? negativeClass : positiveClass;
    out.ids.push(Int32Array.of(id));
    out.labels.push(polarity);
    out.stepLabels.push(Int32Array.of(polarity));
    for (const negator of negators) {
      out.ids.push(Int32Array.of(negator, id));
      out.labels.push(reversed);
      out.stepLabels.push(Int32Array.of(-1, reversed));
    }
    if (fillers.length === 0) continue;
    // The word among plain words, and negated from further back: "not find it W at all".
    for (const negator of negators.length > 0
      ? [undefined, negators[Math.floor(random.next() * negators.length)]]
      : [undefined]) {
      const head = [...(negator === undefined ? [] : [negator]), ...someFillers(NEGATION_SCOPE - 1)];
      const tail = someFillers(CONTEXT_FILLERS);
      const label = negator === undefined ? polarity : reversed;
      const ids = Int32Array.from([...head, id, ...tail]);
      out.ids.push(ids);
      out.labels.push(label);
      out.stepLabels.push(new Int32Array(ids.length).fill(label).fill(-1, 0, head.length));
    }
  }
  const but = vocabulary.idOf('but');
  const comma = vocabulary.idOf(',');
  const period = vocabulary.idOf('.');
  // Contrasts of two strong words ("dull but beautiful", labelled as the second), as many as the phrases' words.
  const strong = [positiveClass, negativeClass].map((c) => {
    const ids: number[] = [];
    for (let id = 0; id < kinds.length; id++) {
      if (
        kinds[id] === Kind.Rated &&
        Math.abs(values[id]) >= PHRASE_MIN_VALENCE &&
        values[id] > 0 === (c === positiveClass)
      )
        ids.push(id);
    }
    return ids;
  });
  if (but !== OOV_ID && strong.every((ids) => ids.length > 0)) {
    const pairs = strong[0].length + strong[1].length;
    for (let k = 0; k < pairs; k++) {
      const firstSide = random.next() < 0.5 ? 0 : 1;
      const first = strong[firstSide][Math.floor(random.next() * strong[firstSide].length)];
      const second = strong[1 - firstSide][Math.floor(random.next() * strong[1 - firstSide].length)];
      const [firstLabel, secondLabel] =
        firstSide === 0 ? [positiveClass, negativeClass] : [negativeClass, positiveClass];
      out.ids.push(Int32Array.of(first, but, second));
      out.labels.push(secondLabel);
      out.stepLabels.push(Int32Array.of(firstLabel, -1, secondLabel));
    }
  }
  const byClass = [positiveClass, negativeClass].map((c) =>
    trainIds.map((_, i) => i).filter((i) => trainLabels[i] === c && trainIds[i].length > 0),
  );
  if (but === OOV_ID || comma === OOV_ID || byClass.some((members) => members.length === 0)) return out;
  const pairs = Math.round(trainIds.length * CONTRAST_PAIR_SHARE);
  for (let k = 0; k < pairs; k++) {
    const firstSide = random.next() < 0.5 ? 0 : 1;
    const first = byClass[firstSide][Math.floor(random.next() * byClass[firstSide].length)];
    const second = byClass[1 - firstSide][Math.floor(random.next() * byClass[1 - firstSide].length)];
    const a = trainIds[first];
    const b = trainIds[second];
    // With a comma or without, as people write it; a sentence's own final full stop is left out.
    const head = a[a.length - 1] === period ? a.subarray(0, a.length - 1) : a;
    const joint = random.next() < 0.5 ? [comma, but] : [but];
    if (head.length + joint.length + b.length > maxLength) continue;
    const ids = new Int32Array(head.length + joint.length + b.length);
    ids.set(head);
    ids.set(joint, head.length);
    ids.set(b, head.length + joint.length);
    const stepLabels = new Int32Array(ids.length).fill(trainLabels[second]);
    stepLabels.fill(trainLabels[first], 0, head.length + joint.length - 1);
    stepLabels[head.length + joint.length - 1] = -1;
    out.ids.push(ids);
    out.labels.push(trainLabels[second]);
    out.stepLabels.push(stepLabels);
  }
  return out;
}
