/**
 * Run by enginePredict.test.ts in a child process started with --experimental-wasm-relaxed-simd:
 * prints as JSON whether relaxed SIMD is available, whether a Predictor's engine uses it, and how far
 * its probabilities (1 and 2 threads) are from the plain kernels (both with the Predictor's integer setting; a Trainer's weights never use it).
 */
import { initWeights, Predictor, relaxedSimdAvailable } from '../../src/core/engine';
import { NetworkEngine } from '../../src/core/engine/network';
import type { Architecture } from '../../src/core/model/architecture';
import { maxAbsDiff, randomBatch } from './engineBatches';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

async function main(): Promise<void> {
  const arch: Architecture = {
    cell: 'gru',
    vocabSize: 300,
    embeddingDim: 20,
    units: 24,
    layers: 1,
    numClasses: 3,
    dropout: 0,
  };
  const weights = initWeights(arch, 5);
  const lengths = Array.from({ length: 40 }, (_, i) => 1 + ((i * 7) % 19));
  const batch = randomBatch(arch, lengths, undefined, 9);
  const trainerWeights = initWeights(arch, 6);
  const one = new Predictor(arch, weights, { threads: 1 });
  const two = new Predictor(arch, weights, { threads: 2, helperScript: ENGINE_HELPER_SCRIPT });
  await two.whenHelperReady();
  const plain = new NetworkEngine({ integerKernels: one.integerKernels }).predict(arch, weights, batch);
  const relaxed1 = one.predict(batch);
  const relaxed2 = two.predict(batch);
  await two.dispose();
  const engineOf = (p: Predictor) =>
    (p as unknown as { engine: { ws: { relaxedSimd: boolean } } }).engine.ws.relaxedSimd;
  process.stdout.write(
    JSON.stringify({
      available: relaxedSimdAvailable(),
      predictorUsesIt: engineOf(one),
      trainerWeightsUseIt: engineOf(new Predictor(arch, trainerWeights, { weightsChangeInPlace: true })),
      helperBatches: two.helperBatches,
      maxDiffFromPlain: Math.max(
        maxAbsDiff(relaxed1.stepProbabilities, plain.stepProbabilities),
        maxAbsDiff(relaxed1.finalProbabilities, plain.finalProbabilities),
      ),
      oneVsTwoThreads: Math.max(
        maxAbsDiff(relaxed1.stepProbabilities, relaxed2.stepProbabilities),
        maxAbsDiff(relaxed1.finalProbabilities, relaxed2.finalProbabilities),
      ),
    }),
  );
}

void main();
