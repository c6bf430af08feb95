/**
 * Padding and batching of id sequences. Padding is id 0 and always follows the real tokens;
 * every batch carries its sentences' true lengths.
 */

/** A padded batch: ids [batchSize, timeSteps] row-major int32, true lengths [batchSize]. */
export interface Batch {
  readonly ids: Int32Array;
  readonly lengths: Int32Array;
  readonly batchSize: number;
  readonly timeSteps: number;
  /** Class index per sentence [batchSize], when training or evaluating. */
  readonly labels?: Int32Array;
  /** Optional per-token class index [batchSize, timeSteps]; -1 (and every padding step) contributes no loss. */
  readonly stepLabels?: Int32Array;
}

/**
 * Pads sequences to the longest one (at most `maxLength`; longer sequences are cut to their
 * first `maxLength` ids). An empty sequence keeps length 0. Inputs are not changed.
 */
export function padBatch(sequences: readonly Int32Array[], maxLength = Infinity, labels?: readonly number[]): Batch {
  const lengths = new Int32Array(sequences.length);
  let timeSteps = 0;
  sequences.forEach((seq, i) => {
    lengths[i] = Math.min(seq.length, maxLength);
    timeSteps = Math.max(timeSteps, lengths[i]);
  });
  timeSteps = Math.max(timeSteps, 1);
  const ids = new Int32Array(sequences.length * timeSteps);
  sequences.forEach((seq, i) => ids.set(seq.subarray(0, lengths[i]), i * timeSteps));
  return {
    ids,
    lengths,
    batchSize: sequences.length,
    timeSteps,
    ...(labels ? { labels: Int32Array.from(labels) } : {}),
  };
}
