import * as assert from 'node:assert/strict';
import type { Classification } from '../../src/core/classify/classifier';
import {
  BUCKET_COUNT,
  NEUTRAL_BUCKET,
  colourBucket,
  negativeLabelOf,
  scoreAxisFor,
  signedScore,
  sparkline,
  topNegativeContributors,
  wordScores,
} from '../../src/core/classify/scoring';

/** A classification of tokens with the given P(negative) after each (binary negative/positive). */
function trajectory(words: string[], negatives: number[]): Classification {
  let offset = 0;
  const tokens = words.map((text, i) => {
    const token = {
      text,
      start: offset,
      end: offset + text.length,
      id: 2,
      probabilities: { negative: negatives[i], positive: 1 - negatives[i] },
    };
    offset += text.length + 1;
    return token;
  });
  const last = negatives[negatives.length - 1];
  return {
    label: last >= 0.5 ? 'negative' : 'positive',
    probabilities: { negative: last, positive: 1 - last },
    tokens,
  };
}

describe('scoring', () => {
  it('scores a binary model as P(positive) - P(negative)', () => {
    const axis = scoreAxisFor(['negative', 'positive'], 'positive');
    assert.deepEqual(axis, { kind: 'polarity', positive: 'positive', negative: 'negative' });
    assert.ok(Math.abs(signedScore({ negative: 0.2, positive: 0.8 }, axis) - 0.6) < 1e-12);
  });

  it('scores a 3-class model with positive and negative labels as their difference, ignoring the third', () => {
    const axis = scoreAxisFor(['negative', 'neutral', 'positive'], 'neutral');
    assert.ok(Math.abs(signedScore({ negative: 0.1, neutral: 0.6, positive: 0.3 }, axis) - 0.2) < 1e-12);
  });

  it('scores a model without a polarity pair by the predicted label above chance', () => {
    const axis = scoreAxisFor(['joy', 'anger', 'fear', 'sadness'], 'anger');
    assert.equal(axis.kind, 'confidence');
    assert.equal(signedScore({ anger: 0.25 }, axis), 0);
    assert.equal(signedScore({ anger: 1 }, axis), 1);
    assert.equal(signedScore({ anger: 0 }, axis), -1);
  });

  it('finds the negative label among common spellings', () => {
    assert.equal(negativeLabelOf(['pos', 'neg']), 'neg');
    assert.equal(negativeLabelOf(['joy', 'anger']), undefined);
  });

  it('gives each word its change from the previous score, the first from the prior', () => {
    const scores = wordScores(trajectory(['a', 'b'], [0.5, 0.9]), scoreAxisFor(['negative', 'positive'], 'negative'), {
      negative: 0.4,
      positive: 0.6,
    });
    assert.ok(Math.abs(scores[0].change - (0 - 0.2)) < 1e-12);
    assert.ok(Math.abs(scores[1].score - -0.8) < 1e-12);
    assert.ok(Math.abs(scores[1].change - -0.8) < 1e-12);
  });

  it('buckets values on a diverging scale: neutral around zero, symmetric, strongest at the ends', () => {
    assert.equal(colourBucket(0, 'trajectory'), NEUTRAL_BUCKET);
    assert.equal(colourBucket(0.19, 'trajectory'), NEUTRAL_BUCKET);
    assert.equal(colourBucket(0.2, 'trajectory'), NEUTRAL_BUCKET + 1);
    assert.equal(colourBucket(-0.6, 'trajectory'), NEUTRAL_BUCKET - 2);
    assert.equal(colourBucket(1, 'trajectory'), BUCKET_COUNT - 1);
    assert.equal(colourBucket(-1, 'trajectory'), 0);
    assert.equal(colourBucket(0.1, 'contribution'), NEUTRAL_BUCKET + 1);
    assert.equal(colourBucket(Number.NaN, 'contribution'), NEUTRAL_BUCKET);
  });

  it('names the words with the largest increases of P(negative), largest first, punctuation and repeats left out', () => {
    const c = trajectory(['this', 'is', 'awful', ',', 'awful', 'mess'], [0.5, 0.45, 0.8, 0.95, 0.97, 0.99]);
    const top = topNegativeContributors(c, 'negative', 3, { negative: 0.5, positive: 0.5 });
    assert.deepEqual(
      top.map((t) => t.token.text),
      ['awful', 'mess'],
    );
    assert.ok(Math.abs(top[0].increase - 0.35) < 1e-9);
  });

  it('draws a sparkline from lowest to highest bar', () => {
    assert.equal(sparkline([-1, 0, 1]), '▁▅█');
  });
});
