/**
 * Turning what the lexers found into CommentBlocks: strip markers and decoration line by line,
 * merge runs of line comments, and build the text with its offset map back into the document.
 */
import type { CommentBlock, CommentKind, RawComment } from './types';

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const STAR = 42;
const BANG = 33;

const isBlank = (c: number): boolean => c === SPACE || c === TAB || c === CR || c === 0xa0 || c === 0xfeff;

/**
 * Builds a CommentBlock from the kept part of each line, as flat pairs [start0, end0, start1, end1, ...]
 * of document offsets, one pair per line (an empty pair keeps a blank line). Blank lines at either end
 * are dropped; returns undefined when nothing is left.
 */
export function blockFromLines(
  document: string,
  lines: readonly number[],
  start: number,
  end: number,
  kind: CommentKind,
): CommentBlock | undefined {
  let first = 0;
  let last = lines.length - 2;
  while (first <= last && lines[first] === lines[first + 1]) first += 2;
  while (last >= first && lines[last] === lines[last + 1]) last -= 2;
  if (first > last) return undefined;
  if (first === last) {
    // One line, the common case: no joining needed.
    const from = lines[first];
    const offsets = new Int32Array(lines[first + 1] - from);
    for (let k = 0; k < offsets.length; k++) offsets[k] = from + k;
    return { text: document.slice(from, lines[first + 1]), offsets, start, end, kind };
  }
  let length = 0;
  for (let k = first; k <= last; k += 2) length += lines[k + 1] - lines[k] + (k > first ? 1 : 0);
  const offsets = new Int32Array(length);
  const pieces: string[] = [];
  let at = 0;
  for (let k = first; k <= last; k += 2) {
    const lineStart = lines[k];
    const lineEnd = lines[k + 1];
    if (k > first) {
      // The '\n' that joins this line to the previous one stands for the previous line's own break.
      const previousEnd = lines[k - 1];
      const lineBreak = document.indexOf('\n', previousEnd);
      offsets[at++] = lineBreak >= 0 && lineBreak < lineStart ? lineBreak : previousEnd;
      pieces.push('\n');
    }
    for (let p = lineStart; p < lineEnd; p++) offsets[at++] = p;
    pieces.push(document.slice(lineStart, lineEnd));
  }
  return { text: pieces.join(''), offsets, start, end, kind };
}

/** Start offset of the line holding `offset`. */
export function lineStartOf(document: string, offset: number): number {
  return document.lastIndexOf('\n', offset - 1) + 1;
}

/** True when only white space precedes `offset` on its line. */
function aloneOnLine(document: string, offset: number): boolean {
  for (let p = offset - 1; p >= 0; p--) {
    const c = document.charCodeAt(p);
    if (c === NEWLINE) return true;
    if (!isBlank(c)) return false;
  }
  return true;
}

/** Appends the kept range of the line [from, to) to `lines`, after skipping a leading run of `skipRun` (if > 0) and white space. */
function pushTrimmed(document: string, from: number, to: number, lines: number[], skipRun = -1): void {
  while (to > from && isBlank(document.charCodeAt(to - 1))) to--;
  if (skipRun >= 0) while (from < to && document.charCodeAt(from) === skipRun) from++;
  while (from < to && isBlank(document.charCodeAt(from))) from++;
  lines.push(from, to);
}

/** The kept ranges of a block comment's content, one pair per line. */
function blockLines(document: string, comment: RawComment): number[] {
  const lines: number[] = [];
  let from = comment.contentStart;
  const contentEnd = comment.contentEnd;
  for (let index = 0; from <= contentEnd; index++) {
    let to = document.indexOf('\n', from);
    if (to < 0 || to > contentEnd) to = contentEnd;
    let lineStart = from;
    let lineEnd = to;
    if (comment.style === 'star') {
      // `/**` and `/*!` openers leave their extra character at the very start; later lines carry a ` * ` gutter.
      if (index === 0)
        while (
          lineStart < lineEnd &&
          (document.charCodeAt(lineStart) === STAR || document.charCodeAt(lineStart) === BANG)
        )
          lineStart++;
      else {
        while (lineStart < lineEnd && isBlank(document.charCodeAt(lineStart))) lineStart++;
        while (lineStart < lineEnd && document.charCodeAt(lineStart) === STAR) lineStart++;
      }
      // A closing `*****/` leaves a star run right before the content's end.
      if (to === contentEnd) while (lineEnd > lineStart && document.charCodeAt(lineEnd - 1) === STAR) lineEnd--;
    }
    pushTrimmed(document, lineStart, lineEnd, lines);
    from = to + 1;
  }
  return lines;
}

/**
 * Converts a lexer's raw comments (in document order) into CommentBlocks: line comments that sit
 * alone on adjacent lines at the same column with the same marker become one block.
 */
export function buildBlocks(document: string, raw: readonly RawComment[]): CommentBlock[] {
  const blocks: CommentBlock[] = [];
  const sorted = isSorted(raw) ? raw : [...raw].sort((a, b) => a.start - b.start);
  for (let k = 0; k < sorted.length; k++) {
    const comment = sorted[k];
    if (comment.style !== 'line') {
      const block = blockFromLines(document, blockLines(document, comment), comment.start, comment.end, comment.kind);
      if (block) blocks.push(block);
      continue;
    }
    const lines: number[] = [];
    const skipRun = comment.marker.charCodeAt(comment.marker.length - 1);
    pushTrimmed(document, comment.contentStart, comment.contentEnd, lines, skipRun);
    let last = comment;
    if (aloneOnLine(document, comment.start)) {
      const column = comment.start - lineStartOf(document, comment.start);
      while (k + 1 < sorted.length && continuesRun(document, last, sorted[k + 1], column)) {
        last = sorted[++k];
        pushTrimmed(document, last.contentStart, last.contentEnd, lines, skipRun);
      }
    }
    const block = blockFromLines(document, lines, comment.start, last.end, comment.kind);
    if (block) blocks.push(block);
  }
  return blocks;
}

function isSorted(raw: readonly RawComment[]): boolean {
  for (let k = 1; k < raw.length; k++) if (raw[k].start < raw[k - 1].start) return false;
  return true;
}

/** True when `next` is a line comment with the same marker, alone on the line after `previous`, at `column`. */
function continuesRun(document: string, previous: RawComment, next: RawComment, column: number): boolean {
  if (next.style !== 'line' || next.marker !== previous.marker) return false;
  let p = previous.end;
  if (document.charCodeAt(p) === CR) p++;
  if (document.charCodeAt(p) !== NEWLINE) return false;
  p++;
  if (next.start - p !== column) return false;
  for (; p < next.start; p++) if (!isBlank(document.charCodeAt(p))) return false;
  return true;
}
