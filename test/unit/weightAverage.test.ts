import * as assert from 'assert';
import {
  createTrainer,
  initWeights,
  ParallelTrainer,
  Random,
  Trainer,
  type TrainerOptions,
} from '../../src/core/engine';
import { flattenWeights, type Architecture, type NetworkWeights } from '../../src/core/model/architecture';
import { randomBatch } from './engineBatches';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

/** The moving average as plain JavaScript: the expression the trainer's kernels must match bit for bit. */
function referenceUpdate(average: Float32Array[], current: Float32Array[], decay: number): void {
  const keep = Math.fround(decay);
  const take = 1 - keep;
  average.forEach((target, i) => {
    for (let j = 0; j < target.length; j++) target[j] = keep * target[j] + take * current[i][j];
  });
}

const bytes = (array: Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

function assertSameBits(actual: NetworkWeights, expected: Float32Array[], what: string): void {
  flattenWeights(actual).forEach((array, i) =>
    assert.deepEqual(bytes(array), bytes(expected[i]), `${what}: array ${i}`),
  );
}

describe("Trainer: the weights' moving average (weightAveraging)", () => {
  // Odd sizes everywhere, so arrays end inside a group of four and of sixteen values.
  const arch: Architecture = {
    vocabSize: 37,
    embeddingDim: 7,
    cell: 'gru',
    units: 5,
    layers: 2,
    numClasses: 3,
    dropout: 0.5,
  };
  const rng = new Random(11);
  const batches = Array.from({ length: 12 }, (_, i) =>
    randomBatch(
      arch,
      Array.from({ length: 6 }, () => rng.int(9)),
      undefined,
      20 + i,
      i % 2 === 1,
    ),
  );

  /**
   * Trains `batches` with the average and, alongside, the same trainer without it, whose weights after
   * every step feed the JavaScript expression; the two averages must agree bit for bit after every step
   * (and the weights themselves must not depend on the average).
   */
  async function checkAgainstReference(options: TrainerOptions, decay: number, what: string): Promise<void> {
    const initial = initWeights(arch, 3);
    const averaged = createTrainer(arch, initial, { ...options, weightAveraging: decay });
    const plain = createTrainer(arch, initial, options);
    try {
      if (averaged instanceof ParallelTrainer) assert.ok(await averaged.whenHelperReady(), 'helper thread ready');
      let expected: Float32Array[] | undefined;
      for (const [step, batch] of batches.entries()) {
        averaged.trainBatch(batch);
        plain.trainBatch(batch);
        const current = flattenWeights(plain.weights);
        if (expected) referenceUpdate(expected, current, decay);
        else expected = current.map((array) => array.slice());
        assertSameBits(averaged.weights, current, `${what}, weights after step ${step + 1}`);
        assertSameBits(averaged.averageWeights!, expected, `${what}, average after step ${step + 1}`);
      }
      if (averaged instanceof ParallelTrainer) assert.equal(averaged.threads, 2, 'the helper thread took part');
    } finally {
      await Promise.all([averaged.dispose(), plain.dispose()]);
    }
  }

  for (const decay of [0.99, 0.9, 0.5]) {
    it(`equals the JavaScript expression after every step, decay ${decay} (1 thread)`, async () => {
      await checkAgainstReference({ threads: 1, seed: 5, learningRate: 0.05 }, decay, `decay ${decay}`);
    });
  }

  it('equals it with 2 threads (the helper averages its part of the weights in its Adam sweep)', async () => {
    await checkAgainstReference(
      { threads: 2, seed: 5, learningRate: 0.05, helperScript: ENGINE_HELPER_SCRIPT },
      0.99,
      '2 threads',
    );
  });

  it('equals it with a frozen embedding (averaged without an Adam step)', async () => {
    await checkAgainstReference({ threads: 1, seed: 5, learningRate: 0.05, trainEmbedding: false }, 0.9, 'frozen');
    await checkAgainstReference(
      { threads: 2, seed: 5, learningRate: 0.05, trainEmbedding: false, helperScript: ENGINE_HELPER_SCRIPT },
      0.9,
      'frozen, 2 threads',
    );
  });

  it("equals it with the lazy embedding update (Adam's rows in JavaScript)", async () => {
    await checkAgainstReference({ threads: 1, seed: 5, learningRate: 0.05, embeddingUpdate: 'lazy' }, 0.9, 'lazy');
  });

  it('starts at a copy of the first step’s weights, and is absent without the option', () => {
    const trainer = new Trainer(arch, initWeights(arch, 2), { seed: 1, weightAveraging: 0.99 });
    trainer.trainBatch(batches[0]);
    assert.deepEqual(flattenWeights(trainer.averageWeights!), flattenWeights(trainer.weights));
    trainer.trainBatch(batches[1]);
    assert.notDeepEqual(flattenWeights(trainer.averageWeights!), flattenWeights(trainer.weights));
    assert.equal(new Trainer(arch, initWeights(arch, 2)).averageWeights, undefined);
  });

  it('refuses a decay outside [0, 1)', () => {
    for (const decay of [1, -0.1, NaN])
      assert.throws(() => new Trainer(arch, initWeights(arch, 2), { weightAveraging: decay }), /weightAveraging/);
  });
});
