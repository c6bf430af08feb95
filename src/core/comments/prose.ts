/**
 * Markdown and plain text, where the prose itself is what gets checked: each paragraph is one
 * block of kind 'paragraph'. Markdown headings and list items are paragraphs of their own; block
 * quote markers, heading hashes, list bullets and task boxes are stripped; front matter, fenced and
 * indented code blocks, HTML comments, lone HTML tags, thematic breaks and table separator rows are
 * skipped. Inline code stays in the text.
 */
import { blockFromLines } from './blocks';
import type { CommentBlock } from './types';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+|$)/;
const CLOSING_HASHES = /[ \t]+#+[ \t]*$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/;
const QUOTE = /^[ \t]*(?:>[ \t]?)+/;
const BREAK_ROW = /^[ \t]*(?:(?:[-*_=][ \t]*){3,}|\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?)[ \t]*$/;
const LONE_TAG = /^[ \t]*<\/?[A-Za-z][^>]*>[ \t]*$/;
const INDENT = /^(?: {4}|\t)/;

/** Collects the lines of the current paragraph and emits it as a block. */
class Paragraphs {
  readonly blocks: CommentBlock[] = [];
  private lines: number[] = [];

  constructor(private readonly text: string) {}

  get isEmpty(): boolean {
    return this.lines.length === 0;
  }

  /** Adds the line part [from, to), trimmed of white space. */
  add(from: number, to: number): void {
    const text = this.text;
    while (from < to && /\s/.test(text[from])) from++;
    while (to > from && /\s/.test(text[to - 1])) to--;
    if (from < to) this.lines.push(from, to);
  }

  flush(): void {
    if (this.lines.length === 0) return;
    const block = blockFromLines(this.text, this.lines, this.lines[0], this.lines[this.lines.length - 1], 'paragraph');
    if (block) this.blocks.push(block);
    this.lines = [];
  }
}

/** Calls `visit(start, end)` for each line (end excludes the line break and a trailing '\r'), from `from`. */
function forEachLine(text: string, from: number, visit: (start: number, end: number) => void): void {
  let i = from;
  while (i <= text.length) {
    let lineEnd = text.indexOf('\n', i);
    const next = lineEnd < 0 ? text.length + 1 : lineEnd + 1;
    if (lineEnd < 0) lineEnd = text.length;
    visit(i, lineEnd > i && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd);
    i = next;
  }
}

/** Paragraphs of plain text: runs of non-blank lines. */
export function plainTextParagraphs(text: string): CommentBlock[] {
  const paragraphs = new Paragraphs(text);
  forEachLine(text, 0, (start, end) => {
    if (text.slice(start, end).trim() === '') paragraphs.flush();
    else paragraphs.add(start, end);
  });
  paragraphs.flush();
  return paragraphs.blocks;
}

/** Index where the body starts after YAML (`---`) or TOML (`+++`) front matter, or 0. */
function frontMatterEnd(text: string): number {
  const opener = /^(---|\+\+\+)[ \t]*\r?\n/.exec(text);
  if (!opener) return 0;
  const closer = new RegExp(`^(?:${opener[1] === '---' ? '---|\\.\\.\\.' : '\\+\\+\\+'})[ \\t]*$`, 'm');
  const body = text.slice(opener[0].length);
  const match = closer.exec(body);
  if (!match) return 0;
  const lineEnd = text.indexOf('\n', opener[0].length + match.index);
  return lineEnd < 0 ? text.length : lineEnd + 1;
}

/** Paragraphs of a Markdown document (see the module comment for what is skipped). */
export function markdownParagraphs(text: string): CommentBlock[] {
  const paragraphs = new Paragraphs(text);
  let fence = '';
  let inHtmlComment = false;
  let inList = false;
  forEachLine(text, frontMatterEnd(text), (start, end) => {
    const line = text.slice(start, end);
    if (fence !== '') {
      const closing = FENCE.exec(line);
      if (
        closing &&
        closing[1][0] === fence[0] &&
        closing[1].length >= fence.length &&
        line.slice(closing[0].length).trim() === ''
      )
        fence = '';
      return;
    }
    if (inHtmlComment) {
      inHtmlComment = !line.includes('-->');
      return;
    }
    if (line.trim() === '') {
      paragraphs.flush();
      return;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      paragraphs.flush();
      fence = opening[1];
      return;
    }
    if (/^ {0,3}<!--/.test(line)) {
      paragraphs.flush();
      inHtmlComment = !line.includes('-->', line.indexOf('<!--') + 4);
      return;
    }
    if (paragraphs.isEmpty && !inList && INDENT.test(line)) return; // an indented code block
    if (BREAK_ROW.test(line) || LONE_TAG.test(line)) {
      paragraphs.flush();
      return;
    }
    const quote = QUOTE.exec(line);
    let from = start + (quote ? quote[0].length : 0);
    const rest = text.slice(from, end);
    const heading = HEADING.exec(rest);
    if (heading) {
      paragraphs.flush();
      const closing = CLOSING_HASHES.exec(rest);
      paragraphs.add(from + heading[0].length, closing ? from + closing.index : end);
      paragraphs.flush();
      inList = false;
      return;
    }
    const item = LIST_ITEM.exec(rest);
    if (item) {
      paragraphs.flush();
      inList = true;
      from += item[0].length;
    } else if (paragraphs.isEmpty && !/^[ \t]/.test(rest)) {
      inList = false;
    }
    paragraphs.add(from, end);
  });
  paragraphs.flush();
  return paragraphs.blocks;
}
