import * as assert from 'node:assert/strict';
import { predictClassIndices } from '../../src/core/classifier';

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
});
