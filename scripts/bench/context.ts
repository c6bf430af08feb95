/**
 * Shared state and helpers of `npm run bench` (scripts/bench.ts): options, the movie-review data
 * split like ../shared/bench/pytorch_gru.py, statistics, CPU time and peak-memory tracking.
 * Each section (scripts/bench/*.ts) receives a {@link BenchContext} and prints its own lines.
 */
import { existsSync } from 'fs';
import { join, resolve } from 'path';
import { readPolarityPair } from '../../src/core/readers';
import { defaultTrainingThreads, Random } from '../../src/core/engine';
import type { LabelledText } from '../../src/core/training/training';

/** Command-line options of the bench. */
export interface BenchOptions {
  /** Short run: one round of one epoch, fewer latency repeats. */
  readonly quick: boolean;
  /** Interleaved rounds (ours, torch, ours, torch, ...). */
  readonly rounds: number;
  /** Epochs per round, for both sides. */
  readonly epochs: number;
  /** Skip the PyTorch side even when it is available. */
  readonly noTorch: boolean;
  /** Threads of our training (1 or 2; default: 2 on a machine with two or more CPUs). */
  readonly threads: 1 | 2;
  /** Run the training section only (--training-only). */
  readonly trainingOnly: boolean;
}

/** What the training section leaves for later sections. */
export interface TrainingOutcome {
  /** Figures of PyTorch's last round (inference throughput, accuracy), if it ran. */
  torchSummary?: { infer_sentences_per_s: number; best_acc: number };
  /** PyTorch's inference sentences/s of every training round (`--threads 2`), if it ran. */
  torchInference?: number[];
}

/** Everything a section may use. */
export interface BenchContext {
  readonly options: BenchOptions;
  /** ../shared (override: SENTIMENT_LENS_SHARED). */
  readonly sharedDir: string;
  readonly dataDir: string;
  readonly train: readonly LabelledText[];
  readonly validation: readonly LabelledText[];
  readonly memory: MemoryTracker;
  readonly outcome: TrainingOutcome;
}

/** Parses argv: --quick, --rounds N, --epochs N, --no-torch, --threads 1|2, --training-only. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const value = (name: string): number | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 && at + 1 < argv.length ? Number(argv[at + 1]) : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    quick,
    rounds: value('rounds') ?? (quick ? 1 : 3),
    epochs: value('epochs') ?? (quick ? 1 : 2),
    noTorch: argv.includes('--no-torch'),
    trainingOnly: argv.includes('--training-only'),
    threads: value('threads') === undefined ? defaultTrainingThreads() : value('threads')! >= 2 ? 2 : 1,
  };
}

/**
 * Loads rt-polarity and splits it like pytorch_gru.py: floor(n / 10) sentences held out for
 * validation (8,637 / 959 for the 9,596 usable lines), chosen by a fixed seed.
 */
export function loadMovieReviews(sharedDir: string): {
  dataDir: string;
  train: LabelledText[];
  validation: LabelledText[];
} {
  const dataDir = join(sharedDir, 'data', 'rt-polaritydata');
  const pos = join(dataDir, 'rt-polarity.pos');
  const neg = join(dataDir, 'rt-polarity.neg');
  if (!existsSync(pos) || !existsSync(neg)) {
    throw new Error(`movie-review data not found in ${dataDir} (set SENTIMENT_LENS_SHARED to the shared folder)`);
  }
  const examples = readPolarityPair(pos, neg).examples.map((e) => ({ text: e.text, label: e.label }));
  const order = new Random(10).permutation(examples.length);
  const validationCount = Math.floor(examples.length / 10);
  return {
    dataDir,
    validation: Array.from(order.subarray(0, validationCount), (i) => examples[i]),
    train: Array.from(order.subarray(validationCount), (i) => examples[i]),
  };
}

/** The shared folder: SENTIMENT_LENS_SHARED, else ../shared beside the repository. */
export function sharedFolder(): string {
  return process.env.SENTIMENT_LENS_SHARED ?? resolve(__dirname, '..', '..', '..', 'shared');
}

/** Tracks the peak RSS and heap of this process at the points where `sample()` is called. */
export class MemoryTracker {
  peakRss = 0;
  peakHeapUsed = 0;

  /** Records the current usage. */
  sample(): void {
    const usage = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, usage.rss);
    this.peakHeapUsed = Math.max(this.peakHeapUsed, usage.heapUsed);
  }
}

/** CPU seconds (user + system) used by this process so far (all its threads). */
export function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** min, median, max and spread ((max - min) / median) of a list. */
export function summary(values: readonly number[]): { min: number; median: number; max: number; spread: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], median, max: sorted[n - 1], spread: (sorted[n - 1] - sorted[0]) / median };
}

/** "min / median / max (spread x%)" with the given decimals. */
export function formatSummary(values: readonly number[], decimals = 2, unit = ''): string {
  const s = summary(values);
  const f = (x: number) =>
    x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) + unit;
  return `${f(s.min)} / ${f(s.median)} / ${f(s.max)} (spread ${Math.round(100 * s.spread)}%, n=${values.length})`;
}
