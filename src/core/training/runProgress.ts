/**
 * A training run as the panel shows it, advanced by the worker's progress reports: the status, the
 * position in the run, the chart points within epochs (thinned to a bounded number) and the
 * validated epochs. Pure functions over plain data (unit-tested); the panel's host only posts them.
 */
import type { RunView } from '../../protocol/views';
import type { TrainingProgress } from './training';

/** Chart points kept from within epochs (older ones are thinned out). */
export const MAX_CHART_POINTS = 400;

/** The run after one progress report, and whether the change must be shown at once (not rate-limited). */
export function advanceRun(
  previous: RunView,
  progress: TrainingProgress,
): { readonly run: RunView; readonly urgent: boolean } {
  // A seed ensemble's next network starts its own charts.
  const nextNetwork = progress.member !== undefined && progress.member !== (previous.member ?? 1);
  const run = nextNetwork ? { ...previous, points: [], epochPoints: [] } : previous;
  const base: RunView = {
    ...run,
    ...(progress.member !== undefined ? { member: progress.member, members: progress.members } : {}),
    epoch: progress.epoch,
    epochs: progress.epochs,
    batch: progress.batch,
    batches: progress.batches,
    elapsedSeconds: progress.elapsedSeconds,
    remainingSeconds: finite(progress.remainingSeconds),
  };
  if (progress.phase === 'pretraining') return { run: { ...base, status: 'pretraining' }, urgent: true };
  if (progress.phase === 'training') {
    const point = {
      x: progress.epoch - 1 + progress.batch / Math.max(1, progress.batches),
      loss: progress.loss,
      accuracy: progress.accuracy,
    };
    const points = Number.isFinite(point.loss) ? thinPoints([...run.points, point]) : run.points;
    // Not urgent (rate-limited), except the first report of a network, which clears the charts.
    return { run: { ...base, status: 'training', points }, urgent: nextNetwork };
  }
  const epochPoint = {
    epoch: progress.epoch,
    loss: progress.loss,
    accuracy: progress.accuracy,
    validationLoss: progress.validationLoss ?? NaN,
    validationAccuracy: progress.validationAccuracy ?? NaN,
  };
  return {
    run: {
      ...base,
      status: 'training',
      epochPoints: [...run.epochPoints, epochPoint].filter((p) => Number.isFinite(p.loss)),
    },
    urgent: true,
  };
}

/** At most MAX_CHART_POINTS points: past that, every other point of the older half is dropped. Returns a new array. */
export function thinPoints<T>(points: readonly T[]): T[] {
  if (points.length <= MAX_CHART_POINTS) return [...points];
  const half = Math.floor(points.length / 2);
  return [...points.slice(0, half).filter((_, i) => i % 2 === 0), ...points.slice(half)];
}

/**
 * The share of a run done, in [0, 1]: finished epochs plus the part of the current one; for a seed
 * ensemble, finished networks plus that share of the current one (each network counted at its
 * maximum number of epochs: early stopping makes the figure jump ahead, never back).
 */
export function runFraction(run: RunView): number {
  const network = run.epochs
    ? Math.min(1, (Math.max(0, run.epoch - 1) + (run.batches ? run.batch / run.batches : 0)) / run.epochs)
    : 0;
  const members = run.members ?? 1;
  return Math.min(1, (Math.max(0, (run.member ?? 1) - 1) + network) / members);
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
