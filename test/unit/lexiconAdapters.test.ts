import * as assert from 'node:assert/strict';
import { afinnLabel, afinnLabels, bandLabel, vaderLabel, vaderLabels } from '../../scripts/lexiconAdapters';

describe('lexiconAdapters (npm run compare)', () => {
  it('maps VADER compound scores with the standard 0.05 thresholds, inclusive', () => {
    assert.deepEqual([0.05, 0.9, 0.0499, 0, -0.0499, -0.05, -0.9].map(vaderLabel), [
      'positive',
      'positive',
      'neutral',
      'neutral',
      'neutral',
      'negative',
      'negative',
    ]);
  });

  it('maps AFINN comparative scores by their sign, zero being neutral', () => {
    assert.deepEqual([0.01, 0, -0.01].map(afinnLabel), ['positive', 'neutral', 'negative']);
  });

  it('maps a two-class P(positive) to neutral inside the band around 0.5 and to the likelier class outside', () => {
    assert.deepEqual(
      [0.9, 0.7, 0.5, 0.3, 0.1].map((p) => bandLabel(p, 0.2)),
      ['positive', 'neutral', 'neutral', 'neutral', 'negative'],
    );
    assert.deepEqual(
      [0.51, 0.49].map((p) => bandLabel(p, 0)),
      ['positive', 'negative'],
    );
  });

  it('labels clear texts through the real libraries', () => {
    const texts = ['Thanks, this is a great answer!', 'This is a terrible, ugly hack.', 'The method returns a list.'];
    assert.deepEqual(vaderLabels(texts), ['positive', 'negative', 'neutral']);
    assert.deepEqual(afinnLabels(texts), ['positive', 'negative', 'neutral']);
  });
});
