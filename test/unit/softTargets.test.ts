import * as assert from 'assert';
import type { Batch } from '../../src/core/model/batching';
import { computeGradients, initWeights, ParallelTrainer, Random, Trainer } from '../../src/core/engine';
import { selectSentences } from '../../src/core/engine/packing';
import { NetworkEngine } from '../../src/core/engine/network';
import { flattenWeights, type Architecture, type NetworkWeights } from '../../src/core/model/architecture';
import { maxAbsDiff, randomBatch } from './engineBatches';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

const arch: Architecture = {
  cell: 'gru',
  vocabSize: 17,
  embeddingDim: 6,
  units: 5,
  layers: 1,
  numClasses: 3,
  dropout: 0,
};

/** Central differences of the loss at five random elements of every weight array against the analytic gradients. */
function assertFiniteDifferences(weights: NetworkWeights, batch: Batch, seed: number): void {
  const lossOf = () => new NetworkEngine().lossAndGradients(arch, weights, batch, undefined, true).loss;
  const analytic = flattenWeights(computeGradients(arch, weights, batch).gradients);
  const arrays = flattenWeights(weights);
  const random = new Random(seed);
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
}

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

/** The one-hot rows of a batch's step labels, [B, T, C] (zeros where a step is unlabelled). */
function stepOneHot(batch: Batch): Float32Array {
  const C = arch.numClasses;
  const out = new Float32Array(batch.batchSize * batch.timeSteps * C);
  batch.stepLabels!.forEach((label, i) => {
    if (label >= 0) out[i * C + label] = 1;
  });
  return out;
}

/** Random distributions at every step, [B, T, C]. */
function randomStepTargets(batch: Batch, seed: number): Float32Array {
  const rows = batch.batchSize * batch.timeSteps;
  return randomTargets({ ...batch, batchSize: rows }, seed);
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
      assertFiniteDifferences(weights, batch, 8);
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

  describe('per step', () => {
    it("one-hot step targets give the step labels' loss and gradients", () => {
      const weights = initWeights(arch, 6);
      const batch = randomBatch(arch, [4, 2, 5, 0], undefined, 24, true);
      const a = computeGradients(arch, weights, batch);
      const b = computeGradients(arch, weights, { ...batch, stepSoftTargets: stepOneHot(batch) });
      assert.ok(Math.abs(a.loss - b.loss) < 1e-6, `${a.loss} vs ${b.loss}`);
      assert.strictEqual(b.correct, a.correct);
      assert.strictEqual(b.count, a.count);
      flattenWeights(a.gradients).forEach((g, i) => assert.ok(maxAbsDiff(g, flattenWeights(b.gradients)[i]) < 1e-6));
    });

    it('use each step its own distribution: the gradients match finite differences', () => {
      const weights = initWeights(arch, 7);
      const plain = randomBatch(arch, [5, 3, 4], undefined, 25, true);
      const batch: Batch = { ...plain, stepSoftTargets: randomStepTargets(plain, 5) };
      // A distribution per sentence repeated at its steps would not test the per-step indexing.
      assert.notDeepStrictEqual(
        [...batch.stepSoftTargets!.subarray(0, arch.numClasses)],
        [...batch.stepSoftTargets!.subarray(arch.numClasses, 2 * arch.numClasses)],
      );
      assertFiniteDifferences(weights, batch, 9);
    });

    it('travel with a batch split between two threads, and a batch without step labels or of a wrong size is refused', () => {
      const plain = randomBatch(arch, [3, 2, 4], undefined, 26, true);
      const stepSoftTargets = randomStepTargets(plain, 6);
      const width = plain.timeSteps * arch.numClasses;
      const half = selectSentences({ ...plain, stepSoftTargets }, Int32Array.from([2, 0]));
      assert.deepStrictEqual(
        [...half.stepSoftTargets!],
        [...stepSoftTargets.subarray(2 * width, 3 * width), ...stepSoftTargets.subarray(0, width)],
      );
      const weights = initWeights(arch, 1);
      const { stepLabels: _steps, ...final } = plain;
      assert.throws(
        () => computeGradients(arch, weights, { ...final, stepSoftTargets }),
        /stepSoftTargets need stepLabels/,
      );
      assert.throws(
        () => computeGradients(arch, weights, { ...plain, stepSoftTargets: new Float32Array(5) }),
        /stepSoftTargets has 5 values, expected 36/,
      );
    });

    it('train alike in one thread and in two (the helper computes half of each batch with its targets)', async () => {
      const withDropout = { ...arch, dropout: 0.5 };
      const weights = initWeights(withDropout, 8);
      const batches = [27, 28, 29].map((seed) => {
        const plain = randomBatch(withDropout, [6, 2, 5, 4, 3, 1, 6], undefined, seed, true);
        return { ...plain, stepSoftTargets: randomStepTargets(plain, seed) };
      });
      const single = new Trainer(withDropout, weights, { seed: 3, learningRate: 0.01 });
      const parallel = new ParallelTrainer(withDropout, weights, {
        seed: 3,
        learningRate: 0.01,
        helperScript: ENGINE_HELPER_SCRIPT,
        onWarning: (message) => assert.fail(message),
      });
      try {
        assert.ok(await parallel.whenHelperReady(), 'helper thread started');
        for (const batch of batches) {
          const one = single.trainBatch(batch);
          const two = parallel.trainBatch(batch);
          assert.ok(Math.abs(one.loss - two.loss) < 1e-5, `loss ${one.loss} vs ${two.loss}`);
        }
        assert.strictEqual(parallel.helperSteps, batches.length);
        flattenWeights(parallel.weights).forEach((w, i) =>
          assert.ok(maxAbsDiff(w, flattenWeights(single.weights)[i]) < 1e-5, `weight ${i}`),
        );
      } finally {
        await parallel.dispose();
      }
    });
  });
});
