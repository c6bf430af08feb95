/**
 * Packed, time-major layout of a padded batch (like PyTorch's PackedSequence): sentences sorted
 * by length, longest first, so the rows still running at step t are a prefix 0..active[t]-1 and
 * step t occupies packed rows offsets[t] .. offsets[t] + active[t] - 1. Padding steps get no
 * row at all, so no work is ever done past a sentence's length.
 */
import type { Batch } from '../model/batching';

/** Where every real token of a batch lives in the packed layout. */
export interface Packing {
  /** order[p] = batch row of the p-th longest sentence (stable for equal lengths). [B] */
  readonly order: Int32Array;
  /** Length of the p-th longest sentence, clipped to [0, timeSteps]. [B] */
  readonly sortedLengths: Int32Array;
  /** Longest length in the batch (number of steps computed). */
  readonly steps: number;
  /** active[t] = sentences with length > t. [steps] */
  readonly active: Int32Array;
  /** offsets[t] = first packed row of step t. [steps + 1]; offsets[steps] = tokens. */
  readonly offsets: Int32Array;
  /** Total real tokens = packed rows. */
  readonly tokens: number;
}

/** Computes the packed layout of a batch. Does not change the batch. */
export function packBatch(batch: Batch): Packing {
  const { batchSize, timeSteps } = batch;
  const clipped = new Int32Array(batchSize);
  for (let b = 0; b < batchSize; b++) clipped[b] = Math.max(0, Math.min(timeSteps, batch.lengths[b] | 0));
  const order = Int32Array.from({ length: batchSize }, (_, b) => b).sort((x, y) => clipped[y] - clipped[x] || x - y);
  const sortedLengths = new Int32Array(batchSize);
  for (let p = 0; p < batchSize; p++) sortedLengths[p] = clipped[order[p]];
  const steps = batchSize > 0 ? sortedLengths[0] : 0;
  const active = new Int32Array(steps);
  for (let p = 0; p < batchSize; p++) for (let t = 0; t < sortedLengths[p]; t++) active[t]++;
  const offsets = new Int32Array(steps + 1);
  for (let t = 0; t < steps; t++) offsets[t + 1] = offsets[t] + active[t];
  return { order, sortedLengths, steps, active, offsets, tokens: offsets[steps] };
}

/**
 * Splits a batch's rows in two: in length order (longest first), even positions to `own` (this
 * thread), odd ones to `other` (the helper), so both halves have similar lengths.
 */
export function splitSentences(batch: Batch): { own: Int32Array; other: Int32Array } {
  const { order } = packBatch(batch);
  const own = new Int32Array(Math.ceil(order.length / 2));
  const other = new Int32Array(Math.floor(order.length / 2));
  for (let p = 0; p < order.length; p++) {
    if (p % 2 === 0) own[p >> 1] = order[p];
    else other[p >> 1] = order[p];
  }
  return { own, other };
}

/** A batch of the given rows of `batch` (same timeSteps). */
export function selectSentences(batch: Batch, rows: Int32Array): Batch {
  const T = batch.timeSteps;
  const ids = new Int32Array(rows.length * T);
  const stepLabels = batch.stepLabels ? new Int32Array(rows.length * T) : undefined;
  const lexicon = batch.lexicon;
  const roles = lexicon ? new Uint8Array(rows.length * T) : undefined;
  const moves = lexicon ? new Float32Array(rows.length * T) : undefined;
  rows.forEach((row, i) => {
    ids.set(batch.ids.subarray(row * T, row * T + T), i * T);
    stepLabels?.set(batch.stepLabels!.subarray(row * T, row * T + T), i * T);
    roles?.set(lexicon!.roles.subarray(row * T, row * T + T), i * T);
    moves?.set(lexicon!.moves.subarray(row * T, row * T + T), i * T);
  });
  return {
    ids,
    lengths: Int32Array.from(rows, (row) => batch.lengths[row]),
    batchSize: rows.length,
    timeSteps: T,
    ...(batch.labels ? { labels: Int32Array.from(rows, (row) => batch.labels![row]) } : {}),
    ...(stepLabels ? { stepLabels } : {}),
    ...(lexicon ? { lexicon: { ...lexicon, roles: roles!, moves: moves! } } : {}),
    ...(batch.softTargets
      ? { softTargets: selectRows(batch.softTargets, rows, batch.softTargets.length / batch.batchSize) }
      : {}),
    ...(batch.stepSoftTargets
      ? { stepSoftTargets: selectRows(batch.stepSoftTargets, rows, batch.stepSoftTargets.length / batch.batchSize) }
      : {}),
  };
}

/** Rows `rows` of a row-major [n, width] array. */
function selectRows(values: Float32Array, rows: Int32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, i) => out.set(values.subarray(row * width, row * width + width), i * width));
  return out;
}
