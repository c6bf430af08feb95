import * as assert from 'assert';
import { readFileSync } from 'fs';
import type { Architecture, CellType } from '../../src/core/model/architecture';
import { Classifier } from '../../src/core/classify/classifier';
import { initWeights, Predictor, Random, SPLIT_MIN_TOKENS } from '../../src/core/engine';
import { Workspace } from '../../src/core/engine/kernels';
import { InputProjectionCache, NetworkEngine } from '../../src/core/engine/network';
import { quantizationLimit, quantizeColumns } from '../../src/core/engine/quantized';
import { loadClassifierModel } from '../../src/core/training/modelFiles';
import { maxAbsDiff, randomLengthsBatch as randomBatch } from './engineBatches';
import { dataPath, needsData } from './fullData';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

const arch = (cell: CellType, units = 20, layers = 1): Architecture => ({
  cell,
  vocabSize: 300,
  embeddingDim: 12,
  units,
  layers,
  numClasses: 3,
  dropout: 0,
});

/** A random integer in [-limit, limit]. */
function randomInt(rng: Random, limit: number): number {
  return rng.int(2 * limit + 1) - limit;
}

describe('engine: integer inference kernels', () => {
  it('qgemm gives the exact int32 sums of a plain JavaScript product (converted to float and scaled once)', () => {
    const rng = new Random(7);
    for (const [M, N, K, limit] of [
      [1, 8, 2, 100],
      [7, 16, 40, 300],
      [13, 24, 128, 4095],
      [9, 8, 512, quantizationLimit(512)],
      [64, 384, 128, quantizationLimit(128)],
    ]) {
      const ws = new Workspace();
      const a = ws.alloc(M, K / 2, K / 2); // int16 [M, K]: K / 2 f32 slots per row
      const b = ws.alloc(K / 2, N, N); // int16 pairs [K / 2, N]
      const c = ws.alloc(M, N);
      const sa = ws.alloc(1, M);
      const sb = ws.alloc(1, N);
      ws.commit();
      const A = Array.from({ length: M * K }, () => randomInt(rng, limit));
      const B = Array.from({ length: K * N }, () => randomInt(rng, limit));
      const memory16 = new Int16Array(ws.data.buffer);
      A.forEach((v, i) => (memory16[a.offset * 2 + i] = v));
      for (let k = 0; k < K; k++)
        for (let j = 0; j < N; j++) memory16[b.offset * 2 + ((k >> 1) * N + j) * 2 + (k & 1)] = B[k * N + j];
      const rowScale = Array.from({ length: M }, () => rng.next() + 0.5);
      const colScale = Array.from({ length: N }, () => rng.next() + 0.5);
      ws.data.set(rowScale, sa.offset);
      ws.data.set(colScale, sb.offset);
      const initial = Array.from({ length: M * N }, () => rng.next() - 0.5);
      ws.data.set(initial, c.offset);
      ws.kernels.qgemm(
        M,
        N,
        K / 2,
        a.offset * 4,
        K * 2,
        b.offset * 4,
        N,
        c.offset * 4,
        N,
        sa.offset * 4,
        sb.offset * 4,
      );
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let sum = 0;
          for (let k = 0; k < K; k++) sum += A[i * K + k] * B[k * N + j];
          assert.ok(Math.abs(sum) <= 2 ** 31 - 1);
          const f = Math.fround;
          const expected = f(f(initial[i * N + j]) + f(f(sum) * f(f(rowScale[i]) * f(colScale[j]))));
          assert.strictEqual(ws.data[c.offset + i * N + j], expected, `M=${M} N=${N} K=${K} (${i}, ${j})`);
        }
      }
    }
  });

  it("qgemm_from gives exactly what qgemm gives after copying each row's addend into C", () => {
    const rng = new Random(8);
    for (const [M, N, K] of [
      [1, 8, 16],
      [9, 24, 40],
      [64, 256, 128],
    ]) {
      const limit = quantizationLimit(K);
      const ws = new Workspace();
      const a = ws.alloc(M, K / 2, K / 2);
      const b = ws.alloc(K / 2, N, N);
      const copied = ws.alloc(M, N);
      const inPlace = ws.alloc(M, N);
      const sa = ws.alloc(1, M);
      const sb = ws.alloc(1, N);
      const sources = ws.alloc(2 * M, N + 8); // rows of addends, read at column offset 8
      const addresses = ws.alloc(1, M);
      ws.commit();
      const memory16 = new Int16Array(ws.data.buffer);
      for (let i = 0; i < M * K; i++) memory16[a.offset * 2 + i] = randomInt(rng, limit);
      for (let i = 0; i < K * N; i++) memory16[b.offset * 2 + i] = randomInt(rng, limit);
      for (let i = 0; i < M; i++) ws.data[sa.offset + i] = rng.next() + 0.5;
      for (let j = 0; j < N; j++) ws.data[sb.offset + j] = rng.next() + 0.5;
      for (let i = 0; i < sources.rows * sources.ld; i++) ws.data[sources.offset + i] = rng.next() - 0.5;
      ws.data.fill(Number.NaN, inPlace.offset, inPlace.offset + M * N); // overwritten whole
      const rowOf = Array.from({ length: M }, () => rng.int(sources.rows));
      const memory32 = new Int32Array(ws.data.buffer);
      rowOf.forEach((row, i) => {
        memory32[addresses.offset + i] = (sources.offset + row * sources.ld) * 4;
        const from = sources.offset + row * sources.ld + 8;
        ws.data.copyWithin(copied.offset + i * N, from, from + N);
      });
      const args = [M, N, K / 2, a.offset * 4, K * 2, b.offset * 4, N] as const;
      ws.kernels.qgemm(...args, copied.offset * 4, N, sa.offset * 4, sb.offset * 4);
      ws.kernels.qgemm_from(...args, inPlace.offset * 4, N, sa.offset * 4, sb.offset * 4, addresses.offset * 4, 32);
      assert.deepStrictEqual(ws.view(inPlace), ws.view(copied), `M=${M} N=${N} K=${K}`);
    }
  });

  it('a projection cache gives the same probabilities when it moves to another engine or its engine runs uncached passes', () => {
    const a = arch('gru', 20, 2);
    const weights = initWeights(a, 24);
    const first = new NetworkEngine({ integerKernels: true });
    const second = new NetworkEngine({ integerKernels: true });
    const cache = new InputProjectionCache(a.vocabSize);
    const batches = [1, 2, 3, 4].map((seed) => randomBatch(a, 15, 20, seed));
    const expected = batches.map((batch) => new NetworkEngine({ integerKernels: true }).predict(a, weights, batch));
    batches.forEach((batch, k) => {
      assert.deepStrictEqual(first.predict(a, weights, batch, cache), expected[k], `batch ${k}, first engine`);
      assert.deepStrictEqual(first.predict(a, weights, batch), expected[k], `batch ${k}, uncached`);
      assert.deepStrictEqual(first.predict(a, weights, batch, cache), expected[k], `batch ${k}, after uncached`);
      assert.deepStrictEqual(second.predict(a, weights, batch, cache), expected[k], `batch ${k}, second engine`);
    });
    assert.ok(cache.rows > 0);
  });

  it('quantizationLimit keeps every int32 sum of K products in range', () => {
    for (const K of [8, 16, 128, 136, 256, 512, 1024, 4096]) {
      const q = quantizationLimit(K);
      assert.ok(K * q * q <= 2 ** 31 - 1, `K=${K}`);
      assert.ok(K * (q + 1) * (q + 1) > 2 ** 31 - 1 || q === 32767, `K=${K} could use more bits`);
    }
  });

  it('quantize_rows: |q| <= qmax, each value within half a step of its float, all-zero rows give zeros', () => {
    const rng = new Random(11);
    const rows = 9;
    const K = 40;
    const qmax = quantizationLimit(K);
    const ws = new Workspace();
    const src = ws.alloc(rows, K);
    const dst = ws.alloc(rows, K / 2, K / 2);
    const scales = ws.alloc(1, rows);
    ws.commit();
    const values = Array.from({ length: rows * K }, (_, i) =>
      Math.floor(i / K) === 4 ? 0 : (rng.next() - 0.5) * 10 ** (Math.floor(i / K) - 4),
    );
    ws.data.set(values, src.offset);
    ws.kernels.quantize_rows(rows, K, src.offset * 4, src.ld, dst.offset * 4, K, scales.offset * 4, qmax);
    const q = new Int16Array(ws.data.buffer, dst.offset * 4, rows * K);
    for (let r = 0; r < rows; r++) {
      const scale = ws.data[scales.offset + r];
      const max = Math.max(...values.slice(r * K, r * K + K).map(Math.abs));
      assert.ok(Math.abs(scale - max / qmax) <= 1e-6 * scale, `row ${r} scale`);
      for (let k = 0; k < K; k++) {
        const x = Math.fround(values[r * K + k]);
        assert.ok(Math.abs(q[r * K + k]) <= qmax);
        if (max === 0) assert.strictEqual(q[r * K + k], 0);
        else assert.ok(Math.abs(q[r * K + k] * scale - x) <= 0.5 * scale * (1 + 1e-5), `row ${r} col ${k}`);
      }
    }
  });

  it('quantizeColumns: |q| <= qmax and each weight within half a step of its column scale', () => {
    const rng = new Random(12);
    const [rows, cols] = [21, 16];
    const values = Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === 3 ? 0 : rng.next() * 4 - 2));
    const qmax = quantizationLimit(rows);
    const { pairs, scales } = quantizeColumns(values, rows, cols, cols, qmax);
    assert.strictEqual(pairs.length, 11 * cols * 2);
    for (let j = 0; j < cols; j++) {
      for (let k = 0; k < rows; k++) {
        const q = pairs[((k >> 1) * cols + j) * 2 + (k & 1)];
        assert.ok(Math.abs(q) <= qmax);
        assert.ok(Math.abs(q * scales[j] - values[k * cols + j]) <= 0.5 * scales[j] * (1 + 1e-5) + 1e-12);
      }
      for (let k = rows; k < 22; k++) assert.strictEqual(pairs[((k >> 1) * cols + j) * 2 + (k & 1)], 0);
    }
    assert.strictEqual(scales[3], 0);
  });

  for (const [cell, units, layers] of [
    ['gru', 20, 1],
    ['gru', 32, 2],
    ['lstm', 20, 2],
    ['simple', 13, 1],
  ] as [CellType, number, number][]) {
    it(`predicts within 2e-3 of the float kernels, with the same labels (${cell}, ${units} units, ${layers} layer(s))`, () => {
      const a = arch(cell, units, layers);
      const weights = initWeights(a, 21);
      const float = new Predictor(a, weights, { threads: 1, integerKernels: false });
      const integer = new Predictor(a, weights, { threads: 1, integerKernels: true });
      assert.ok(integer.integerKernels && !float.integerKernels);
      for (const seed of [1, 2, 3]) {
        const batch = randomBatch(a, 17, 25, seed);
        const f = float.predict(batch);
        const q = integer.predict(batch);
        const diff = maxAbsDiff(f.stepProbabilities, q.stepProbabilities);
        assert.ok(diff < 2e-3 && diff > 0, `per-step difference ${diff}`);
        for (let b = 0; b < batch.batchSize; b++) {
          const row = (p: Float32Array) => Array.from(p.subarray(b * 3, b * 3 + 3));
          const [fr, qr] = [row(f.finalProbabilities), row(q.finalProbabilities)];
          if (Math.abs(Math.max(...fr) - [...fr].sort((x, y) => y - x)[1]) > 4e-3)
            assert.strictEqual(qr.indexOf(Math.max(...qr)), fr.indexOf(Math.max(...fr)), `sentence ${b}`);
        }
      }
    });
  }

  it('is deterministic: the same probabilities across Predictors and whatever batch a sentence is in', () => {
    const a = arch('gru', 20, 2);
    const weights = initWeights(a, 22);
    const batch = randomBatch(a, 12, 20, 5);
    const first = new Predictor(a, weights, { threads: 1, integerKernels: true }).predict(batch);
    const again = new Predictor(a, weights, { threads: 1, integerKernels: true });
    assert.deepStrictEqual(again.predict(batch), first);
    const T = batch.timeSteps;
    for (const b of [0, 5, 11]) {
      const alone = again.predict({
        ids: batch.ids.slice(b * T, (b + 1) * T),
        lengths: batch.lengths.slice(b, b + 1),
        batchSize: 1,
        timeSteps: T,
      });
      assert.deepStrictEqual(alone.stepProbabilities, first.stepProbabilities.slice(b * T * 3, (b + 1) * T * 3));
    }
  });

  for (const [cell, layers] of [
    ['gru', 1],
    ['lstm', 2],
  ] as [CellType, number][]) {
    it(`2 threads give bit-identical probabilities to 1 thread (${cell}, ${layers} layer(s))`, async () => {
      const a = arch(cell, 20, layers);
      const weights = initWeights(a, 23);
      const one = new Predictor(a, weights, { threads: 1, integerKernels: true });
      const two = new Predictor(a, weights, { threads: 2, integerKernels: true, helperScript: ENGINE_HELPER_SCRIPT });
      try {
        assert.ok(await two.whenHelperReady());
        for (const batch of [randomBatch(a, 40, 24, 1), randomBatch(a, 64, 12, 3)]) {
          assert.ok(batch.lengths.reduce((x, y) => x + y, 0) >= SPLIT_MIN_TOKENS);
          assert.deepStrictEqual(two.predict(batch), one.predict(batch));
        }
        assert.strictEqual(two.helperBatches, 2);
      } finally {
        await two.dispose();
      }
    });
  }

  it("never runs on weights that change in place (a Trainer's, training's validation)", () => {
    const a = arch('gru');
    const weights = initWeights(a, 24);
    assert.strictEqual(
      new Predictor(a, weights, { integerKernels: true, weightsChangeInPlace: true }).integerKernels,
      false,
    );
  });

  it('a Classifier on the bundled model gives the same labels with float and integer kernels, trajectories within 2e-3', async function () {
    needsData(this, dataPath('rt-polaritydata', 'rt-polarity.neg'));
    const model = await loadClassifierModel(`${__dirname}/../../model/movie-reviews`);
    const texts = readFileSync(dataPath('rt-polaritydata', 'rt-polarity.neg'), 'latin1')
      .split('\n')
      .filter(Boolean)
      .slice(0, 300);
    const float = new Classifier(model, { threads: 1, integerKernels: false }).classifyMany(texts);
    const integer = new Classifier(model, { threads: 1, integerKernels: true }).classifyMany(texts);
    float.forEach((f, i) => {
      assert.strictEqual(integer[i].label, f.label);
      f.tokens.forEach((token, t) => {
        for (const label of model.labels)
          assert.ok(Math.abs(token.probabilities[label] - integer[i].tokens[t].probabilities[label]) < 2e-3);
      });
    });
  });
});
