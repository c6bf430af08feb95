import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Batch } from '../../src/core/model/batching';
import { Classifier } from '../../src/core/classify/classifier';
import type { Architecture, CellType } from '../../src/core/model/architecture';
import { loadClassifierModel } from '../../src/core/training/modelFiles';
import { initWeights, MissingHelperScriptError, Predictor, SPLIT_MIN_TOKENS, Trainer } from '../../src/core/engine';
import { randomLengthsBatch as randomBatch } from './engineBatches';
import { dataPath, needsData } from './fullData';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

function tokens(batch: Batch): number {
  return batch.lengths.reduce((a, b) => a + b, 0);
}

const arch = (cell: CellType, layers = 1): Architecture => ({
  cell,
  vocabSize: 300,
  embeddingDim: 12,
  units: 20,
  layers,
  numClasses: 3,
  dropout: 0,
});

describe('engine: inference (Predictor)', () => {
  for (const [cell, layers] of [
    ['gru', 1],
    ['lstm', 2],
  ] as [CellType, number][]) {
    it(`2 threads give bit-identical probabilities to 1 thread (${cell}, ${layers} layer(s)), the helper computing half of each large batch`, async () => {
      const a = arch(cell, layers);
      const weights = initWeights(a, 5);
      const one = new Predictor(a, weights, { threads: 1 });
      const two = new Predictor(a, weights, { threads: 2, helperScript: ENGINE_HELPER_SCRIPT });
      try {
        assert.ok(await two.whenHelperReady());
        const batches = [randomBatch(a, 40, 24, 1), randomBatch(a, 33, 30, 2), randomBatch(a, 64, 12, 3)];
        for (const batch of batches) {
          assert.ok(tokens(batch) >= SPLIT_MIN_TOKENS);
          const expected = one.predict(batch);
          const actual = two.predict(batch);
          assert.deepStrictEqual(actual.stepProbabilities, expected.stepProbabilities);
          assert.deepStrictEqual(actual.finalProbabilities, expected.finalProbabilities);
        }
        assert.strictEqual(two.helperBatches, batches.length);
        const small = randomBatch(a, 3, 4, 4);
        assert.deepStrictEqual(two.predict(small), one.predict(small));
        assert.strictEqual(two.helperBatches, batches.length, 'a batch below SPLIT_MIN_TOKENS is not split');
      } finally {
        await two.dispose();
      }
    });
  }

  it('after dispose() a large batch starts a new helper thread, with the same results meanwhile', async () => {
    const a = arch('gru');
    const weights = initWeights(a, 6);
    const predictor = new Predictor(a, weights, { threads: 2, helperScript: ENGINE_HELPER_SCRIPT });
    const batch = randomBatch(a, 40, 20, 7);
    const expected = new Predictor(a, weights, { threads: 1 }).predict(batch);
    try {
      assert.ok(await predictor.whenHelperReady());
      assert.deepStrictEqual(predictor.predict(batch), expected);
      await predictor.dispose();
      assert.deepStrictEqual(predictor.predict(batch), expected);
      assert.ok(await predictor.whenHelperReady());
      assert.deepStrictEqual(predictor.predict(batch), expected);
      assert.strictEqual(predictor.helperBatches, 2);
    } finally {
      await predictor.dispose();
    }
  });

  it('without a helper thread it warns once and predicts in one thread with the same results', async () => {
    const a = arch('gru');
    const weights = initWeights(a, 8);
    const warnings: string[] = [];
    const predictor = new Predictor(a, weights, {
      threads: 2,
      helperScript: path.join(__dirname, 'no-such-helper.js'),
      onWarning: (m) => warnings.push(m),
    });
    assert.strictEqual(await predictor.whenHelperReady(), false);
    const batch = randomBatch(a, 40, 20, 9);
    assert.deepStrictEqual(predictor.predict(batch), new Predictor(a, weights, { threads: 1 }).predict(batch));
    predictor.predict(batch);
    assert.strictEqual(warnings.length, 1);
    assert.match(warnings[0], /inference runs in one thread/);
    assert.strictEqual(predictor.helperBatches, 0);
  });

  it('throws without a helper script unless threads is 1 or the weights change in place, whatever the machine', () => {
    const a = arch('gru');
    const weights = initWeights(a, 8);
    assert.throws(() => new Predictor(a, weights), MissingHelperScriptError);
    assert.throws(() => new Predictor(a, weights, { threads: 2 }), /Predictor: threads is not 1 but no helperScript/);
    assert.doesNotThrow(() => new Predictor(a, weights, { threads: 1 }));
    assert.doesNotThrow(() => new Predictor(a, new Trainer(a, weights).weights, { weightsChangeInPlace: true }));
  });

  it('a Classifier gives the same classifications with 1 and 2 threads on real sentences', async function () {
    const data = dataPath('rt-polaritydata', 'rt-polarity.neg');
    needsData(this, data);
    const model = await loadClassifierModel(path.join(__dirname, '..', 'fixtures', 'models', 'keras-converted-gru'));
    const texts = readFileSync(data, 'latin1').split('\n').filter(Boolean).slice(0, 300);
    const twoThreads = new Classifier(model, { threads: 2, helperScript: ENGINE_HELPER_SCRIPT });
    const predictor = twoThreads.predictor;
    assert.ok(await predictor.whenHelperReady());
    const before = predictor.helperBatches;
    const two = twoThreads.classifyMany(texts, 64);
    assert.ok(predictor.helperBatches > before, 'the helper thread computed part of the batches');
    await twoThreads.dispose();
    const one = new Classifier(model, { threads: 1 }).classifyMany(texts, 64);
    assert.deepStrictEqual(two, one);
  });

  it("a process that predicts with 2 threads exits by itself without dispose() (the helper is unref'd)", () => {
    const engine = path.resolve(__dirname, '../../src/core/engine');
    const script = `
      const { initWeights, Predictor } = require(${JSON.stringify(engine)});
      const arch = { cell: 'gru', vocabSize: 50, embeddingDim: 8, units: 8, layers: 1, numClasses: 2, dropout: 0 };
      const predictor = new Predictor(arch, initWeights(arch, 1), {
        threads: 2,
        helperScript: ${JSON.stringify(ENGINE_HELPER_SCRIPT)},
        onWarning: (m) => { console.error(m); process.exitCode = 2; },
      });
      predictor.whenHelperReady().then((ready) => {
        const T = 20, B = 30;
        const ids = Int32Array.from({ length: B * T }, (_, i) => 1 + (i % 49));
        predictor.predict({ ids, lengths: new Int32Array(B).fill(T), batchSize: B, timeSteps: T });
        console.log('batches on helper:', predictor.helperBatches, 'ready:', ready);
      });`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      encoding: 'utf8',
      timeout: 50_000,
    });
    assert.strictEqual(run.signal, null, `the process did not exit by itself: ${run.stdout} ${run.stderr}`);
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /batches on helper: 1 ready: true/);
  });
});

describe('engine: relaxed SIMD for inference', () => {
  const probe = path.join(__dirname, 'relaxedSimdProbe.ts');
  const run = (flags: string[]) => {
    const child = spawnSync(process.execPath, [...flags, '--require', require.resolve('tsx/cjs'), probe], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.strictEqual(child.status, 0, child.stderr);
    return JSON.parse(child.stdout) as {
      available: boolean;
      predictorUsesIt: boolean;
      trainerWeightsUseIt: boolean;
      helperBatches: number;
      maxDiffFromPlain: number;
      oneVsTwoThreads: number;
    };
  };

  it("uses the relaxed-SIMD gemm where the runtime has it: within 1e-5 of the plain kernels, 1 and 2 threads identical, never for a Trainer's weights", function () {
    this.timeout(120_000);
    const result = run(['--experimental-wasm-relaxed-simd']);
    assert.deepStrictEqual(
      {
        available: result.available,
        predictorUsesIt: result.predictorUsesIt,
        trainerWeightsUseIt: result.trainerWeightsUseIt,
      },
      { available: true, predictorUsesIt: true, trainerWeightsUseIt: false },
    );
    assert.ok(result.maxDiffFromPlain < 1e-5, `relaxed vs plain ${result.maxDiffFromPlain}`);
    assert.strictEqual(result.helperBatches, 1);
    assert.strictEqual(result.oneVsTwoThreads, 0);
  });

  it('falls back to the plain kernels where the runtime lacks relaxed SIMD', function () {
    this.timeout(120_000);
    const result = run(['--no-experimental-wasm-relaxed-simd']);
    // Node 20 without the flag; a runtime that ships relaxed SIMD cannot turn it off this way.
    if (result.available) this.skip();
    assert.deepStrictEqual(
      {
        predictorUsesIt: result.predictorUsesIt,
        maxDiffFromPlain: result.maxDiffFromPlain,
        oneVsTwoThreads: result.oneVsTwoThreads,
      },
      { predictorUsesIt: false, maxDiffFromPlain: 0, oneVsTwoThreads: 0 },
    );
  });
});
