/**
 * Micro-benchmark of the fast engine (src/core/engine): training tokens/s of Trainer.trainBatch
 * and inference sentences/s of predict, on synthetic batches of realistic shape (B=64, lengths
 * uniform 5..40, vocabulary 18,000, E=H=128, GRU). Repeats are interleaved (train, predict,
 * train, ...) because the machine is shared; min / median / max are printed, per wall-clock second
 * and per CPU second of this process (the latter is less sensitive to other processes' load; with
 * two threads it counts both).
 *
 *   npx tsx scripts/benchEngine.ts [--repeats 5] [--batches 20] [--cell gru|lstm|simple] [--lazy] [--threads 1|2|1,2]
 *
 * --threads 1,2 trains one trainer per thread count from the same weights, interleaved within each
 * repeat (1 thread, 2 threads, predict, ...), and prints each one's figures.
 */
import type { Batch } from '../src/core/model/batching';
import type { Architecture, CellType } from '../src/core/model/architecture';
import { createTrainer, initWeights, ParallelTrainer, Predictor, Random, type Trainer } from '../src/core/engine';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const repeats = Number(argument('repeats', '5'));
const batchCount = Number(argument('batches', '20'));
const cell = argument('cell', 'gru') as CellType;
const lazy = process.argv.includes('--lazy');
const threadCounts = argument('threads', '1')
  .split(',')
  .map((t) => (Number(t) >= 2 ? 2 : 1) as 1 | 2);
const arch: Architecture = {
  cell,
  vocabSize: 18000,
  embeddingDim: 128,
  units: 128,
  layers: 1,
  numClasses: 2,
  dropout: 0.5,
};

function syntheticBatches(count: number, batchSize: number, seed: number): Batch[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => {
    const lengths = Int32Array.from({ length: batchSize }, () => 5 + rng.int(36));
    const T = Math.max(...lengths);
    const ids = new Int32Array(batchSize * T);
    lengths.forEach((len, b) => {
      for (let t = 0; t < len; t++) ids[b * T + t] = 2 + rng.int(arch.vocabSize - 2);
    });
    return { ids, lengths, batchSize, timeSteps: T, labels: Int32Array.from(lengths, () => rng.int(2)) };
  });
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const trainBatches = syntheticBatches(batchCount, 64, 1);
const tokensPerRound = trainBatches.reduce((n, b) => n + b.lengths.reduce((a, c) => a + c, 0), 0);
// 959 sentences, like the MR validation set, in batches of 64.
const predictBatches = syntheticBatches(15, 64, 2);
const sentencesPerRound = predictBatches.reduce((n, b) => n + b.batchSize, 0);

async function main(): Promise<void> {
  const initial = initWeights(arch, 1);
  const trainers: Trainer[] = threadCounts.map((threads) =>
    createTrainer(arch, initial, {
      seed: 1,
      embeddingUpdate: lazy ? 'lazy' : 'dense',
      threads,
      onWarning: (m) => console.warn(m),
      helperScript: ENGINE_HELPER_SCRIPT,
    }),
  );
  for (const trainer of trainers) {
    if (trainer instanceof ParallelTrainer && !(await trainer.whenHelperReady()))
      console.warn('helper thread not ready');
  }
  const predictor = new Predictor(arch, trainers[0].weights, { weightsChangeInPlace: true });

  // Warm-up (JIT tiers, workspace growth, every embedding row touched so dense Adam is at full cost).
  for (const trainer of trainers) for (const batch of trainBatches.slice(0, 3)) trainer.trainBatch(batch);
  for (const batch of predictBatches) predictor.predict(batch);

  const trainRates = trainers.map((): number[] => []);
  const trainCpuRates = trainers.map((): number[] => []);
  const predictRates: number[] = [];
  const predictCpuRates: number[] = [];
  const cpuSeconds = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  };
  for (let r = 0; r < repeats; r++) {
    const parts: string[] = [];
    trainers.forEach((trainer, k) => {
      const start = performance.now();
      const cpuStart = cpuSeconds();
      for (const batch of trainBatches) trainer.trainBatch(batch);
      trainRates[k].push(tokensPerRound / ((performance.now() - start) / 1000));
      trainCpuRates[k].push(tokensPerRound / (cpuSeconds() - cpuStart));
      parts.push(
        `train (${trainer.threads} thread${trainer.threads > 1 ? 's' : ''}) ${fmt(trainRates[k][r])} tokens/s (${fmt(trainCpuRates[k][r])} per CPU s)`,
      );
    });
    const start = performance.now();
    const cpuStart = cpuSeconds();
    for (const batch of predictBatches) predictor.predict(batch);
    predictRates.push(sentencesPerRound / ((performance.now() - start) / 1000));
    predictCpuRates.push(sentencesPerRound / (cpuSeconds() - cpuStart));
    console.log(
      `repeat ${r + 1}: ${parts.join(', ')}, predict ${fmt(predictRates[r])} sentences/s (${fmt(predictCpuRates[r])} per CPU s)`,
    );
  }
  const p = stats(predictRates);
  const pc = stats(predictCpuRates);
  console.log(
    `\n${cell.toUpperCase()} E=H=128, vocab 18000, B=64, lengths 5..40, embedding Adam: ${lazy ? 'lazy' : 'dense'}`,
  );
  trainers.forEach((trainer, k) => {
    const t = stats(trainRates[k]);
    const tc = stats(trainCpuRates[k]);
    console.log(
      `trainBatch, ${threadCounts[k]} thread(s) (${trainer.threads} at the end): ${fmt(t.min)} / ${fmt(t.median)} / ${fmt(t.max)} tokens/s wall, ` +
        `${fmt(tc.min)} / ${fmt(tc.median)} / ${fmt(tc.max)} per CPU s (min / median / max of ${repeats}; ${batchCount} batches, ${fmt(tokensPerRound)} tokens each)`,
    );
  });
  console.log(
    `predict:    ${fmt(p.min)} / ${fmt(p.median)} / ${fmt(p.max)} sentences/s (min / median / max of ${repeats}; ${sentencesPerRound} sentences each)`,
  );
  console.log(`per CPU second: predict ${fmt(pc.min)} / ${fmt(pc.median)} / ${fmt(pc.max)} sentences`);
  await Promise.all(trainers.map((trainer) => trainer.dispose()));
}

void main();
