import * as assert from 'assert';
import { LexiconRole, padBatch, type Batch, type LexiconTargets } from '../../src/core/model/batching';
import { computeGradients, initWeights, Random } from '../../src/core/engine';
import { selectSentences } from '../../src/core/engine/packing';
import { NetworkEngine } from '../../src/core/engine/network';
import {
  lexiconSettings,
  lexiconTargets,
  lexiconWordClasses,
  NEGATION_FACTOR,
  syntheticExamples,
  vaderTransforms,
  VALENCE_SCALE,
} from '../../src/core/lexicon/lexiconTargets';
import lexicon from '../../src/core/lexicon/sentimentLexicon.json';
import { flattenWeights, type Architecture, type NetworkWeights } from '../../src/core/model/architecture';
import { lengthBucketedBatches, prepareTrainingBatch, resolveTrainingOptions } from '../../src/core/training/training';
import { Vocabulary } from '../../src/core/text/vocabulary';
import { randomBatch } from './engineBatches';
import { trainFromSource } from '../support/engineHelper';
import { LEXICON_TRAINING_OPTIONS, lexiconTrainingData } from './lexiconTrainingFixture';

const WORDS = ['<pad>', '<unk>', 'the', 'film', 'is', 'not', 'good', 'bad', 'but', 'very', ',', 'wooden', 'great'];
const vocabulary = new Vocabulary(WORDS);
const ids = (text: string) => Int32Array.from(text.split(' '), (w) => vocabulary.idOf(w));

describe('lexicon-regularised training', () => {
  it('the word lists come from VADER and AFINN-165, with the negators, degree adverbs and contrast words kept apart', () => {
    const valence = lexicon.valence as Record<string, number>;
    assert.ok(Object.keys(valence).length > 7000);
    assert.ok(valence.good > 1 && valence.bad < -1 && valence.great > valence.good);
    for (const word of [...lexicon.negators, ...lexicon.contrast, ...Object.keys(lexicon.boosters)]) {
      assert.strictEqual(Object.hasOwn(valence, word), false, word);
    }
    assert.ok(lexicon.negators.includes("n't") && lexicon.contrast.includes('but'));
  });

  it('gives every token its role: neutral, rated (negated after a negator, stronger after a degree adverb), contrast, none', () => {
    const settings = lexiconSettings(vocabulary, ['neg', 'pos'], 1);
    const batch = padBatch([ids('the film is not good , but very good'), ids('<unk> bad')], Infinity, [0, 1]);
    const targets = lexiconTargets(batch, batch.ids, settings);
    const T = batch.timeSteps;
    const good = (lexicon.valence as Record<string, number>).good;
    assert.deepStrictEqual([...targets.roles.subarray(0, 10)], [1, 1, 1, 0, 2, 1, 3, 0, 2, 0]);
    assert.ok(
      Math.abs(targets.moves[4] - (good * NEGATION_FACTOR) / VALENCE_SCALE) < 1e-6,
      'negated "good" should move down',
    );
    assert.ok(targets.moves[8] > good / VALENCE_SCALE, 'a degree adverb strengthens the move');
    assert.deepStrictEqual([...targets.roles.subarray(T, T + 2)], [LexiconRole.None, LexiconRole.Rated]);
    assert.ok(targets.moves[T + 1] < 0);
    assert.strictEqual(settings.positiveClass, 1);
    assert.strictEqual(settings.negativeClass, 0);
  });

  it("uses learned transforms in place of VADER's: each negator's own factor, each degree adverb's own increment", () => {
    const vader = lexiconSettings(vocabulary, ['neg', 'pos'], 1);
    const transforms = vaderTransforms(vader.classes);
    assert.ok(Math.abs(transforms.negationFactors[vocabulary.idOf('not')] - NEGATION_FACTOR) < 1e-6);
    assert.ok(Math.abs(transforms.increments[vocabulary.idOf('very')] - 0.293) < 1e-6);
    transforms.negationFactors[vocabulary.idOf('not')] = -0.25;
    transforms.increments[vocabulary.idOf('very')] = 1.5;
    const batch = padBatch([ids('the film is not good , but very good'), ids('not very bad')]);
    const T = batch.timeSteps;
    const learned = lexiconTargets(batch, batch.ids, { ...vader, transforms }).moves;
    const fixed = lexiconTargets(batch, batch.ids, vader).moves;
    const valence = lexicon.valence as Record<string, number>;
    const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;
    assert.ok(near(learned[4], (valence.good * -0.25) / VALENCE_SCALE), 'negated "good"');
    assert.ok(near(learned[8], (valence.good + 1.5) / VALENCE_SCALE), '"very good"');
    assert.ok(near(learned[T + 2], ((valence.bad - 1.5) * -0.25) / VALENCE_SCALE), '"not very bad": both');
    assert.ok(near(fixed[8], (valence.good + 0.293) / VALENCE_SCALE), "VADER's without transforms");
    assert.ok(near(fixed[4], (valence.good * NEGATION_FACTOR) / VALENCE_SCALE));
  });

  it('a negator reaches three tokens and stops at a comma or a contrast word', () => {
    const settings = lexiconSettings(vocabulary, ['neg', 'pos'], 1);
    const batch = padBatch([ids('not the film is good'), ids('not , good'), ids('not but good')]);
    const moves = lexiconTargets(batch, batch.ids, settings).moves;
    const T = batch.timeSteps;
    assert.ok(moves[4] > 0, 'four tokens on: no longer negated');
    assert.ok(moves[T + 2] > 0);
    assert.ok(moves[2 * T + 2] > 0);
  });

  it('a negator replaced by word dropout negates nothing', () => {
    const settings = lexiconSettings(vocabulary, ['neg', 'pos'], 1);
    const batch = padBatch([ids('not good')]);
    const used = batch.ids.slice();
    used[0] = 1;
    assert.ok(lexiconTargets(batch, used, settings).moves[1] > 0);
    assert.ok(lexiconTargets(batch, batch.ids, settings).moves[1] < 0);
  });

  it('words replaced by word dropout get no term', () => {
    const settings = lexiconSettings(vocabulary, ['neg', 'pos'], 1);
    const batch = padBatch([ids('the film is good')]);
    const used = batch.ids.slice();
    used[3] = 1;
    const targets = lexiconTargets(batch, used, settings);
    assert.strictEqual(targets.roles[3], LexiconRole.None);
    assert.strictEqual(batch.ids[3], vocabulary.idOf('good'), 'the input is not changed');
  });

  it('synthetic examples: strong words alone, negated or among plain words, and "A , but B" pairs labelled as B from B on', () => {
    const settings = lexiconSettings(vocabulary, ['neg', 'pos'], 0);
    // 300 training sentences: 30 contrast pairs per epoch.
    const trainIds = Array.from({ length: 100 }, () => [
      ids('the film is good'),
      ids('the film is bad'),
      ids('wooden'),
    ]).flat();
    const examples = syntheticExamples(
      settings,
      vocabulary,
      trainIds,
      Int32Array.from(trainIds, (_, i) => (i % 3 === 0 ? 1 : 0)),
      60,
      new Random(4),
    );
    const text = (seq: Int32Array) => [...seq].map((id) => WORDS[id]).join(' ');
    const negators = ['not', "n't", 'never'];
    const strongValence = (word: string) => {
      const v = (lexicon.valence as Record<string, number>)[word];
      return v !== undefined && Math.abs(v) >= 1.5 ? v : undefined;
    };
    const phrases = examples.ids
      .map((seq, i) => ({ words: text(seq).split(' '), i }))
      .filter(({ words }) => !words.includes('but'));
    let inContext = 0;
    for (const { words, i } of phrases) {
      const phrase = words.join(' ');
      // One strong word; a negator, if any, first; plain words around it (at most two after it).
      const at = words.findIndex((w) => strongValence(w) !== undefined);
      assert.ok(at >= 0 && words.slice(at + 1).every((w) => strongValence(w) === undefined), phrase);
      assert.ok(words.length - at - 1 <= 2 && at <= 3, phrase);
      const negated = negators.includes(words[0]);
      assert.ok(
        words.slice(1).every((w) => !negators.includes(w)),
        phrase,
      );
      if (words.length > (negated ? 2 : 1)) inContext++;
      const label = strongValence(words[at])! > 0 !== negated ? 1 : 0;
      assert.strictEqual(examples.labels[i], label, phrase);
      assert.deepStrictEqual(
        [...examples.stepLabels[i]],
        words.map((_, t) => (t < at ? -1 : label)),
        phrase,
      );
    }
    assert.ok(inContext > 0, 'some strong words come among plain words');
    assert.ok(
      phrases.some(({ words }) => words.at(-1) === 'good') && phrases.some(({ words }) => words.at(-1) === 'bad'),
    );
    const pairs = examples.ids
      .map((seq, i) => ({ text: text(seq), label: examples.labels[i], steps: [...examples.stepLabels[i]] }))
      .filter((p) => p.text.includes(' but ') && p.text.includes('film'));
    const valence = lexicon.valence as Record<string, number>;
    const wordContrasts = examples.ids
      .map((seq, i) => ({ words: text(seq).split(' '), label: examples.labels[i], steps: [...examples.stepLabels[i]] }))
      .filter((p) => p.words.length === 3 && p.words[1] === 'but' && !p.words.includes('film'));
    assert.ok(wordContrasts.length > 0);
    for (const { words, label, steps } of wordContrasts) {
      const [first, second] = [valence[words[0]] > 0 ? 1 : 0, valence[words[2]] > 0 ? 1 : 0];
      assert.notStrictEqual(first, second, words.join(' '));
      assert.deepStrictEqual([label, ...steps], [second, first, -1, second], words.join(' '));
    }
    assert.ok(
      pairs.some((p) => p.text.includes(' , but ')) && pairs.some((p) => !p.text.includes(' , but ')),
      'with a comma and without',
    );
    for (const pair of pairs) {
      const [first, second] = pair.text.split(/(?: ,)? but /);
      const joint = pair.text.includes(' , but ') ? 2 : 1;
      const secondLabel = second === 'the film is good' ? 1 : 0;
      assert.notStrictEqual(
        first === 'the film is good' ? 1 : 0,
        secondLabel,
        'the two sentences have opposite labels',
      );
      assert.strictEqual(pair.label, secondLabel, pair.text);
      const firstLength = first.split(' ').length;
      assert.strictEqual(pair.steps[firstLength + joint - 1], -1, 'the "but" step is unlabelled');
      assert.ok(
        pair.steps.slice(0, firstLength + joint - 1).every((l) => l === 1 - secondLabel),
        pair.text,
      );
      assert.ok(
        pair.steps.slice(firstLength + joint).every((l) => l === secondLabel),
        pair.text,
      );
    }
  });

  it("batches keep the synthetic examples' own step labels, and final-token supervision drops them", () => {
    const seqs = [ids('the film is good'), ids('not good')];
    const own = [undefined, Int32Array.of(-1, 0)];
    const [batch] = lengthBucketedBatches(seqs, Int32Array.of(1, 0), 8, new Random(2), own);
    const T = batch.timeSteps;
    const row = [...batch.ids.subarray(0, T)].join() === [...seqs[1]].join() + ',0,0' ? 0 : 1;
    assert.deepStrictEqual([...batch.stepLabels!.subarray(row * T, row * T + 2)], [-1, 0]);
    assert.deepStrictEqual([...batch.stepLabels!.subarray((1 - row) * T, (1 - row) * T + 4)], [1, 1, 1, 1]);
    const everyStep = prepareTrainingBatch(batch, { wordDropout: 0, supervision: 'every-step' }, new Random(1));
    assert.deepStrictEqual(everyStep.stepLabels, batch.stepLabels);
    assert.strictEqual(
      prepareTrainingBatch(batch, { wordDropout: 0, supervision: 'final' }, new Random(1)).stepLabels,
      undefined,
    );
  });

  it('needs a positive and a negative label, and says so', () => {
    assert.throws(
      () => lexiconSettings(vocabulary, ['bug', 'feature'], 1),
      /needs a positive and a negative label .*bug, feature/,
    );
    assert.throws(() => resolveTrainingOptions({ lexiconWeight: -1 }), /lexicon weight must be in \[0, 10\]/);
  });

  it('counts the rated words of a vocabulary', () => {
    const valence = lexicon.valence as Record<string, number>;
    assert.strictEqual(lexiconWordClasses(vocabulary).rated, WORDS.filter((w) => Object.hasOwn(valence, w)).length);
    assert.ok(lexiconWordClasses(vocabulary).rated >= 3); // good, bad, great
  });

  describe("the engine's terms and gradients", () => {
    const arch: Architecture = {
      cell: 'gru',
      vocabSize: 13,
      embeddingDim: 6,
      units: 5,
      layers: 1,
      numClasses: 2,
      dropout: 0,
    };

    function targetsFor(batch: Batch, seed: number): LexiconTargets {
      const random = new Random(seed);
      const size = batch.batchSize * batch.timeSteps;
      const roles = new Uint8Array(size);
      const moves = new Float32Array(size);
      for (let b = 0; b < batch.batchSize; b++) {
        for (let t = 0; t < batch.lengths[b]; t++) {
          roles[b * batch.timeSteps + t] = random.int(4);
          moves[b * batch.timeSteps + t] = (random.next() - 0.5) * 4;
        }
      }
      return {
        roles,
        moves,
        weight: 0.7,
        neutralMargin: 0.05,
        contrastMargin: 0.05,
        positiveClass: 1,
        negativeClass: 0,
      };
    }

    function lossOf(weights: NetworkWeights, batch: Batch): number {
      return new NetworkEngine().lossAndGradients(arch, weights, batch, undefined, true).loss;
    }

    for (const stepLabels of [false, true]) {
      it(`match finite differences (${stepLabels ? 'every-step' : 'final-token'} cross-entropy beside them)`, () => {
        const weights = initWeights(arch, 3);
        // Larger output weights, so that the scores move and the hinges are active.
        weights.dense.kernel.forEach((v, i) => (weights.dense.kernel[i] = v * 8));
        const plain = randomBatch(arch, [5, 3, 4], undefined, 11, stepLabels);
        const batch: Batch = { ...plain, lexicon: targetsFor(plain, 5) };
        const withTerms = lossOf(weights, batch);
        assert.ok(withTerms > lossOf(weights, plain) + 1e-3, 'the terms add to the loss');
        const { gradients } = computeGradients(arch, weights, batch);
        const analytic = flattenWeights(gradients);
        const arrays = flattenWeights(weights);
        const random = new Random(9);
        let checked = 0;
        for (let a = 0; a < arrays.length; a++) {
          for (let k = 0; k < 6; k++) {
            const i = random.int(arrays[a].length);
            const saved = arrays[a][i];
            const eps = 2e-3;
            arrays[a][i] = saved + eps;
            const up = lossOf(weights, batch);
            arrays[a][i] = saved - eps;
            const down = lossOf(weights, batch);
            arrays[a][i] = saved;
            const numeric = (up - down) / (2 * eps);
            // Hinges are piecewise linear: a kink inside the interval shows as a jump; allow for float32.
            assert.ok(
              Math.abs(numeric - analytic[a][i]) < 2e-2 + 0.05 * Math.abs(numeric),
              `array ${a} index ${i}: numeric ${numeric}, analytic ${analytic[a][i]}`,
            );
            checked++;
          }
        }
        assert.ok(checked >= 30);
      });
    }

    it('travel with a batch split between two threads', () => {
      const plain = randomBatch(arch, [5, 3, 4, 2], undefined, 12, true);
      const batch: Batch = { ...plain, lexicon: targetsFor(plain, 6) };
      const half = selectSentences(batch, Int32Array.from([2, 0]));
      const T = batch.timeSteps;
      assert.deepStrictEqual([...half.lexicon!.roles.subarray(0, T)], [...batch.lexicon!.roles.subarray(2 * T, 3 * T)]);
      assert.deepStrictEqual([...half.lexicon!.moves.subarray(T, 2 * T)], [...batch.lexicon!.moves.subarray(0, T)]);
      assert.strictEqual(half.lexicon!.weight, 0.7);
    });
  });

  it('trains a model with the terms on, deterministically, and records the weight', async function () {
    this.timeout(60000);
    const data = lexiconTrainingData();
    const options = {
      ...LEXICON_TRAINING_OPTIONS,
      threads: 1 as const,
    };
    const first = await trainFromSource(data, options);
    const second = await trainFromSource(data, options);
    assert.deepStrictEqual(first.model.weights.dense.kernel, second.model.weights.dense.kernel);
    assert.strictEqual(first.options.lexiconWeight, 0.5);
    const off = await trainFromSource(data, { ...options, lexiconWeight: 0, linguisticExamples: false });
    assert.notDeepStrictEqual(first.model.weights.dense.kernel, off.model.weights.dense.kernel);
    const synthetic = await trainFromSource(data, { ...options, lexiconWeight: 0, linguisticExamples: true });
    assert.notDeepStrictEqual(synthetic.model.weights.dense.kernel, off.model.weights.dense.kernel);
    assert.strictEqual(synthetic.trainingExamples, data.length, 'synthetic examples are not counted as training data');
    // On by default, they stay off, with a warning, for labels without a positive / negative pair.
    const warnings: string[] = [];
    const bugs = data.map((d) => ({ ...d, label: d.label === 'pos' ? 'bug' : 'feature' }));
    const plain = await trainFromSource(bugs, { ...options, lexiconWeight: 0, linguisticExamples: false });
    const byDefault = await trainFromSource(
      bugs,
      { ...options, lexiconWeight: undefined, linguisticExamples: undefined },
      { onWarning: (m) => warnings.push(m) },
    );
    assert.deepStrictEqual(byDefault.model.weights.dense.kernel, plain.model.weights.dense.kernel);
    assert.match(
      warnings.join('\n'),
      /linguistic examples and lexicon terms are off: the labels \(bug, feature\) have no positive \/ negative pair/,
    );
  });
});
