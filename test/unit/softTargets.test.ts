import * as assert from 'assert';
import type { Batch } from '../../src/core/model/batching';
import { computeGradients, initWeights, Random } from '../../src/core/engine';
import { selectSentences } from '../../src/core/engine/packing';
import { NetworkEngine } from '../../src/core/engine/network';
import { flattenWeights, type Architecture } from '../../src/core/model/architecture';
import { maxAbsDiff, randomBatch } from './engineBatches';

const arch: Architecture = {
  cell: 'gru',
  vocabSize: 17,
  embeddingDim: 6,
  units: 5,
  layers: 1,
  numClasses: 3,
  dropout: 0,
};

/** The one-hot rows of a batch's labels, [B, C]. */
function oneHot(batch: Batch): Float32Array {
  const out = new Float32Array(batch.batchSize * arch.numClasses);
  batch.labels!.forEach((label, b) => (out[b * arch.numClasses + label] = 1));
  return out;
}

/** Random distributions, [B, C]. */
function randomTargets(batch: Batch, seed: number): Float32Array {
  const random = new Random(seed);
  const out = new Float32Array(batch.batchSize * arch.numClasses);
  for (let b = 0; b < batch.batchSize; b++) {
    let sum = 0;
    for (let k = 0; k < arch.numClasses; k++) sum += out[b * arch.numClasses + k] = random.next() + 0.05;
    for (let k = 0; k < arch.numClasses; k++) out[b * arch.numClasses + k] /= sum;
  }
  return out;
}

describe('engine: soft targets (distillation)', () => {
  for (const stepLabels of [false, true]) {
    const kind = stepLabels ? 'every-step' : 'final-token';
    it(`one-hot soft targets give the hard labels' loss and gradients (${kind})`, () => {
      const weights = initWeights(arch, 4);
      const batch = randomBatch(arch, [4, 2, 5], undefined, 21, stepLabels);
      // Every labelled step of a sentence uses the sentence's own label here, as training does.
      const sentenceSteps = stepLabels
        ? Int32Array.from(batch.stepLabels!, (l, i) => (l < 0 ? -1 : batch.labels![Math.floor(i / batch.timeSteps)]))
        : undefined;
      const hard: Batch = { ...batch, ...(sentenceSteps ? { stepLabels: sentenceSteps } : {}) };
      const a = computeGradients(arch, weights, hard);
      const b = computeGradients(arch, weights, { ...hard, softTargets: oneHot(hard) });
      assert.ok(Math.abs(a.loss - b.loss) < 1e-6, `${a.loss} vs ${b.loss}`);
      flattenWeights(a.gradients).forEach((g, i) => assert.ok(maxAbsDiff(g, flattenWeights(b.gradients)[i]) < 1e-6));
    });

    it(`match finite differences with any target distribution (${kind})`, () => {
      const weights = initWeights(arch, 5);
      const plain = randomBatch(arch, [5, 3, 4], undefined, 22, stepLabels);
      const batch: Batch = { ...plain, softTargets: randomTargets(plain, 3) };
      const lossOf = () => new NetworkEngine().lossAndGradients(arch, weights, batch, undefined, true).loss;
      const analytic = flattenWeights(computeGradients(arch, weights, batch).gradients);
      const arrays = flattenWeights(weights);
      const random = new Random(8);
      for (let a = 0; a < arrays.length; a++) {
        for (let k = 0; k < 5; k++) {
          const i = random.int(arrays[a].length);
          const saved = arrays[a][i];
          arrays[a][i] = saved + 1e-2;
          const up = lossOf();
          arrays[a][i] = saved - 1e-2;
          const down = lossOf();
          arrays[a][i] = saved;
          const numeric = (up - down) / 2e-2;
          assert.ok(
            Math.abs(numeric - analytic[a][i]) < 2e-3 + 0.02 * Math.abs(numeric),
            `array ${a} index ${i}: numeric ${numeric}, analytic ${analytic[a][i]}`,
          );
        }
      }
    });
  }

  it('travel with a batch split between two threads, and a wrong size is refused', () => {
    const plain = randomBatch(arch, [3, 2, 4], undefined, 23);
    const softTargets = randomTargets(plain, 4);
    const half = selectSentences({ ...plain, softTargets }, Int32Array.from([2]));
    assert.deepStrictEqual([...half.softTargets!], [...softTargets.subarray(6, 9)]);
    assert.throws(
      () => computeGradients(arch, initWeights(arch, 1), { ...plain, softTargets: new Float32Array(2) }),
      /softTargets has 2 values, expected 9/,
    );
  });
});
