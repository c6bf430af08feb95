/** Random batches and comparisons shared by the engine's unit tests. */
import * as assert from 'assert';
import type { Batch } from '../../src/core/model/batching';
import type { Architecture } from '../../src/core/model/architecture';
import { Random } from '../../src/core/engine';

/**
 * A batch of the given lengths padded to `timeSteps` (default: the longest, at least 1): random
 * ids (never PAD or OOV) and labels; with `stepLabels`, random per-step labels (-1 for about a fifth).
 */
export function randomBatch(
  arch: Architecture,
  lengths: number[],
  timeSteps: number | undefined,
  seed: number,
  stepLabels = false,
): Batch {
  const rng = new Random(seed);
  const B = lengths.length;
  const T = timeSteps ?? Math.max(1, ...lengths);
  const ids = new Int32Array(B * T);
  const steps = new Int32Array(B * T).fill(-1);
  lengths.forEach((len, b) => {
    for (let t = 0; t < len; t++) {
      ids[b * T + t] = 2 + rng.int(arch.vocabSize - 2);
      steps[b * T + t] = rng.next() < 0.2 ? -1 : rng.int(arch.numClasses);
    }
  });
  const labels = Int32Array.from(lengths, () => rng.int(arch.numClasses));
  return {
    ids,
    lengths: Int32Array.from(lengths),
    batchSize: B,
    timeSteps: T,
    labels,
    ...(stepLabels ? { stepLabels: steps } : {}),
  };
}

/** A batch of `size` sentences of random lengths 0..maxLength, padded to the longest, random ids. */
export function randomLengthsBatch(arch: Architecture, size: number, maxLength: number, seed: number): Batch {
  const rng = new Random(seed);
  return randomBatch(
    arch,
    Array.from({ length: size }, () => rng.int(maxLength + 1)),
    undefined,
    seed + 1,
  );
}

/** The largest absolute difference between two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
