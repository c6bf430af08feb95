/**
 * Starting a new model's embedding from another model's: every word both vocabularies hold
 * gets the other model's row; the other rows keep their fresh initialisation.
 */
import { PAD_ID } from '../text/vocabulary';

/** An embedding matrix [tokens.length, dim] (float32, row-major) with its vocabulary. */
export interface SourceEmbedding {
  readonly tokens: readonly string[];
  readonly embedding: Float32Array;
  readonly dim: number;
}

/**
 * Returns a copy of `initial` ([targetTokens.length, dim] float32) in which the row of every token
 * also present in `source` (padding excepted) is the source's row. Throws when the dimensions differ
 * (the message names the source as `sourceName`).
 * Inputs are not changed.
 */
export function transferEmbedding(
  targetTokens: readonly string[],
  initial: Float32Array,
  dim: number,
  source: SourceEmbedding,
  sourceName = "the bundled model's embedding",
): { embedding: Float32Array; shared: number } {
  if (source.dim !== dim) {
    throw new Error(
      `${sourceName} has ${source.dim} dimensions, this run's embedding has ${dim}: set the embedding size to ${source.dim} to start from it`,
    );
  }
  if (initial.length !== targetTokens.length * dim)
    throw new Error(`initial embedding holds ${initial.length} values, expected ${targetTokens.length} x ${dim}`);
  const sourceRow = new Map(source.tokens.map((token, row) => [token, row]));
  const embedding = initial.slice();
  let shared = 0;
  targetTokens.forEach((token, row) => {
    const from = sourceRow.get(token);
    if (row === PAD_ID || from === undefined || from === PAD_ID) return;
    embedding.set(source.embedding.subarray(from * dim, (from + 1) * dim), row * dim);
    shared++;
  });
  return { embedding, shared };
}
