import * as assert from 'node:assert/strict';
import { Classifier, predictClassIndices } from '../../src/core/classify/classifier';
import { averageProbabilities } from '../../src/core/classify/ensemble';
import { initWeights } from '../../src/core/engine';
import type { Architecture } from '../../src/core/model/architecture';
import { DEFAULT_TOKENIZER } from '../../src/core/text/tokenizer';
import { Vocabulary } from '../../src/core/text/vocabulary';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

describe('classifier', () => {
  it('predictClassIndices classifies in bounded chunks and keeps only the label indices', () => {
    const chunkSizes: number[] = [];
    const fake = {
      classifyMany: (texts: readonly string[]) => {
        chunkSizes.push(texts.length);
        return texts.map((text) => ({ label: text === 'odd' ? 'mystery' : text, probabilities: {}, tokens: [] }));
      },
    };
    const texts = Array.from({ length: 2_500 }, (_, i) => (i === 7 ? 'odd' : i % 2 ? 'pos' : 'neg'));
    const predicted = predictClassIndices(fake, texts, ['neg', 'pos'], 1_000);
    assert.deepEqual(chunkSizes, [1_000, 1_000, 500]);
    assert.equal(predicted[0], 0);
    assert.equal(predicted[1], 1);
    assert.equal(predicted[7], -1, 'a label outside the list');
    assert.equal(predicted.length, 2_500);
  });

  it('dispose ends the helper thread holding a copy of the weights; classifying afterwards still works', async function () {
    const arch: Architecture = {
      cell: 'gru',
      vocabSize: 4,
      embeddingDim: 6,
      units: 8,
      layers: 1,
      numClasses: 2,
      dropout: 0,
    };
    const weights = initWeights(arch, 3);
    const classifier = new Classifier(
      {
        arch,
        weights,
        vocabulary: new Vocabulary(['<pad>', '<unk>', 'good', 'bad']),
        labels: ['negative', 'positive'],
        tokenizer: DEFAULT_TOKENIZER,
      },
      { helperScript: ENGINE_HELPER_SCRIPT },
    );
    const predictor = classifier.predictor;
    if (!(await predictor.whenHelperReady())) this.skip(); // one CPU: no helper thread to end
    assert.ok(predictor.hasHelper);
    await classifier.dispose();
    assert.equal(predictor.hasHelper, false);
    assert.notEqual(classifier.predictor, predictor, 'the next prediction gets a new predictor');
    assert.equal(classifier.classify('good').tokens.length, 1);
  });

  describe('seed ensembles', () => {
    const arch: Architecture = {
      cell: 'gru',
      vocabSize: 6,
      embeddingDim: 6,
      units: 8,
      layers: 1,
      numClasses: 3,
      dropout: 0,
    };
    const base = {
      arch,
      vocabulary: new Vocabulary(['<pad>', '<unk>', 'good', 'bad', 'not', 'film']),
      labels: ['negative', 'neutral', 'positive'],
      tokenizer: DEFAULT_TOKENIZER,
    };
    const texts = ['not good', 'a bad film, not a good one', '', 'film film film bad good'];

    it('gives every step and the label the mean of its networks classifying alone', async () => {
      const members = [initWeights(arch, 3), initWeights(arch, 4), initWeights(arch, 5)];
      const alone = members.map((weights) => new Classifier({ ...base, weights }, { threads: 1 }).classifyMany(texts));
      const ensemble = new Classifier({ ...base, weights: members[0], otherMembers: members.slice(1) }, { threads: 1 });
      assert.equal(ensemble.predictors.length, 3);
      const results = ensemble.classifyMany(texts);
      results.forEach((result, t) => {
        const mean = (pick: (c: (typeof alone)[0][0]) => Record<string, number>, label: string) =>
          Math.fround((pick(alone[0][t])[label] + pick(alone[1][t])[label] + pick(alone[2][t])[label]) / 3);
        for (const label of base.labels)
          assert.equal(
            result.probabilities[label],
            mean((c) => c.probabilities, label),
          );
        result.tokens.forEach((token, step) => {
          for (const label of base.labels)
            assert.equal(
              token.probabilities[label],
              mean((c) => c.tokens[step].probabilities, label),
              `${t}:${step}`,
            );
        });
        const best = base.labels.reduce((a, b) => (result.probabilities[b] > result.probabilities[a] ? b : a));
        assert.equal(result.label, best);
      });
      assert.notDeepEqual(
        results.map((r) => r.probabilities),
        alone[0].map((r) => r.probabilities),
      );
      await ensemble.dispose();
    });

    it('a model with no other networks classifies exactly as before', () => {
      const weights = initWeights(arch, 3);
      assert.deepEqual(
        new Classifier({ ...base, weights, otherMembers: [] }, { threads: 1 }).classifyMany(texts),
        new Classifier({ ...base, weights }, { threads: 1 }).classifyMany(texts),
      );
    });

    it('averageProbabilities returns one part as it is and refuses parts of different sizes', () => {
      const one = {
        stepProbabilities: new Float32Array([0.25, 0.75]),
        finalProbabilities: new Float32Array([0.25, 0.75]),
      };
      assert.equal(averageProbabilities([one]), one);
      const other = { stepProbabilities: new Float32Array([0.75, 0.25]), finalProbabilities: new Float32Array([1, 0]) };
      assert.deepEqual(averageProbabilities([one, other]), {
        stepProbabilities: new Float32Array([0.5, 0.5]),
        finalProbabilities: new Float32Array([0.625, 0.375]),
      });
      assert.throws(
        () => averageProbabilities([one, { ...other, finalProbabilities: new Float32Array(3) }]),
        /differ in size \(2, 3\)/,
      );
    });

    it("dispose ends every network's helper thread", async function () {
      const ensemble = new Classifier(
        { ...base, weights: initWeights(arch, 3), otherMembers: [initWeights(arch, 4)] },
        { helperScript: ENGINE_HELPER_SCRIPT },
      );
      const predictors = ensemble.predictors;
      assert.equal(ensemble.predictor, predictors[0]);
      const ready = await Promise.all(predictors.map((predictor) => predictor.whenHelperReady()));
      if (!ready.every(Boolean)) this.skip(); // one CPU: no helper threads to end
      await ensemble.dispose();
      assert.deepEqual(
        predictors.map((predictor) => predictor.hasHelper),
        [false, false],
      );
      assert.notEqual(ensemble.predictors[1], predictors[1], 'new predictors after dispose');
    });
  });
});
