import * as assert from 'node:assert/strict';
import { Classifier, predictClassIndices } from '../../src/core/classify/classifier';
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
});
