/**
 * A/B of the inference kernels on a bundled model: float recurrent gemm against the integer
 * kernels (Predictor option `integerKernels`), interleaved in one process, on the rt-polarity
 * validation sentences of the bench (959, split as pytorch_gru.py splits them) in batches of 64:
 * the network alone (ids -> per-step and final probabilities, batches in validation order as
 * pytorch_gru.py makes them) and the whole classifier (Classifier.classifyMany), 1 and 2 threads.
 * Prints ms per pass (min / median / max) and the largest probability difference float vs integer.
 * With --torch N, runs `pytorch_gru.py --threads 1 --epochs 1` (its fastest inference
 * configuration, per its README) N times between our repeats and prints our sentences/s against
 * its `infer_sentences_per_s` (ids -> logits and argmax, batches of 64, median of 3 passes).
 *
 *   npx tsx scripts/benchIntegerKernels.ts [--repeats 20] [--model model/movie-reviews] [--torch 3]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classify/classifier';
import { Predictor } from '../src/core/engine';
import { padBatch } from '../src/core/model/batching';
import { tokenTexts } from '../src/core/text/tokenizer';
import { loadClassifierModel } from '../src/core/training/modelFiles';
import { loadavg } from 'node:os';
import { cpuSeconds, formatSummary, loadMovieReviews, sharedFolder, summary, type BenchContext } from './bench/context';
import { runPytorch, torchAvailable } from './bench/training';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

const BATCH = 64;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string', default: '20' },
      model: { type: 'string', default: 'model/movie-reviews' },
      torch: { type: 'string', default: '0' },
    },
  });
  const repeats = Number(values.repeats);
  const torchRuns = torchAvailable() ? Number(values.torch) : 0;
  if (Number(values.torch) > 0 && torchRuns === 0) console.log('PyTorch skipped: /usr/bin/python3 cannot import torch');
  const model = await loadClassifierModel(resolve(values.model!));
  const { arch, weights, vocabulary, tokenizer } = model;
  const sharedDir = sharedFolder();
  const movieReviews = loadMovieReviews(sharedDir);
  const texts = movieReviews.validation.map((d) => d.text);
  const torchContext = { sharedDir, dataDir: movieReviews.dataDir } as BenchContext;
  const torchRates: number[] = [];
  const loads: number[] = [loadavg()[0]];
  const ids = texts.map((text) => vocabulary.encode(tokenTexts(text, tokenizer)));
  const batches: ReturnType<typeof padBatch>[] = [];
  for (let start = 0; start < ids.length; start += BATCH) batches.push(padBatch(ids.slice(start, start + BATCH)));

  const variants = ['float', 'integer'] as const;
  // One Predictor per kernel kind and thread count (index 0: one thread, 1: two).
  const predictors = Object.fromEntries(
    variants.map((v) => [
      v,
      [1, 2].map(
        (threads) =>
          new Predictor(arch, weights, {
            threads,
            integerKernels: v === 'integer',
            helperScript: ENGINE_HELPER_SCRIPT,
          }),
      ),
    ]),
  );
  const classifiers = Object.fromEntries(
    variants.map((v) => [
      v,
      new Classifier(model, { integerKernels: v === 'integer', helperScript: ENGINE_HELPER_SCRIPT }),
    ]),
  );
  await Promise.all(variants.map((v) => predictors[v][1].whenHelperReady()));
  await Promise.all(variants.map((v) => classifiers[v].predictor.whenHelperReady()));

  // Agreement float vs integer, and 1 vs 2 threads of each.
  let maxDiff = 0;
  let sameThreads = true;
  for (const batch of batches) {
    const f = predictors.float[0].predict(batch).stepProbabilities;
    const i1 = predictors.integer[0].predict(batch).stepProbabilities;
    const i2 = predictors.integer[1].predict(batch).stepProbabilities;
    for (let k = 0; k < f.length; k++) maxDiff = Math.max(maxDiff, Math.abs(f[k] - i1[k]));
    sameThreads &&= i1.every((x, k) => x === i2[k]);
  }
  console.log(
    `${texts.length} sentences, ${ids.reduce((n, l) => n + l.length, 0)} tokens; max |float - integer| per-step probability ${maxDiff.toExponential(2)}; integer 1 vs 2 threads ${sameThreads ? 'identical' : 'DIFFERENT'}`,
  );

  const times = new Map<string, { wall: number[]; cpu: number[] }>();
  const time = (name: string, pass: () => void) => {
    const entry = times.get(name) ?? { wall: [], cpu: [] };
    times.set(name, entry);
    const start = performance.now();
    const cpu = cpuSeconds();
    pass();
    entry.wall.push(performance.now() - start);
    entry.cpu.push((cpuSeconds() - cpu) * 1000);
  };
  for (const v of variants) classifiers[v].classifyMany(texts, BATCH); // fills the projection caches
  for (let r = 0; r < repeats; r++) {
    for (const threads of [1, 2]) {
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        time(`network ${v} ${threads}t`, () => {
          for (const batch of batches) predictors[v][threads - 1].predict(batch);
        });
      }
    }
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
      time(`classifier ${v} 2t`, () => classifiers[v].classifyMany(texts, BATCH));
    }
    loads.push(loadavg()[0]);
    if (torchRuns > 0 && r % Math.max(1, Math.floor(repeats / torchRuns)) === 0 && torchRates.length < torchRuns) {
      const rate = runPytorch(torchContext, 1, 1).summary?.infer_sentences_per_s;
      if (rate !== undefined) torchRates.push(rate);
    }
  }
  console.log(`ms per pass over the ${texts.length} sentences, min / median / max of ${repeats} (interleaved):`);
  for (const [name, { wall, cpu }] of times) {
    console.log(`  ${name.padEnd(22)} wall ${formatSummary(wall, 1)}  CPU ${formatSummary(cpu, 1)}`);
  }
  console.log(`load average (1 min) during the run: ${formatSummary(loads, 1)}`);
  if (torchRates.length > 0) {
    const torch = summary(torchRates);
    console.log(
      `torch --threads 1 inference, sentences/s: ${formatSummary(torchRates, 0)}; ours in sentences/s (at median / at min ms) and ratio to torch's median and max:`,
    );
    for (const [name, { wall }] of times) {
      const s = summary(wall);
      const atMedian = texts.length / (s.median / 1000);
      const atMin = texts.length / (s.min / 1000);
      console.log(
        `  ${name.padEnd(22)} ${Math.round(atMedian)} / ${Math.round(atMin)}: ${(atMedian / torch.median).toFixed(2)} (${(atMin / torch.median).toFixed(2)} at min); vs max ${(atMedian / torch.max).toFixed(2)}`,
      );
    }
  }
  await Promise.all(variants.flatMap((v) => predictors[v].map((predictor) => predictor.dispose())));
  await Promise.all(variants.map((v) => classifiers[v].dispose()));
}

void main();
