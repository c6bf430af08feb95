/**
 * Micro-benchmark of the fast engine (src/core/engine): training tokens/s of Trainer.trainBatch
 * and inference sentences/s of predict, on synthetic batches of realistic shape (B=64, lengths
 * uniform 5..40, vocabulary 18,000, E=H=128, GRU). Repeats are interleaved (train, predict,
 * train, ...) because the machine is shared; min / median / max are printed, per wall-clock second
 * and per CPU second of this process (the latter is less sensitive to other processes' load).
 *
 *   npx tsx scripts/benchEngine.ts [--repeats 5] [--batches 20] [--cell gru|lstm|simple] [--lazy]
 */
import type { Batch } from '../src/core/batching';
import type { Architecture, CellType } from '../src/core/model/architecture';
import { initWeights, Predictor, Random, Trainer } from '../src/core/engine';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const repeats = Number(argument('repeats', '5'));
const batchCount = Number(argument('batches', '20'));
const cell = argument('cell', 'gru') as CellType;
const lazy = process.argv.includes('--lazy');
const arch: Architecture = { cell, vocabSize: 18000, embeddingDim: 128, units: 128, layers: 1, numClasses: 2, dropout: 0.5 };

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

const trainer = new Trainer(arch, initWeights(arch, 1), { seed: 1, embeddingUpdate: lazy ? 'lazy' : 'dense' });
const predictor = new Predictor(arch, trainer.weights);

// Warm-up (JIT tiers, workspace growth, every embedding row touched so dense Adam is at full cost).
for (const batch of trainBatches.slice(0, 3)) trainer.trainBatch(batch);
for (const batch of predictBatches) predictor.predict(batch);

const trainRates: number[] = [];
const predictRates: number[] = [];
const trainCpuRates: number[] = [];
const predictCpuRates: number[] = [];
const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
for (let r = 0; r < repeats; r++) {
  let start = performance.now();
  let cpuStart = cpuSeconds();
  for (const batch of trainBatches) trainer.trainBatch(batch);
  trainRates.push(tokensPerRound / ((performance.now() - start) / 1000));
  trainCpuRates.push(tokensPerRound / (cpuSeconds() - cpuStart));
  start = performance.now();
  cpuStart = cpuSeconds();
  for (const batch of predictBatches) predictor.predict(batch);
  predictRates.push(sentencesPerRound / ((performance.now() - start) / 1000));
  predictCpuRates.push(sentencesPerRound / (cpuSeconds() - cpuStart));
  console.log(
    `repeat ${r + 1}: train ${fmt(trainRates[r])} tokens/s (${fmt(trainCpuRates[r])} per CPU s), ` +
      `predict ${fmt(predictRates[r])} sentences/s (${fmt(predictCpuRates[r])} per CPU s)`,
  );
}
const t = stats(trainRates);
const p = stats(predictRates);
const tc = stats(trainCpuRates);
const pc = stats(predictCpuRates);
console.log(`\n${cell.toUpperCase()} E=H=128, vocab 18000, B=64, lengths 5..40, embedding Adam: ${lazy ? 'lazy' : 'dense'}`);
console.log(`trainBatch: ${fmt(t.min)} / ${fmt(t.median)} / ${fmt(t.max)} tokens/s (min / median / max of ${repeats}; ${batchCount} batches, ${fmt(tokensPerRound)} tokens each)`);
console.log(`predict:    ${fmt(p.min)} / ${fmt(p.median)} / ${fmt(p.max)} sentences/s (min / median / max of ${repeats}; ${sentencesPerRound} sentences each)`);
console.log(`per CPU second: trainBatch ${fmt(tc.min)} / ${fmt(tc.median)} / ${fmt(tc.max)} tokens, predict ${fmt(pc.min)} / ${fmt(pc.median)} / ${fmt(pc.max)} sentences`);
