import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Batch } from '../../src/core/model/batching';
import { ensureBackend } from '../../src/core/model/tfBackend';
import {
  flattenWeights,
  weightShapes,
  type Architecture,
  type CellType,
  type NetworkWeights,
} from '../../src/core/model/architecture';
import {
  clipByGlobalNorm,
  computeGradients,
  globalNorm,
  initWeights,
  predict,
  Predictor,
  Random,
  Trainer,
} from '../../src/core/engine';
import { assembleKernels, assembleOptimizer } from '../../scripts/kernelsWat';
import {
  KERNELS_RELAXED_WASM_BASE64,
  KERNELS_WASM_BASE64,
  OPTIMIZER_WASM_BASE64,
} from '../../src/core/engine/kernelsBinary';
import { NetworkEngine, type EngineGradients } from '../../src/core/engine/network';
import { Workspace } from '../../src/core/engine/kernels';
import { randomState } from '../../src/core/engine/random';
import { maxAbsDiff, randomBatch } from './engineBatches';

function makeArch(cell: CellType, layers: number, embeddingDim: number, units: number, dropout = 0): Architecture {
  return { cell, vocabSize: 23, embeddingDim, units, layers, numClasses: 3, dropout };
}

/** predict() on the float kernels (the path that matches tfjs to float rounding). */
function floatPredict(arch: Architecture, weights: NetworkWeights, batch: Batch) {
  return new Predictor(arch, weights, { threads: 1, integerKernels: false }).predict(batch);
}

/** Adds `extra` padding columns to a batch. */
function widen(batch: Batch, extra: number): Batch {
  const T = batch.timeSteps + extra;
  const ids = new Int32Array(batch.batchSize * T);
  const stepLabels = batch.stepLabels ? new Int32Array(batch.batchSize * T).fill(-1) : undefined;
  for (let b = 0; b < batch.batchSize; b++) {
    ids.set(batch.ids.subarray(b * batch.timeSteps, (b + 1) * batch.timeSteps), b * T);
    stepLabels?.set(batch.stepLabels!.subarray(b * batch.timeSteps, (b + 1) * batch.timeSteps), b * T);
  }
  return { ...batch, ids, timeSteps: T, ...(stepLabels ? { stepLabels } : {}) };
}

/** The same network as a tfjs Layers model with the given weights. */
function tfjsModel(arch: Architecture, weights: NetworkWeights, timeSteps: number): tfl.LayersModel {
  const input = tfl.input({ shape: [timeSteps], dtype: 'int32' });
  let x = tfl.layers
    .embedding({ inputDim: arch.vocabSize, outputDim: arch.embeddingDim })
    .apply(input) as tfl.SymbolicTensor;
  for (let l = 0; l < arch.layers; l++) {
    const common = { units: arch.units, returnSequences: true };
    const layer =
      arch.cell === 'gru'
        ? tfl.layers.gru({ ...common, recurrentActivation: 'sigmoid' })
        : arch.cell === 'lstm'
          ? tfl.layers.lstm({ ...common, recurrentActivation: 'sigmoid' })
          : tfl.layers.simpleRNN(common);
    x = layer.apply(x) as tfl.SymbolicTensor;
  }
  const output = tfl.layers.dense({ units: arch.numClasses, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  const shapes = weightShapes(arch);
  model.setWeights(flattenWeights(weights).map((w, i) => tf.tensor(w, shapes[i].shape)));
  return model;
}

/** Loss mask [B, T, C]: 1/count at each loss position's label (final token or labelled steps). */
function lossMask(arch: Architecture, batch: Batch): tf.Tensor {
  const C = arch.numClasses;
  const mask = new Float32Array(batch.batchSize * batch.timeSteps * C);
  const positions: number[] = [];
  for (let b = 0; b < batch.batchSize; b++) {
    if (batch.stepLabels) {
      for (let t = 0; t < batch.lengths[b]; t++) {
        const label = batch.stepLabels[b * batch.timeSteps + t];
        if (label >= 0) positions.push((b * batch.timeSteps + t) * C + label);
      }
    } else {
      positions.push((b * batch.timeSteps + batch.lengths[b] - 1) * C + batch.labels![b]);
    }
  }
  for (const p of positions) mask[p] = 1 / positions.length;
  return tf.tensor(mask, [batch.batchSize, batch.timeSteps, C]);
}

/** Loss and gradients (flat, weightShapes order) from tfjs autodiff through the Layers model. */
function tfjsGradients(
  arch: Architecture,
  weights: NetworkWeights,
  batch: Batch,
): { loss: number; grads: Float32Array[] } {
  const model = tfjsModel(arch, weights, batch.timeSteps);
  const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const ids = tf.tensor2d(batch.ids, [batch.batchSize, batch.timeSteps], 'int32');
  const mask = lossMask(arch, batch);
  const { value, grads } = tf.variableGrads(() => {
    const probs = model.apply(ids, { training: false }) as tf.Tensor;
    return tf.neg(tf.sum(tf.mul(mask, tf.log(probs)))) as tf.Scalar;
  }, variables);
  const result = { loss: value.dataSync()[0], grads: variables.map((v) => grads[v.name].dataSync() as Float32Array) };
  tf.dispose([value, ids, mask, ...Object.values(grads)]);
  model.dispose();
  return result;
}

/** The tfjs Layers model's softmax after every step of `batch` ([B, T, C]). */
function tfjsStepProbabilities(arch: Architecture, weights: NetworkWeights, batch: Batch): Float32Array {
  const model = tfjsModel(arch, weights, batch.timeSteps);
  const ids = tf.tensor2d(batch.ids, [batch.batchSize, batch.timeSteps], 'int32');
  const out = model.predict(ids) as tf.Tensor;
  const probabilities = out.dataSync() as Float32Array;
  tf.dispose([ids, out]);
  model.dispose();
  return probabilities;
}

function maxAbs(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return max;
}

const configurations: [CellType, number, number, number][] = [
  ['gru', 1, 8, 16],
  ['gru', 2, 5, 6],
  ['lstm', 1, 8, 8],
  ['lstm', 2, 5, 6],
  ['simple', 1, 8, 16],
  ['simple', 2, 5, 6],
  // Units a multiple of 8, embedding not (as the bundled models' 128 and 100): only the input is padded.
  ['gru', 1, 5, 8],
  ['lstm', 2, 5, 8],
];

describe('engine', () => {
  before(async () => {
    await ensureBackend();
  });

  it('keep_mask draws the same masks as Random.fillKeepMask, four streams at a time, for 1 to 4 lanes', () => {
    const ws = new Workspace();
    const H = 37;
    const stride = 40;
    const states = ws.alloc(1, 4);
    const out = ws.alloc(4, stride, stride);
    ws.commit();
    for (const keep of [0.5, 0.3, 0.77]) {
      for (let lanes = 1; lanes <= 4; lanes++) {
        const seeds = [11, 22, 33, 44].map((s) => s * lanes + Math.round(keep * 100));
        const stateView = new Uint32Array(ws.data.buffer, states.offset * 4, 4);
        seeds.forEach((seed, q) => (stateView[q] = randomState(seed)));
        ws.data.fill(-1, out.offset, out.offset + 4 * stride);
        const expected = new Float32Array(4 * stride).fill(-1);
        const streams = seeds.map((seed) => new Random(seed));
        for (let step = 0; step < 3; step++) {
          const threshold = Math.ceil(keep * 4294967296);
          ws.kernels.keep_mask(states.offset * 4, lanes, H, stride * 4, out.offset * 4, threshold | 0, 1 / keep);
          for (let q = 0; q < lanes; q++) streams[q].fillKeepMask(expected, q * stride, H, keep, 1 / keep);
          assert.deepStrictEqual(
            ws.data.slice(out.offset, out.offset + 4 * stride),
            expected,
            `keep ${keep}, lanes ${lanes}`,
          );
        }
      }
    }
  });

  it('column_sums adds each column of f32 rows in float64, row by row, as a float64 loop does', () => {
    const ws = new Workspace();
    const rows = 301;
    const cols = 24;
    const ld = 32;
    const src = ws.alloc(rows, ld, ld);
    const sums = ws.alloc(1, 2 * cols);
    ws.commit();
    const random = new Random(5);
    for (let i = 0; i < rows * ld; i++) ws.data[src.offset + i] = (random.next() - 0.5) * 10 ** random.int(8);
    ws.data.fill(0, sums.offset, sums.offset + 2 * cols);
    ws.kernels.column_sums(rows, cols, src.offset * 4, ld, sums.offset * 4);
    const expected = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expected[c] += ws.data[src.offset + r * ld + c];
    assert.deepStrictEqual(new Float64Array(ws.data.buffer, sums.offset * 4, cols).slice(), expected);
  });

  it('checked-in kernel binaries (plain, relaxed SIMD, optimizer) match the WebAssembly text source', async () => {
    assert.strictEqual(Buffer.from(await assembleKernels()).toString('base64'), KERNELS_WASM_BASE64);
    assert.strictEqual(Buffer.from(await assembleKernels(true)).toString('base64'), KERNELS_RELAXED_WASM_BASE64);
    assert.strictEqual(Buffer.from(await assembleOptimizer()).toString('base64'), OPTIMIZER_WASM_BASE64);
  });

  for (const [cell, layers, E, H] of configurations) {
    it(`predict matches the tfjs Layers model per step (${cell}, ${layers} layer(s), E=${E}, H=${H})`, () => {
      const arch = makeArch(cell, layers, E, H);
      const weights = initWeights(arch, 11);
      const batch = randomBatch(arch, [7, 1, 4, 7, 2], 7, 5);
      const ours = floatPredict(arch, weights, batch);
      const theirs = tfjsStepProbabilities(arch, weights, batch);
      const C = arch.numClasses;
      let maxDiff = 0;
      for (let b = 0; b < batch.batchSize; b++) {
        const len = batch.lengths[b];
        for (let t = 0; t < batch.timeSteps; t++) {
          for (let k = 0; k < C; k++) {
            const at = (b * batch.timeSteps + t) * C + k;
            if (t < len) maxDiff = Math.max(maxDiff, Math.abs(ours.stepProbabilities[at] - theirs[at]));
            else assert.strictEqual(ours.stepProbabilities[at], 0);
          }
          if (t === len - 1) {
            for (let k = 0; k < C; k++)
              assert.strictEqual(
                ours.finalProbabilities[b * C + k],
                ours.stepProbabilities[(b * batch.timeSteps + t) * C + k],
              );
          }
        }
      }
      assert.ok(maxDiff < 1e-5, `max difference ${maxDiff}`);
    });

    it(`predict with the integer kernels (the default) stays within 2e-3 of the tfjs Layers model per step (${cell}, ${layers} layer(s), E=${E}, H=${H})`, () => {
      const arch = makeArch(cell, layers, E, H);
      const weights = initWeights(arch, 11);
      const batch = randomBatch(arch, [7, 1, 4, 7, 2], 7, 5);
      const ours = predict(arch, weights, batch);
      assert.ok(new Predictor(arch, weights, { threads: 1 }).integerKernels);
      const theirs = tfjsStepProbabilities(arch, weights, batch);
      let diff = 0;
      for (let b = 0; b < batch.batchSize; b++) {
        const real = (b * batch.timeSteps + batch.lengths[b]) * arch.numClasses;
        const from = b * batch.timeSteps * arch.numClasses;
        diff = Math.max(diff, maxAbsDiff(ours.stepProbabilities.subarray(from, real), theirs.subarray(from, real)));
      }
      assert.ok(diff < 2e-3 && diff > 0, `max difference ${diff}`);
    });

    for (const stepLoss of [false, true]) {
      it(`gradients match tfjs autodiff (${cell}, ${layers} layer(s), E=${E}, H=${H}, ${stepLoss ? 'per-step' : 'final-token'} loss)`, () => {
        const arch = makeArch(cell, layers, E, H);
        const weights = initWeights(arch, 3);
        const batch = randomBatch(arch, [6, 2, 6, 3, 1, 5], 6, 9, stepLoss);
        const ours = computeGradients(arch, weights, batch);
        const theirs = tfjsGradients(arch, weights, batch);
        assert.ok(Math.abs(ours.loss - theirs.loss) < 1e-5, `loss ${ours.loss} vs ${theirs.loss}`);
        const names = weightShapes(arch).map((s) => s.name);
        flattenWeights(ours.gradients).forEach((grad, i) => {
          const scale = Math.max(maxAbs(theirs.grads[i]), 1e-3);
          const diff = maxAbsDiff(grad, theirs.grads[i]);
          assert.ok(diff / scale < 1e-4 && diff < 1e-5, `${names[i]}: max difference ${diff} (scale ${scale})`);
        });
      });
    }
  }

  for (const classes of [2, 5, 9]) {
    it(`the dense layer and softmax of every step match tfjs with ${classes} classes and large logits`, () => {
      const arch: Architecture = { ...makeArch('gru', 1, 8, 13), numClasses: classes };
      const weights = initWeights(arch, 21);
      const rng = new Random(22);
      weights.dense.kernel.forEach((_, i) => (weights.dense.kernel[i] = 16 * (rng.next() - 0.5)));
      weights.dense.bias.forEach((_, i) => (weights.dense.bias[i] = 4 * (rng.next() - 0.5)));
      const batch = randomBatch(arch, [9, 4, 1, 9, 6, 2, 8], 9, 23);
      const ours = floatPredict(arch, weights, batch);
      const theirs = tfjsStepProbabilities(arch, weights, batch);
      let maxDiff = 0;
      let minProbability = 1;
      for (let b = 0; b < batch.batchSize; b++) {
        for (let t = 0; t < batch.lengths[b]; t++) {
          let sum = 0;
          for (let k = 0; k < classes; k++) {
            const at = (b * batch.timeSteps + t) * classes + k;
            maxDiff = Math.max(maxDiff, Math.abs(ours.stepProbabilities[at] - theirs[at]));
            minProbability = Math.min(minProbability, ours.stepProbabilities[at]);
            sum += ours.stepProbabilities[at];
          }
          assert.ok(Math.abs(sum - 1) < 1e-6, `probabilities sum to ${sum}`);
        }
      }
      assert.ok(maxDiff < 1e-5, `max difference ${maxDiff}`);
      assert.ok(minProbability < 1e-3, 'the logits were spread widely enough to test the softmax');
    });
  }

  it('extra padding columns change neither predictions nor gradients', () => {
    for (const cell of ['gru', 'lstm', 'simple'] as const) {
      const arch = makeArch(cell, 2, 8, 8);
      const weights = initWeights(arch, 4);
      for (const stepLoss of [false, true]) {
        const batch = randomBatch(arch, [5, 3, 1, 5], 5, 2, stepLoss);
        const wide = widen(batch, 4);
        const narrowPrediction = predict(arch, weights, batch);
        const widePrediction = predict(arch, weights, wide);
        assert.deepStrictEqual(widePrediction.finalProbabilities, narrowPrediction.finalProbabilities);
        const C = arch.numClasses;
        for (let b = 0; b < batch.batchSize; b++) {
          assert.deepStrictEqual(
            widePrediction.stepProbabilities.subarray(
              b * wide.timeSteps * C,
              (b * wide.timeSteps + batch.timeSteps) * C,
            ),
            narrowPrediction.stepProbabilities.subarray(b * batch.timeSteps * C, (b + 1) * batch.timeSteps * C),
          );
        }
        const narrowGrads = flattenWeights(computeGradients(arch, weights, batch).gradients);
        const wideGrads = flattenWeights(computeGradients(arch, weights, wide).gradients);
        narrowGrads.forEach((g, i) => assert.deepStrictEqual(wideGrads[i], g));
      }
    }
  });

  it('a length-0 sentence gets the softmax of the dense bias and the batch order does not matter', () => {
    const arch = makeArch('gru', 1, 8, 8);
    const weights = initWeights(arch, 1);
    weights.dense.bias.set([0.5, -1, 2]);
    const batch = randomBatch(arch, [3, 0, 4], 4, 8);
    const result = new Predictor(arch, weights, { threads: 1 }).predict(batch);
    const exps = [0.5, -1, 2].map(Math.exp);
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, k) => assert.ok(Math.abs(result.finalProbabilities[3 + k] - e / total) < 1e-6));
    const single = predict(arch, weights, {
      ids: batch.ids.subarray(8, 12),
      lengths: Int32Array.of(4),
      batchSize: 1,
      timeSteps: 4,
    });
    assert.ok(maxAbsDiff(single.finalProbabilities, result.finalProbabilities.subarray(6, 9)) < 1e-6);
  });

  it('the cached input projection gives bit-identical probabilities, also when ids are new in a later batch', () => {
    const arch = makeArch('gru', 1, 8, 16);
    const weights = initWeights(arch, 12);
    const predictor = new Predictor(arch, weights, { threads: 1 });
    for (const [seed, lengths] of [
      [1, [7, 3, 5]],
      [2, [6, 6, 1, 2]],
      [3, [7, 7]],
    ] as [number, number[]][]) {
      const batch = randomBatch(arch, lengths, 7, seed);
      const cached = predictor.predict(batch);
      const plain = new NetworkEngine({ integerKernels: predictor.integerKernels }).predict(arch, weights, batch);
      assert.deepStrictEqual(cached.stepProbabilities, plain.stepProbabilities);
      assert.deepStrictEqual(cached.finalProbabilities, plain.finalProbabilities);
    }
  });

  it('memory left by earlier, larger batches never leaks into the padding (embedding not a multiple of 8)', () => {
    const arch = makeArch('gru', 1, 5, 8);
    const weights = initWeights(arch, 4);
    const engine = new NetworkEngine();
    // Fill the workspace with non-zero values from bigger batches first, inference and training.
    for (let i = 0; i < 3; i++) {
      engine.predict(arch, weights, randomBatch(arch, [9, 9, 8, 9, 7, 9], 9, 20 + i));
      engine.lossAndGradients(arch, weights, randomBatch(arch, [9, 9, 8, 9, 7, 9], 9, 30 + i), undefined);
    }
    for (const [seed, lengths] of [
      [1, [4, 2]],
      [2, [5, 1, 3]],
    ] as [number, number[]][]) {
      const batch = randomBatch(arch, lengths, 5, seed);
      assert.deepStrictEqual(engine.predict(arch, weights, batch), new NetworkEngine().predict(arch, weights, batch));
      const reused = engine.lossAndGradients(arch, weights, batch, undefined);
      const fresh = new NetworkEngine().lossAndGradients(arch, weights, batch, undefined);
      assert.strictEqual(reused.loss, fresh.loss);
      assert.deepStrictEqual(reused.gradients, fresh.gradients);
    }
  });

  it('one Trainer step without clipping equals tfjs Adam on the tfjs gradients', () => {
    const arch = makeArch('gru', 1, 8, 8);
    const weights = initWeights(arch, 6);
    const batch = randomBatch(arch, [5, 2, 4], 5, 1);
    const trainer = new Trainer(arch, weights, { clipNorm: Infinity, learningRate: 0.01 });
    trainer.trainBatch(batch);
    trainer.trainBatch(batch);
    const model = tfjsModel(arch, weights, batch.timeSteps);
    const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    const ids = tf.tensor2d(batch.ids, [batch.batchSize, batch.timeSteps], 'int32');
    const mask = lossMask(arch, batch);
    for (let step = 0; step < 2; step++) {
      const { value, grads } = tf.variableGrads(() => {
        const probs = model.apply(ids, { training: false }) as tf.Tensor;
        return tf.neg(tf.sum(tf.mul(mask, tf.log(probs)))) as tf.Scalar;
      }, variables);
      optimizer.applyGradients(grads as tf.NamedTensorMap as Parameters<typeof optimizer.applyGradients>[0]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const expected = variables.map((v) => v.dataSync());
    flattenWeights(trainer.weights).forEach((w, i) => {
      const diff = maxAbsDiff(w, expected[i]);
      assert.ok(diff < 2e-5, `weight ${i}: max difference ${diff}`);
    });
    tf.dispose([ids, mask]);
    optimizer.dispose();
    model.dispose();
  });

  it('the trainer does not change the weights it was given, and is deterministic with dropout', () => {
    const arch = makeArch('lstm', 2, 8, 8, 0.5);
    const weights = initWeights(arch, 2);
    const before = flattenWeights(weights).map((w) => w.slice());
    const batch = randomBatch(arch, [4, 3, 2], 4, 3);
    const runs = [0, 1].map(() => {
      const trainer = new Trainer(arch, weights, { seed: 9 });
      for (let i = 0; i < 3; i++) trainer.trainBatch(batch);
      return flattenWeights(trainer.weights);
    });
    runs[0].forEach((w, i) => assert.deepStrictEqual(runs[1][i], w));
    flattenWeights(weights).forEach((w, i) => assert.deepStrictEqual(w, before[i]));
    assert.ok(maxAbsDiff(runs[0][1], before[1]) > 0, 'weights moved');
  });

  it("a step's gradient norm is exactly globalNorm of the engine's gradients (same values, same order)", () => {
    const arch = makeArch('gru', 1, 12, 8, 0.5);
    const weights = initWeights(arch, 4);
    const batch = randomBatch(arch, [6, 4, 5, 2, 6], 6, 8);
    const gradients = new NetworkEngine().lossAndGradients(arch, weights, batch, { seed: 3, step: 0 }).gradients;
    const trainer = new Trainer(arch, weights, { seed: 3, clipNorm: 0 });
    assert.strictEqual(trainer.trainBatch(batch).gradientNorm, globalNorm(gradients));
  });

  it('clipping scales the global norm down to clipNorm when it exceeds it, and leaves smaller norms alone', () => {
    const make = (scale: number): EngineGradients => ({
      embedding: { rows: Int32Array.of(3, 7), values: Float32Array.from({ length: 8 }, (_, i) => scale * (i - 3)) },
      rnn: [
        {
          kernel: Float32Array.of(scale, -scale),
          recurrentKernel: Float32Array.of(2 * scale),
          bias: Float32Array.of(scale),
        },
      ],
      dense: { kernel: Float32Array.of(-scale), bias: Float32Array.of(0.5 * scale) },
    });
    const big = make(10);
    const before = clipByGlobalNorm(big, 5);
    assert.ok(before > 5);
    assert.ok(Math.abs(globalNorm(big) - 5) < 1e-5, `norm after clipping ${globalNorm(big)}`);
    const small = make(0.01);
    const smallNorm = globalNorm(small);
    clipByGlobalNorm(small, 5);
    assert.strictEqual(globalNorm(small), smallNorm);
  });

  it('training on a small separable task drives the loss down', () => {
    // Label = whether the first word is one of the "positive" ids 2..6 (ids 7..11 otherwise).
    const arch: Architecture = {
      cell: 'gru',
      vocabSize: 12,
      embeddingDim: 8,
      units: 8,
      layers: 1,
      numClasses: 2,
      dropout: 0,
    };
    const rng = new Random(5);
    const makeBatch = (): Batch => {
      const B = 16;
      const T = 8;
      const ids = new Int32Array(B * T);
      const lengths = new Int32Array(B);
      const labels = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        lengths[b] = 3 + rng.int(6);
        for (let t = 0; t < lengths[b]; t++) ids[b * T + t] = 2 + rng.int(10);
        labels[b] = ids[b * T] <= 6 ? 1 : 0;
      }
      return { ids, lengths, labels, batchSize: B, timeSteps: T };
    };
    const trainer = new Trainer(arch, initWeights(arch, 1), { learningRate: 0.01, seed: 1 });
    const evalBatches = Array.from({ length: 4 }, makeBatch);
    const meanLoss = () =>
      evalBatches.reduce((sum, b) => sum + computeGradients(arch, trainer.weights, b).loss, 0) / evalBatches.length;
    const initial = meanLoss();
    for (let step = 0; step < 300; step++) trainer.trainBatch(makeBatch());
    const final = meanLoss();
    assert.ok(final < 0.2 * initial && final < 0.15, `loss ${initial} -> ${final}`);
  });
});
