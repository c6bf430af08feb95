/**
 * `npm run bench`: our training and inference against ../shared/bench/pytorch_gru.py, measured
 * side by side on this machine, plus trajectory latency, peak memory and the editor figures. Sections live in
 * scripts/bench/*.ts; each prints its own figures, and new sections are added to SECTIONS order.
 *
 *   npm run bench [-- --quick] [-- --rounds 3 --epochs 2] [-- --no-torch] [-- --training-only]
 *   SENTIMENT_LENS_SHARED=/path/to/shared npm run bench
 */
import { spawnSync } from 'child_process';
import { cpus, loadavg } from 'os';
import { join } from 'path';
import { MemoryTracker, loadMovieReviews, parseBenchOptions, sharedFolder, type BenchContext } from './bench/context';
import { inferenceSection } from './bench/inference';
import { memorySection } from './bench/memory';
import { startupSection } from './bench/startup';
import { torchAvailable, trainingSection } from './bench/training';

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const sharedDir = sharedFolder();
  const { dataDir, train, validation } = loadMovieReviews(sharedDir);
  const ctx: BenchContext = {
    options,
    sharedDir,
    dataDir,
    train,
    validation,
    memory: new MemoryTracker(),
    outcome: {},
  };
  const torch = !options.noTorch && torchAvailable();
  console.log(`# Sentiment Lens bench — ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), shared folder ${sharedDir}`,
  );
  console.log(
    `load average at start ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min): figures drift with other users' load`,
  );
  if (!torch) {
    console.log(
      options.noTorch
        ? 'PyTorch side skipped (--no-torch).'
        : 'PyTorch side skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch libopenblas0-pthread).',
    );
  }
  console.log('');
  const model = await trainingSection(ctx, torch);
  if (options.trainingOnly) return;
  await inferenceSection(ctx, model, torch);
  memorySection(ctx);
  await startupSection(ctx, torch);
  editorSection();
}

/** The editor figures (scripts/benchEditor.ts) in a process of their own, so their memory and JIT state are their own. */
function editorSection(): void {
  console.log('\n## Editor (plain Node over the core)');
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'benchEditor.ts')], {
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`scripts/benchEditor.ts exited with ${run.status}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
