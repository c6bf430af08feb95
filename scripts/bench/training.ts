/**
 * Bench section: epoch time of our training (the bundled model's architecture: GRU 128,
 * embedding 100, batch 64, dropout 0.5, Adam 1e-3, clip 5, length-bucketed batches, as
 * trainClassifier does) and of ../shared/bench/pytorch_gru.py on the same split, interleaved:
 * ours, torch, ours, torch, ...
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { createTrainer, initWeights, Predictor, Random, type Trainer } from '../../src/core/engine';
import type { Architecture } from '../../src/core/model/architecture';
import { tokenTexts } from '../../src/core/text/tokenizer';
import { DEFAULT_TRAINING_OPTIONS, evaluateIds, lengthBucketedBatches } from '../../src/core/training/training';
import { Vocabulary } from '../../src/core/text/vocabulary';
import { cpuSeconds, formatSummary, summary, type BenchContext } from './context';
import { ENGINE_HELPER_SCRIPT } from '../../test/support/engineHelper';

/** A trained model of the last round, for the inference section. */
export interface OurModel {
  readonly arch: Architecture;
  readonly trainer: Trainer;
  readonly vocabulary: Vocabulary;
  readonly labels: string[];
}

const PYTHON = '/usr/bin/python3';

/** What one run of pytorch_gru.py printed. */
export interface PytorchRun {
  readonly epochs: { epoch: number; seconds: number; accuracy: string }[];
  /** Its summary line (inference throughput of the final model: median of 3 passes, ids -> logits). */
  readonly summary: { infer_sentences_per_s: number; best_acc: number } | undefined;
  /** Its "torch <version> threads ..." line. */
  readonly version: string | undefined;
}

/**
 * Runs ../shared/bench/pytorch_gru.py with `--threads threads --epochs epochs` on the bench's data,
 * with the bundled model's GRU and embedding sizes,
 * with OPENBLAS_NUM_THREADS=1 (the fastest configuration, per its README).
 */
export function runPytorch(ctx: BenchContext, threads: number, epochs: number): PytorchRun {
  // The bundled model's sizes on both sides (the script's defaults are GRU 128, embedding 128).
  const sizes = [
    '--hidden',
    String(DEFAULT_TRAINING_OPTIONS.units),
    '--embed',
    String(DEFAULT_TRAINING_OPTIONS.embeddingDim),
  ];
  const run = spawnSync(
    PYTHON,
    [
      join(ctx.sharedDir, 'bench', 'pytorch_gru.py'),
      '--threads',
      String(threads),
      '--epochs',
      String(epochs),
      ...sizes,
      '--data-dir',
      ctx.dataDir,
    ],
    {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (run.status !== 0) throw new Error(`pytorch_gru.py failed (${run.status}): ${run.stderr}`);
  const result: { epochs: PytorchRun['epochs']; summary: PytorchRun['summary']; version: string | undefined } = {
    epochs: [],
    summary: undefined,
    version: undefined,
  };
  for (const line of run.stdout.split('\n')) {
    const match = /^epoch\s+(\d+).*?val_acc ([\d.]+)\s+train_s ([\d.]+)/.exec(line);
    if (match) result.epochs.push({ epoch: Number(match[1]), seconds: Number(match[3]), accuracy: match[2] });
    if (line.startsWith('{')) result.summary = JSON.parse(line);
    if (line.startsWith('torch ')) result.version = line.trim();
  }
  return result;
}

/** Whether Debian's python3 can import torch. */
export function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** Runs the training comparison; returns our last model. */
export async function trainingSection(ctx: BenchContext, withTorch: boolean): Promise<OurModel> {
  const { options } = ctx;
  const settings = DEFAULT_TRAINING_OPTIONS;
  const labels = [...new Set(ctx.train.map((d) => d.label))].sort();
  const classOf = new Map(labels.map((label, i) => [label, i]));
  const trainTokens = ctx.train.map((d) => tokenTexts(d.text, settings.tokenizer));
  // Every training word, as pytorch_gru.py builds its vocabulary: the same embedding size on both sides.
  const vocabulary = Vocabulary.build(trainTokens, { minCount: 1, maxSize: settings.maxVocabulary });
  const encode = (tokens: string[]) => vocabulary.encode(tokens.slice(0, settings.maxLength));
  const trainIds = trainTokens.map(encode);
  const trainLabels = Int32Array.from(ctx.train, (d) => classOf.get(d.label)!);
  const validationIds = ctx.validation.map((d) => encode(tokenTexts(d.text, settings.tokenizer)));
  const validationLabels = Int32Array.from(ctx.validation, (d) => classOf.get(d.label)!);
  const tokens = trainIds.reduce((n, ids) => n + ids.length, 0);
  const arch: Architecture = {
    cell: settings.cell,
    vocabSize: vocabulary.size,
    embeddingDim: settings.embeddingDim,
    units: settings.units,
    layers: settings.layers,
    numClasses: labels.length,
    dropout: settings.dropout,
  };
  console.log(
    `## Training: ${ctx.train.length} train / ${ctx.validation.length} validation sentences, vocabulary ${vocabulary.size}, ` +
      `${tokens.toLocaleString('en-US')} training tokens (our tokenizer), GRU ${arch.units}, embedding ${arch.embeddingDim}, batch ${settings.batchSize}`,
  );
  console.log(
    `   ${options.rounds} interleaved round(s) of ${options.epochs} epoch(s) each side; our training in ${options.threads} thread(s) (--threads)\n`,
  );

  const ourEpochs: number[] = [];
  const ourCpuEpochs: number[] = [];
  const torchEpochs: number[] = [];
  const ourAccuracy: number[] = [];
  let last: OurModel | undefined;
  for (let round = 1; round <= options.rounds; round++) {
    const seed = settings.seed + round;
    const trainer = createTrainer(arch, initWeights(arch, seed), {
      learningRate: settings.learningRate,
      clipNorm: settings.clipNorm,
      seed,
      threads: options.threads,
      onWarning: (m) => console.log(`   (${m})`),
      helperScript: ENGINE_HELPER_SCRIPT,
    });
    // The trainer's weights change in place: a one-thread Predictor over them for the round.
    const validator = new Predictor(arch, trainer.weights, { threads: 1 });
    const random = new Random(seed + 1);
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const batches = lengthBucketedBatches(trainIds, trainLabels, settings.batchSize, random);
      const wallStart = performance.now();
      const cpuStart = cpuSeconds();
      for (const batch of batches) {
        trainer.trainBatch(batch);
        await new Promise((done) => setImmediate(done)); // as trainClassifier does (cancellation point)
      }
      const seconds = (performance.now() - wallStart) / 1000;
      const cpu = cpuSeconds() - cpuStart;
      ctx.memory.sample();
      const { accuracy } = evaluateIds(validator, validationIds, validationLabels);
      ourEpochs.push(seconds);
      ourCpuEpochs.push(cpu);
      ourAccuracy.push(accuracy);
      console.log(
        `round ${round} ours  epoch ${epoch}: ${seconds.toFixed(2)} s wall, ${cpu.toFixed(2)} CPU s, ` +
          `${Math.round(tokens / seconds).toLocaleString('en-US')} tokens/s, val acc ${accuracy.toFixed(4)}`,
      );
    }
    await trainer.dispose(); // its weights stay readable
    await validator.dispose();
    last = { arch, trainer, vocabulary, labels };
    if (withTorch) {
      const run = runPytorch(ctx, 2, options.epochs);
      for (const epoch of run.epochs) {
        torchEpochs.push(epoch.seconds);
        console.log(
          `round ${round} torch epoch ${epoch.epoch}: ${epoch.seconds.toFixed(2)} s wall, val acc ${epoch.accuracy}`,
        );
      }
      ctx.outcome.torchSummary = run.summary;
      if (run.summary) (ctx.outcome.torchInference ??= []).push(run.summary.infer_sentences_per_s);
      if (round === 1 && run.version) console.log(`   (${run.version})`);
    }
  }

  console.log('\nepoch seconds, min / median / max:');
  console.log(`  ours  wall ${formatSummary(ourEpochs, 2, ' s')}`);
  console.log(`  ours  CPU  ${formatSummary(ourCpuEpochs, 2, ' s')} (both threads of this process)`);
  if (torchEpochs.length) {
    console.log(`  torch wall ${formatSummary(torchEpochs, 2, ' s')}`);
    const o = summary(ourEpochs);
    const t = summary(torchEpochs);
    console.log(
      `  ratio ours/torch (lower is better): min ${(o.min / t.min).toFixed(2)}, median ${(o.median / t.median).toFixed(2)}` +
        ` (pairwise per round: ${pairwiseRatios(ourEpochs, torchEpochs, options.epochs)
          .map((r) => r.toFixed(2))
          .join(', ')})`,
    );
    console.log(
      `  torch best val acc ${ctx.outcome.torchSummary?.best_acc ?? '?'}; ours per epoch ${ourAccuracy.map((a) => a.toFixed(3)).join(', ')}`,
    );
  }
  console.log('');
  return last!;
}

/** Ratio of the medians of each round's epochs (ours / torch), rounds matched in order. */
function pairwiseRatios(ours: number[], torch: number[], per: number): number[] {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(ours.length, torch.length); i += per) {
    ratios.push(summary(ours.slice(i, i + per)).median / summary(torch.slice(i, i + per)).median);
  }
  return ratios;
}
