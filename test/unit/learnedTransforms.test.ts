import * as assert from 'assert';
import {
  BASE_SENTENCES,
  fitTransforms,
  MIN_OCCURRENCES,
  observeTransforms,
  PRIOR_OCCURRENCES,
  shrunkSlope,
  transformSentences,
} from '../../src/core/lexicon/learnedTransforms';
import { lexiconWordClasses, NEGATION_FACTOR, VALENCE_SCALE } from '../../src/core/lexicon/lexiconTargets';
import lexicon from '../../src/core/lexicon/sentimentLexicon.json';
import { Random } from '../../src/core/engine';
import { Vocabulary } from '../../src/core/text/vocabulary';
import { trainFromSource } from '../support/engineHelper';
import { LEXICON_TRAINING_OPTIONS, lexiconTrainingData } from './lexiconTrainingFixture';

const WORDS = ['<pad>', '<unk>', 'the', 'film', 'is', 'not', 'never', 'good', 'bad', 'very', 'slightly', ','];
const vocabulary = new Vocabulary(WORDS);
const classes = lexiconWordClasses(vocabulary);
const id = (word: string) => vocabulary.idOf(word);
const ids = (text: string) => Int32Array.from(text.split(' '), id);
const valence = lexicon.valence as Record<string, number>;

/**
 * Synthetic trajectories: the score starts at 0, plain words move it by 0, a rated word by `move(word,
 * modifier)` plus noise from `random` of the given size.
 */
function trajectories(
  sentences: readonly Int32Array[],
  move: (word: string, before: string[]) => number,
  random: Random,
  noise: number,
): Float32Array[] {
  return sentences.map((sentence) => {
    const score = new Float32Array(sentence.length + 1);
    for (let t = 0; t < sentence.length; t++) {
      const word = WORDS[sentence[t]];
      const rated = Object.hasOwn(valence, word);
      const before = [...sentence.subarray(Math.max(0, t - 3), t)].map((i) => WORDS[i]);
      score[t + 1] = score[t] + (rated ? move(word, before) + noise * (random.next() - 0.5) : 0);
    }
    return score;
  });
}

/** Sentences: `plain` of "the film is good" / "the film is bad" each, and `modified` of each given phrase. */
function corpus(plain: number, modified: Record<string, number>): Int32Array[] {
  const out: Int32Array[] = [];
  for (let k = 0; k < plain; k++) out.push(ids('the film is good'), ids('the film is bad'));
  for (const [phrase, count] of Object.entries(modified)) for (let k = 0; k < count; k++) out.push(ids(phrase));
  return out;
}

const entry = (entries: readonly { word: string; learned: number; occurrences: number }[], word: string) =>
  entries.find((e) => e.word === word)!;

describe('learned negation and intensity transforms', () => {
  it('a shrunk slope is the least-squares slope pulled toward the prior by its pseudo-occurrences', () => {
    assert.strictEqual(shrunkSlope([], [], -0.74, 20), -0.74);
    assert.strictEqual(shrunkSlope([0, 0], [1, 2], 0.5, 20), 0.5);
    // Ten points on y = 2x and ten pseudo-points of the mean x² at the prior 0: halfway.
    const x = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1];
    assert.ok(
      Math.abs(
        shrunkSlope(
          x,
          x.map((v) => 2 * v),
          0,
          10,
        ) - 1,
      ) < 1e-12,
    );
    assert.ok(
      Math.abs(
        shrunkSlope(
          x,
          x.map((v) => 2 * v),
          0,
          0,
        ) - 2,
      ) < 1e-12,
    );
  });

  it("recovers a negator's factor from noisy synthetic trajectories, as a ratio of the network's own moves", () => {
    // The network moves 1.5 x the lexicon's move on plain words (its own scale), and "not" multiplies its move by -0.3.
    const scale = 1.5;
    const factor = -0.3;
    const sentences = corpus(300, { 'not good': 300, 'the film is not bad': 300 });
    const scores = trajectories(
      sentences,
      (word, before) => (before.includes('not') ? factor : 1) * ((scale * valence[word]) / VALENCE_SCALE),
      new Random(3),
      0.5,
    );
    const fitted = fitTransforms(observeTransforms(sentences, scores, classes), classes, vocabulary);
    const not = entry(fitted.record.negators, 'not');
    assert.strictEqual(not.occurrences, 600);
    assert.ok(Math.abs(not.learned - factor) < 0.03, `learned ${not.learned}`);
    assert.ok(Math.abs(fitted.transforms.negationFactors[id('not')] - factor) < 0.03);
    assert.ok(Math.abs(fitted.record.scale - scale) < 0.02, `scale ${fitted.record.scale}`);
    // "never" has no occurrences: it takes the negators' value, fitted on "not" alone.
    const group = entry(fitted.record.groups, 'negators');
    assert.strictEqual(group.occurrences, 600);
    assert.ok(Math.abs(fitted.transforms.negationFactors[id('never')] - group.learned) < 1e-4);
  });

  it("recovers a degree adverb's increment in valence units, through the network's scale", () => {
    const scale = 2;
    const increment = 0.8;
    const sentences = corpus(300, { 'very good': 300, 'very bad': 300 });
    const scores = trajectories(
      sentences,
      (word, before) => {
        const v = valence[word];
        return (scale * (v + (before.at(-1) === 'very' ? Math.sign(v) * increment : 0))) / VALENCE_SCALE;
      },
      new Random(5),
      0.2,
    );
    const fitted = fitTransforms(observeTransforms(sentences, scores, classes), classes, vocabulary);
    const very = entry(fitted.record.degreeAdverbs, 'very');
    assert.strictEqual(very.occurrences, 600);
    assert.ok(Math.abs(very.learned - increment) < 0.03, `learned ${very.learned}`);
    // "slightly" (a dampener) was never seen: VADER's value.
    assert.ok(Math.abs(fitted.transforms.increments[id('slightly')] - -0.293) < 1e-6);
  });

  it('shrinks toward VADER, then toward the group, and takes the group value below the minimum count', () => {
    // Exact trajectories: negated words do not move at all (factor 0), plain ones by the lexicon's move.
    const exact = (word: string, before: string[]) =>
      (before.includes('not') || before.includes('never') ? 0 : 1) * (valence[word] / VALENCE_SCALE);
    const atMinimum = corpus(50, { 'not good': MIN_OCCURRENCES });
    let fitted = fitTransforms(
      observeTransforms(atMinimum, trajectories(atMinimum, exact, new Random(1), 0), classes),
      classes,
      vocabulary,
    );
    // Group: MIN_OCCURRENCES points at 0 against PRIOR_OCCURRENCES at VADER's; the word: shrunk toward the group.
    const group = (MIN_OCCURRENCES * 0 + PRIOR_OCCURRENCES * NEGATION_FACTOR) / (MIN_OCCURRENCES + PRIOR_OCCURRENCES);
    const word = (PRIOR_OCCURRENCES * group) / (MIN_OCCURRENCES + PRIOR_OCCURRENCES);
    assert.ok(Math.abs(entry(fitted.record.groups, 'negators').learned - group) < 1e-4);
    assert.ok(Math.abs(fitted.transforms.negationFactors[id('not')] - word) < 1e-6);
    assert.ok(Math.abs(fitted.transforms.negationFactors[id('never')] - group) < 1e-6, 'unseen: the group value');

    // One occurrence short of the minimum, for the group too: VADER's factor for every negator.
    const below = corpus(50, { 'not good': MIN_OCCURRENCES - 1 });
    fitted = fitTransforms(
      observeTransforms(below, trajectories(below, exact, new Random(1), 0), classes),
      classes,
      vocabulary,
    );
    assert.ok(Math.abs(fitted.transforms.negationFactors[id('not')] - NEGATION_FACTOR) < 1e-6);
    assert.strictEqual(entry(fitted.record.negators, 'not').occurrences, MIN_OCCURRENCES - 1);

    // Enough for the group but split below the minimum per word: both words take the group's value.
    const split = corpus(50, { 'not good': MIN_OCCURRENCES - 1, 'never good': MIN_OCCURRENCES - 1 });
    fitted = fitTransforms(
      observeTransforms(split, trajectories(split, exact, new Random(1), 0), classes),
      classes,
      vocabulary,
    );
    const shared = entry(fitted.record.groups, 'negators').learned;
    assert.ok(shared > NEGATION_FACTOR && shared < 0);
    assert.strictEqual(fitted.transforms.negationFactors[id('not')], fitted.transforms.negationFactors[id('never')]);
  });

  it('measures a negated or intensified word over the phrase, from before the negator or degree adverb', () => {
    const sentences = [ids('the film is good'), ids('not the good'), ids('very bad')];
    const scores = [
      Float32Array.of(0, 0, 0.1, 0.1, 1.1),
      Float32Array.of(0.5, -0.5, -0.25, -1),
      Float32Array.of(0, 0.25, -2),
    ];
    const observations = observeTransforms(sentences, scores, classes);
    assert.deepStrictEqual(observations.negated, [{ word: id('good'), modifier: id('not'), move: -1.5 }]);
    assert.deepStrictEqual(observations.boosted, [{ word: id('bad'), modifier: id('very'), move: -2 }]);
    assert.ok(Math.abs(observations.plainSum[id('good')] - 1) < 1e-6);
    assert.strictEqual(observations.plainCount[id('good')], 1);
  });

  it('leaves out rated words both negated and intensified, and words with no plain occurrence to compare with', () => {
    const sentences = [
      ...Array.from({ length: 5 }, () => ids('the film is good')),
      ...Array.from({ length: 30 }, () => ids('not very good')),
      ...Array.from({ length: 30 }, () => ids('not bad')),
    ];
    const observations = observeTransforms(
      sentences,
      trajectories(sentences, () => 1, new Random(2), 0),
      classes,
    );
    assert.strictEqual(observations.boosted.length, 0);
    assert.strictEqual(observations.negated.length, 30, 'only "not bad"');
    const fitted = fitTransforms(observations, classes, vocabulary);
    assert.strictEqual(
      entry(fitted.record.negators, 'not'),
      undefined,
      '"bad" has no plain move: no usable occurrence',
    );
    assert.ok(Math.abs(fitted.transforms.negationFactors[id('not')] - NEGATION_FACTOR) < 1e-6);
  });

  it('reads the prefixes it needs: sentences with a negated or intensified word, and a few plain ones per such word', () => {
    const sentences = [
      ids('the film is not good , the film'),
      ids('the film'),
      ...Array.from({ length: BASE_SENTENCES + 5 }, () => ids('good film is good the')),
      ids('bad film'),
    ];
    const chosen = transformSentences(sentences, classes);
    assert.deepStrictEqual([...chosen[0]], [...ids('the film is not good')]);
    // The negated sentence has no plain "good"; BASE_SENTENCES others give it, each up to its last plain "good".
    assert.strictEqual(chosen.length, 1 + BASE_SENTENCES);
    assert.deepStrictEqual([...chosen[1]], [...ids('good film is good')]);
    assert.strictEqual(sentences[0].length, 8, 'the input is not changed');
  });

  it('training with learned transforms is deterministic in one and in two threads, records the fit, and changes the weights', async function () {
    this.timeout(120000);
    const data = lexiconTrainingData(12);
    const options = {
      ...LEXICON_TRAINING_OPTIONS,
      linguisticExamples: false,
      ensembleMembers: 1,
      learnedTransforms: true,
    };
    for (const threads of [1, 2] as const) {
      const first = await trainFromSource(data, { ...options, threads });
      const second = await trainFromSource(data, { ...options, threads });
      assert.deepStrictEqual(first.model.weights, second.model.weights, `${threads} thread(s)`);
      assert.deepStrictEqual(first.learnedTransforms, second.learnedTransforms);
      const [record] = first.learnedTransforms!;
      assert.strictEqual(entry(record.negators, 'not').occurrences, 36);
      if (threads === 1) {
        const fixed = await trainFromSource(data, { ...options, threads, learnedTransforms: false });
        assert.strictEqual(fixed.learnedTransforms, undefined);
        // The first epoch is VADER's either way (the same loss); the second's lexicon terms use the fit.
        assert.strictEqual(first.history[0].loss, fixed.history[0].loss);
        assert.notStrictEqual(first.history[1].loss, fixed.history[1].loss);
      }
    }
  });

  it('is off, with a warning, without lexicon terms', async function () {
    this.timeout(60000);
    const data = [
      { text: 'a good film', label: 'pos' },
      { text: 'not good', label: 'neg' },
      { text: 'a bad film', label: 'neg' },
      { text: 'not bad', label: 'pos' },
    ];
    const warnings: string[] = [];
    const options = { epochs: 1, units: 4, embeddingDim: 4, validationSplit: 0, skipGram: false, minCount: 1 };
    const result = await trainFromSource(
      data,
      { ...options, lexiconWeight: 0, learnedTransforms: true, threads: 1 },
      { onWarning: (m) => warnings.push(m) },
    );
    assert.strictEqual(result.learnedTransforms, undefined);
    assert.match(warnings.join('\n'), /learned transforms are off: they change the lexicon terms, which are off/);
    const plain = await trainFromSource(data, { ...options, lexiconWeight: 0, learnedTransforms: false, threads: 1 });
    assert.deepStrictEqual(result.model.weights, plain.model.weights);
  });
});
