import * as assert from 'node:assert/strict';
import { computeMetrics, formatMetrics } from '../../src/core/model/metrics';

describe('metrics', () => {
  const labels = ['negative', 'neutral', 'positive'];
  // gold:      neg neg neg neu neu pos pos pos
  // predicted: neg neg pos neu neg pos pos neu
  const metrics = computeMetrics([0, 0, 0, 1, 1, 2, 2, 2], [0, 0, 2, 1, 0, 2, 2, 1], labels);

  it('computes accuracy and the confusion matrix (rows gold, columns predicted)', () => {
    assert.equal(metrics.accuracy, 5 / 8);
    assert.deepEqual(metrics.confusion, [
      [2, 0, 1],
      [1, 1, 0],
      [0, 1, 2],
    ]);
  });

  it('computes per-class precision, recall, F1 and macro-F1', () => {
    assert.deepEqual(metrics.perClass.negative, { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
    assert.equal(metrics.perClass.neutral.precision, 0.5);
    assert.equal(metrics.perClass.neutral.recall, 0.5);
    assert.ok(Math.abs(metrics.macroF1 - (2 / 3 + 0.5 + 2 / 3) / 3) < 1e-12);
  });

  it('gives 0 rather than NaN for a class never predicted', () => {
    const m = computeMetrics([0, 1], [0, 0], ['a', 'b']);
    assert.equal(m.perClass.b.precision, 0);
    assert.equal(m.perClass.b.f1, 0);
  });

  it('keeps labels named __proto__ and constructor as ordinary classes', () => {
    const m = computeMetrics([0, 1, 2], [0, 1, 1], ['__proto__', 'constructor', 'neg']);
    assert.deepEqual(Object.keys(m.perClass), ['__proto__', 'constructor', 'neg']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(m.perClass, '__proto__')?.value, {
      precision: 1,
      recall: 1,
      f1: 1,
      support: 1,
    });
    assert.equal(m.perClass['constructor' as string].support, 1);
    assert.equal(Object.getPrototypeOf(m.perClass), Object.prototype);
  });

  it('counts a gold label unknown to the model (-1) as an error', () => {
    assert.equal(computeMetrics([0, -1], [0, 0], ['a', 'b']).accuracy, 0.5);
  });

  it("counts a prediction on a text with an unknown gold label against that class's precision", () => {
    // "negative" vs "non-negative" gold on a three-class model: one negative found, one false alarm.
    const m = computeMetrics([0, -1, -1], [0, 0, 1], ['negative', 'neutral', 'positive']);
    assert.equal(m.perClass.negative.precision, 0.5);
    assert.equal(m.perClass.negative.recall, 1);
  });

  it('formats a table naming every class', () => {
    const text = formatMetrics(metrics);
    for (const label of labels) assert.match(text, new RegExp(label));
    assert.match(text, /accuracy 0\.6250/);
  });
});
