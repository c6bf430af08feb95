/**
 * Classifying many texts without holding the thread: texts go to the classifier in chunks sized
 * to a time budget, and the caller's event loop gets a turn (setImmediate) between chunks, so an
 * editor stays responsive while a large file or a workspace is checked. Plain Node, no VS Code.
 */
import type { Classification, Classifier } from './classifier';

/** Options of classifyInChunks. */
export interface ChunkOptions {
  /** Aim for chunks that take about this long (ms). Default 15. */
  readonly budgetMs?: number;
  /** Tokens (roughly: characters / 5) in the first chunk, before any timing is known. Default 400. */
  readonly firstChunkTokens?: number;
  /** Checked between chunks; when it returns true the remaining texts are not classified. */
  readonly isCancelled?: () => boolean;
  /** Gives the event loop a turn between chunks; default setImmediate. */
  readonly yieldToEventLoop?: () => Promise<void>;
  /** Called after each chunk with how many texts are done. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What classifyInChunks returns. */
export interface ChunkedResult {
  /** One classification per text in order; shorter than the input when cancelled. */
  readonly classifications: Classification[];
  readonly cancelled: boolean;
  /** The longest synchronous stretch (ms) spent classifying one chunk. */
  readonly longestBlockMs: number;
  readonly chunks: number;
  /** Wall-clock time from start to end (ms), yields included. */
  readonly totalMs: number;
}

/** The default yield: one turn of the event loop. */
export const yieldWithSetImmediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A rough token count of a text (about one token per five characters), for sizing chunks. */
export function roughTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 5));
}

/**
 * Classifies texts in order, in chunks whose size adapts to the measured time per token so that
 * each chunk takes about `budgetMs`; yields to the event loop between chunks. Pure with respect to
 * its inputs. A single text longer than a chunk is classified on its own (it cannot be split).
 */
export async function classifyInChunks(
  classifier: Classifier,
  texts: readonly string[],
  options: ChunkOptions = {},
): Promise<ChunkedResult> {
  const budgetMs = options.budgetMs ?? 15;
  const yieldToEventLoop = options.yieldToEventLoop ?? yieldWithSetImmediate;
  const started = performance.now();
  const classifications: Classification[] = [];
  let chunkTokens = options.firstChunkTokens ?? 400;
  let longestBlockMs = 0;
  let chunks = 0;
  let next = 0;
  while (next < texts.length) {
    if (options.isCancelled?.()) break;
    let end = next;
    let tokens = 0;
    while (end < texts.length && (end === next || tokens + roughTokenCount(texts[end]) <= chunkTokens)) {
      tokens += roughTokenCount(texts[end]);
      end++;
    }
    const blockStart = performance.now();
    for (const classification of classifier.classifyMany(texts.slice(next, end))) classifications.push(classification);
    const blockMs = performance.now() - blockStart;
    longestBlockMs = Math.max(longestBlockMs, blockMs);
    chunks++;
    // Next chunk: as many tokens as fit the budget at the speed just measured, within 2x either way.
    const perToken = blockMs / tokens;
    if (perToken > 0)
      chunkTokens = Math.round(Math.min(chunkTokens * 2, Math.max(chunkTokens / 2, budgetMs / perToken)));
    chunkTokens = Math.max(chunkTokens, 20);
    next = end;
    options.onProgress?.(next, texts.length);
    if (next < texts.length) await yieldToEventLoop();
  }
  return {
    classifications,
    cancelled: classifications.length < texts.length,
    longestBlockMs,
    chunks,
    totalMs: performance.now() - started,
  };
}
