/**
 * The tone of one comment: its negative probability, the words that pushed it most, and the
 * document ranges of its words (through the comment's offset map). Pure, no VS Code.
 */
import type { Classification, LabelProbabilities } from './classifier';
import type { CommentBlock } from './comments';
import { topNegativeContributors } from './scoring';

/** A range [start, end) of document offsets (UTF-16). */
export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

/** A word of a comment that raised its negative probability. */
export interface ToneContributor extends OffsetRange {
  /** The word as written in the document. */
  readonly word: string;
  readonly increase: number;
}

/** The tone of one comment. */
export interface CommentTone {
  readonly negativeProbability: number;
  /** At most three words, largest increase first. */
  readonly contributors: readonly ToneContributor[];
  /** Document range of the comment's prose: first to last character of `block.text`. */
  readonly proseRange: OffsetRange;
}

/**
 * Maps a range [start, end) of `block.text` to document offsets: from the document offset of its
 * first character to just after its last. An empty range maps to an empty range at `start`.
 */
export function blockRangeToDocument(block: CommentBlock, start: number, end: number): OffsetRange {
  if (block.offsets.length === 0) return { start: block.start, end: block.start };
  const first = block.offsets[Math.min(start, block.offsets.length - 1)];
  if (end <= start) return { start: first, end: first };
  return { start: first, end: block.offsets[Math.min(end, block.offsets.length) - 1] + 1 };
}

/**
 * The tone of a comment from its classification (of `block.text`).
 * @param negativeLabel the model's negative class.
 * @param prior the model's probabilities for the empty text, the baseline of the first word.
 */
export function commentTone(block: CommentBlock, classification: Classification, negativeLabel: string, prior?: LabelProbabilities): CommentTone {
  const contributors = topNegativeContributors(classification, negativeLabel, 3, prior).map(({ token, increase }) => {
    const range = blockRangeToDocument(block, token.start, token.end);
    return { ...range, word: block.text.slice(token.start, token.end), increase };
  });
  return {
    negativeProbability: classification.probabilities[negativeLabel] ?? 0,
    contributors,
    proseRange: blockRangeToDocument(block, 0, block.text.length),
  };
}

/**
 * A stable key for a comment's text, for remembering ignored comments across edits elsewhere:
 * white space runs collapsed, case kept. 53-bit FNV-1a-style hash as base-36 plus the length.
 */
export function commentKey(text: string): string {
  const normalised = text.replace(/\s+/g, ' ').trim();
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < normalised.length; i++) {
    const c = normalised.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  const hash = (h2 >>> 0) * 0x200000 + ((h1 >>> 0) & 0x1fffff);
  return `${hash.toString(36)}-${normalised.length}`;
}
