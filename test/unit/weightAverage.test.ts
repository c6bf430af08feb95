import * as assert from 'assert';
import { initWeights, Random } from '../../src/core/engine';
import { flattenWeights, type Architecture, type NetworkWeights } from '../../src/core/model/architecture';
import { WeightAverage } from '../../src/core/training/weightAverage';
import { WEIGHT_AVERAGE_WASM_BASE64 } from '../../src/core/training/weightAverageBinary';
import { assembleWeightAverageKernel } from '../../scripts/weightAverageWat';

/** The moving average as plain JavaScript: the expression the kernel must match bit for bit. */
function referenceUpdate(average: Float32Array[], current: Float32Array[], decay: number): void {
  const keep = Math.fround(decay);
  const take = 1 - keep;
  average.forEach((target, i) => {
    for (let j = 0; j < target.length; j++) target[j] = keep * target[j] + take * current[i][j];
  });
}

function perturb(weights: NetworkWeights, random: Random, scale: number): void {
  for (const array of flattenWeights(weights))
    for (let j = 0; j < array.length; j++) array[j] += scale * (random.next() - 0.5);
}

describe('WeightAverage', () => {
  // Odd sizes everywhere, so every array ends in a partial group of four values.
  const arch: Architecture = {
    vocabSize: 37,
    embeddingDim: 7,
    cell: 'gru',
    units: 5,
    layers: 2,
    numClasses: 3,
    dropout: 0.5,
  };

  it('gives the same float32 values as the JavaScript expression, over many updates', () => {
    const random = new Random(3);
    const current = initWeights(arch, 1);
    for (const decay of [0.99, 0.9, 0.5]) {
      const average = new WeightAverage(arch, current, decay);
      const expected = flattenWeights(current).map((a) => a.slice());
      for (let step = 0; step < 50; step++) {
        perturb(current, random, step % 7 === 0 ? 10 : 0.1);
        average.update(current);
        referenceUpdate(expected, flattenWeights(current), decay);
      }
      const actual = flattenWeights(average.weights);
      actual.forEach((array, i) =>
        assert.deepEqual(
          Buffer.from(array.buffer, array.byteOffset, array.byteLength),
          Buffer.from(expected[i].buffer, expected[i].byteOffset, expected[i].byteLength),
          `array ${i} differs with decay ${decay}`,
        ),
      );
    }
  });

  it('starts at a copy of the weights it is given and leaves them alone', () => {
    const current = initWeights(arch, 2);
    const before = flattenWeights(current).map((a) => a.slice());
    const average = new WeightAverage(arch, current, 0.99);
    assert.deepEqual(flattenWeights(average.weights), before);
    perturb(current, new Random(4), 1);
    const changed = flattenWeights(current).map((a) => a.slice());
    average.update(current);
    assert.deepEqual(flattenWeights(current), changed);
    assert.notDeepEqual(flattenWeights(average.weights), before);
  });

  it('refuses weights of another shape', () => {
    const average = new WeightAverage(arch, initWeights(arch, 1), 0.99);
    const other = initWeights({ ...arch, units: 6 }, 1);
    assert.throws(() => average.update(other), /expected/);
  });

  it('runs the checked-in kernel binary, assembled from scripts/weightAverageWat.ts', async () => {
    assert.equal(Buffer.from(await assembleWeightAverageKernel()).toString('base64'), WEIGHT_AVERAGE_WASM_BASE64);
  });
});
