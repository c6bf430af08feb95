import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Batch } from '../../src/core/model/batching';
import { flattenWeights, type Architecture, type CellType } from '../../src/core/model/architecture';
import {
  createTrainer,
  initWeights,
  MissingHelperScriptError,
  ParallelTrainer,
  Random,
  Trainer,
} from '../../src/core/engine';
import { NetworkEngine } from '../../src/core/engine/network';
import { maxAbsDiff, randomBatch as paddedBatch } from './engineBatches';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

/** A batch of the given lengths (padded to the longest), random ids and labels. */
function randomBatch(arch: Architecture, lengths: number[], seed: number, stepLabels = false): Batch {
  return paddedBatch(arch, lengths, undefined, seed, stepLabels);
}

/** Batches of `size` sentences of random lengths 0..9. */
function randomBatches(arch: Architecture, size: number, count: number, seed: number, stepLabels = false): Batch[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, (_, i) =>
    randomBatch(
      arch,
      Array.from({ length: size }, () => rng.int(10)),
      seed * 100 + i,
      stepLabels,
    ),
  );
}

const arch = (cell: CellType, layers = 1): Architecture => ({
  cell,
  vocabSize: 40,
  embeddingDim: 8,
  units: 12,
  layers,
  numClasses: 3,
  dropout: 0.5,
});

describe('engine: two-thread training (ParallelTrainer)', () => {
  it("the loss gradients of a batch equal the sum of its halves' with sentence-keyed dropout", () => {
    const a = arch('gru', 2);
    const weights = initWeights(a, 3);
    const batch = randomBatch(a, [5, 0, 7, 3, 6, 2, 4], 8);
    const engine = new NetworkEngine();
    const whole = engine.lossAndGradients(a, weights, batch, { seed: 4, step: 2 });
    const halves = [Int32Array.of(0, 2, 4, 6), Int32Array.of(1, 3, 5)].map((rows) => {
      const T = batch.timeSteps;
      const part: Batch = {
        ids: Int32Array.from({ length: rows.length * T }, (_, k) => batch.ids[rows[Math.floor(k / T)] * T + (k % T)]),
        lengths: Int32Array.from(rows, (r) => batch.lengths[r]),
        labels: Int32Array.from(rows, (r) => batch.labels![r]),
        batchSize: rows.length,
        timeSteps: T,
      };
      return engine.lossAndGradients(a, weights, part, { seed: 4, step: 2, sentences: rows }, true, batch.batchSize);
    });
    assert.ok(Math.abs(whole.loss - (halves[0].loss + halves[1].loss)) < 1e-6);
    const sum = (i: number) =>
      halves[0].gradients.rnn[i].kernel.map((v, k) => v + halves[1].gradients.rnn[i].kernel[k]);
    for (let l = 0; l < 2; l++) assert.ok(maxAbsDiff(whole.gradients.rnn[l].kernel, sum(l)) < 1e-6, `layer ${l}`);
  });

  for (const cell of ['gru', 'lstm'] as CellType[]) {
    for (const size of [1, 3, 7]) {
      for (const stepLabels of size === 7 ? [false, true] : [false]) {
        it(`2 threads train like 1 within float tolerance (${cell}, batch ${size}, dropout 0.5${stepLabels ? ', per-step loss' : ''})`, async () => {
          const a = arch(cell, cell === 'gru' ? 1 : 2);
          const weights = initWeights(a, 5);
          const batches = randomBatches(a, size, 4, size + (stepLabels ? 50 : 0), stepLabels);
          const single = new Trainer(a, weights, { seed: 7, learningRate: 0.01 });
          const parallel = new ParallelTrainer(a, weights, {
            seed: 7,
            helperScript: ENGINE_HELPER_SCRIPT,
            learningRate: 0.01,
            onWarning: (m) => assert.fail(m),
          });
          try {
            assert.ok(await parallel.whenHelperReady(), 'helper thread started');
            for (const batch of batches) {
              const one = single.trainBatch(batch);
              const two = parallel.trainBatch(batch);
              assert.ok(Math.abs(one.loss - two.loss) < 1e-5, `loss ${one.loss} vs ${two.loss}`);
              assert.strictEqual(two.count, one.count);
              assert.strictEqual(two.correct, one.correct);
              assert.ok(Math.abs(one.gradientNorm - two.gradientNorm) < 1e-5 * Math.max(1, one.gradientNorm));
            }
            flattenWeights(parallel.weights).forEach((w, i) => {
              const diff = maxAbsDiff(w, flattenWeights(single.weights)[i]);
              assert.ok(diff < 1e-5, `weight ${i}: max difference ${diff}`);
            });
            assert.strictEqual(parallel.helperSteps, size > 1 ? batches.length : 0);
          } finally {
            await parallel.dispose();
          }
        });
      }
    }
  }

  it('without a helper thread it warns, reports 1 thread and gives bit-identical results', async () => {
    const a = arch('gru');
    const weights = initWeights(a, 2);
    const batches = randomBatches(a, 6, 3, 9);
    const warnings: string[] = [];
    const missing = new ParallelTrainer(a, weights, {
      seed: 1,
      helperScript: path.join(__dirname, 'no-such-helper.js'),
      onWarning: (m) => warnings.push(m),
    });
    const working = new ParallelTrainer(a, weights, { seed: 1, helperScript: ENGINE_HELPER_SCRIPT });
    try {
      assert.strictEqual(warnings.length, 1);
      assert.match(warnings[0], /no-such-helper\.js does not exist; training runs in one thread/);
      assert.strictEqual(missing.threads, 1);
      assert.ok(await working.whenHelperReady());
      assert.strictEqual(working.threads, 2);
      for (const batch of batches) {
        assert.deepStrictEqual(missing.trainBatch(batch), working.trainBatch(batch));
      }
      flattenWeights(missing.weights).forEach((w, i) => assert.deepStrictEqual(w, flattenWeights(working.weights)[i]));
      assert.strictEqual(missing.helperSteps, 0);
      assert.strictEqual(working.helperSteps, batches.length);
    } finally {
      await Promise.all([missing.dispose(), working.dispose()]);
    }
  });

  it('dispose() ends the helper thread; training after it stays correct in one thread', async () => {
    const a = arch('gru');
    const trainer = new ParallelTrainer(a, initWeights(a, 1), { seed: 1, helperScript: ENGINE_HELPER_SCRIPT });
    assert.ok(await trainer.whenHelperReady());
    const batch = randomBatch(a, [3, 4, 5], 1);
    trainer.trainBatch(batch);
    await trainer.dispose();
    assert.strictEqual(trainer.threads, 1);
    const after = trainer.trainBatch(batch);
    assert.ok(Number.isFinite(after.loss));
    assert.strictEqual(trainer.helperSteps, 1);
  });

  it('a process that trains with 2 threads and disposes the trainer exits by itself (no leaked thread)', () => {
    const engine = path.resolve(__dirname, '../../src/core/engine');
    const script = `
      const { initWeights, ParallelTrainer } = require(${JSON.stringify(engine)});
      const arch = { cell: 'gru', vocabSize: 20, embeddingDim: 8, units: 8, layers: 1, numClasses: 2, dropout: 0.5 };
      const trainer = new ParallelTrainer(arch, initWeights(arch, 1), {
        helperScript: ${JSON.stringify(ENGINE_HELPER_SCRIPT)},
        onWarning: (m) => { console.error(m); process.exitCode = 2; },
      });
      trainer.whenHelperReady().then((ready) => {
        const batch = { ids: Int32Array.of(2, 3, 4, 5, 6, 0), lengths: Int32Array.of(3, 2), batchSize: 2, timeSteps: 3, labels: Int32Array.of(0, 1) };
        trainer.trainBatch(batch);
        console.log('steps on helper:', trainer.helperSteps, 'ready:', ready);
        return trainer.dispose();
      });`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      encoding: 'utf8',
      timeout: 50_000,
    });
    assert.strictEqual(run.signal, null, `the process did not exit by itself: ${run.stdout} ${run.stderr}`);
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /steps on helper: 1 ready: true/);
  });

  it('a trainer that may use a helper thread but has no helper script throws, whatever the machine', () => {
    const a = arch('gru');
    const weights = initWeights(a, 1);
    assert.throws(() => new ParallelTrainer(a, weights), MissingHelperScriptError);
    assert.throws(() => createTrainer(a, weights), /createTrainer: threads is not 1 but no helperScript was given/);
    assert.throws(() => createTrainer(a, weights, { threads: 2 }), MissingHelperScriptError);
    assert.ok(!(createTrainer(a, weights, { threads: 1 }) instanceof ParallelTrainer));
  });

  it('createTrainer picks the thread count from the threads option', async () => {
    const a = arch('gru');
    const one = createTrainer(a, initWeights(a, 1), { threads: 1 });
    const two = createTrainer(a, initWeights(a, 1), { threads: 2, helperScript: ENGINE_HELPER_SCRIPT });
    try {
      assert.ok(!(one instanceof ParallelTrainer));
      assert.strictEqual(one.threads, 1);
      assert.ok(two instanceof ParallelTrainer);
      assert.strictEqual(two.threads, 2);
    } finally {
      await Promise.all([one.dispose(), two.dispose()]);
    }
  });
});
