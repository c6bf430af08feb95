/** Bench section: peak memory of our side (this process; PyTorch runs as a child process). */
import type { BenchContext } from './context';

/** Prints the peak RSS (OS figure for the whole process) and the peak sampled JS heap. */
export function memorySection(ctx: BenchContext): void {
  ctx.memory.sample();
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
  console.log('## Memory (ours)');
  console.log(
    `  peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (sampled max ${mb(ctx.memory.peakRss)}), ` +
      `peak JS heap used ${mb(ctx.memory.peakHeapUsed)} (sampled after each epoch and inference pass)\n`,
  );
}
