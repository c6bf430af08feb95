/**
 * What the comment check needs about a comment's text and the document: document ranges of parts of
 * a comment (through its offset map), the words that raised a probability, and a stable key of a
 * comment's text. Pure, no VS Code.
 */
import type { CommentBlock } from './types';

/** A range [start, end) of document offsets (UTF-16). */
export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

/** A word of a comment that raised a probability (of the negative or the harsh class). */
export interface ToneContributor extends OffsetRange {
  /** The word as written in the document. */
  readonly word: string;
  readonly increase: number;
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
