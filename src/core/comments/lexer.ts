/**
 * A small table-driven scanner shared by the code languages. The main loop walks the text one
 * character at a time and hands the characters a dialect cares about (quotes, `/`, `#`, ...) to
 * the dialect, which reads a whole comment or literal and says where it ended. Everything else
 * is skipped, except brackets (counted, so interpolations like `${ ... }` find their end) and
 * newlines (where pending heredoc bodies are skipped).
 */
import type { RawComment } from './types';

// Character codes (module-local: see dialects.ts).
const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const BACKSLASH = 92;
const SLASH = 47;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKTICK = 96;
const DOLLAR = 36;
const LPAREN = 40;
const RPAREN = 41;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/** Returned by a dialect to stop the scan at the current position (PHP's `?>`). */
export const STOP = -2;

/** How a dialect reads the comments and literals of one language. */
export interface Dialect {
  /** ASCII characters (a 128-entry table) at which `at` is consulted. */
  readonly triggers: Uint8Array;
  /**
   * Reads the comment or literal starting at `i` (the character is one of the triggers), pushing
   * comments to `lexer.comments`. Returns the index just after it, -1 when nothing starts here, or STOP.
   */
  at(lexer: Lexer, i: number, end: number): number;
}

/** How to read the body of a string literal, from just after its opening delimiter. */
export interface StringSpec {
  /** The closing delimiter. */
  readonly close: string;
  /** Backslash escapes the next character. */
  readonly escapes: boolean;
  /** A doubled closing delimiter stands for itself ('' in SQL, "" in C# verbatim strings). */
  readonly doubled?: boolean;
  /** The literal may span lines; when false an unescaped newline ends an unterminated literal. */
  readonly multiline: boolean;
  /** An embedded expression: `open` (e.g. '${') starts code that ends at the matching `close` bracket. */
  readonly interpolation?: { readonly open: string; readonly close: number; readonly doubledOpenIsLiteral?: boolean };
}

/** A trigger table from a string of ASCII characters. */
export function triggers(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let k = 0; k < chars.length; k++) table[chars.charCodeAt(k)] = 1;
  return table;
}

/** Letters, digits, `_` and `$`, plus any non-ASCII character (identifiers in most languages). */
export function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === DOLLAR || c > 127;
}

/** Space, tab or carriage return (white space that does not end a line). */
export const isBlank = (c: number): boolean => c === SPACE || c === TAB || c === CR;

/** One scan over a document; collects RawComments. */
export class Lexer {
  /** Comments found so far, in document order. */
  readonly comments: RawComment[];
  /** Bracket depth of code outside strings and comments; Python's docstring check reads it. */
  depth = 0;
  private readonly heredocs: string[] = [];

  constructor(
    readonly text: string,
    readonly dialect: Dialect,
    comments: RawComment[] = [],
  ) {
    this.comments = comments;
  }

  /**
   * Scans [from, end). With `close` set (a closing bracket's char code), stops just after the
   * bracket that closes an interpolation and returns that index; otherwise returns where it stopped.
   */
  scan(from: number, end: number, close = -1): number {
    const text = this.text;
    const table = this.dialect.triggers;
    const open = close === RBRACE ? LBRACE : close === RPAREN ? LPAREN : close === RBRACKET ? LBRACKET : -1;
    let nested = 0;
    let i = from;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 128 && table[c] === 1) {
        const next = this.dialect.at(this, i, end);
        if (next > i) {
          i = next;
          continue;
        }
        if (next === STOP) return i;
      }
      switch (c) {
        case LPAREN:
        case LBRACKET:
        case LBRACE:
          this.depth++;
          if (c === open) nested++;
          break;
        case RPAREN:
        case RBRACKET:
        case RBRACE:
          if (c === close) {
            if (nested === 0) return i + 1;
            nested--;
          }
          if (this.depth > 0) this.depth--;
          break;
        case NEWLINE:
          if (this.heredocs.length > 0) {
            i = this.skipHeredocs(i + 1, end);
            continue;
          }
          break;
      }
      i++;
    }
    return end;
  }

  /** Records a line comment from `i` (its `marker` starts there) to the end of the line; returns that end. */
  lineComment(i: number, end: number, marker: string, kind: 'line' | 'doc' = 'line', stopAt?: string): number {
    let lineEnd = this.text.indexOf('\n', i);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    if (stopAt !== undefined) {
      // Searched within the line only, so a file without `stopAt` stays linear.
      const stop = this.text.slice(i + marker.length, lineEnd).indexOf(stopAt);
      if (stop >= 0) lineEnd = i + marker.length + stop;
    }
    let contentEnd = lineEnd;
    if (contentEnd > i && this.text.charCodeAt(contentEnd - 1) === CR) contentEnd--;
    this.comments.push({
      start: i,
      end: contentEnd,
      contentStart: i + marker.length,
      contentEnd,
      kind,
      style: 'line',
      marker,
    });
    return lineEnd;
  }

  /**
   * Records a block comment opened by `open` at `i` and closed by `close` (nesting when `nested`);
   * an unterminated comment runs to `end`. Returns the index after it.
   */
  blockComment(
    i: number,
    end: number,
    open: string,
    close: string,
    nested: boolean,
    kind: 'block' | 'doc',
    style: 'star' | 'plain',
  ): number {
    const text = this.text;
    let p = i + open.length;
    let depth = 1;
    let contentEnd = end;
    let after = end;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === close.charCodeAt(0) && text.startsWith(close, p)) {
        if (--depth === 0) {
          contentEnd = p;
          after = p + close.length;
          break;
        }
        p += close.length;
      } else if (nested && c === open.charCodeAt(0) && text.startsWith(open, p)) {
        depth++;
        p += open.length;
      } else p++;
    }
    this.comments.push({ start: i, end: after, contentStart: i + open.length, contentEnd, kind, style, marker: '' });
    return after;
  }

  /** Reads a string body from `i` (just after the opening delimiter); returns the index after the closing one. */
  readString(i: number, end: number, spec: StringSpec): number {
    const text = this.text;
    const close = spec.close;
    const close0 = close.charCodeAt(0);
    const closeLength = close.length;
    const interpolation = spec.interpolation;
    const interpolation0 = interpolation ? interpolation.open.charCodeAt(0) : -1;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === interpolation0 && interpolation && text.startsWith(interpolation.open, i)) {
        const after = i + interpolation.open.length;
        if (interpolation.doubledOpenIsLiteral && text.startsWith(interpolation.open, after)) {
          i = after + interpolation.open.length;
          continue;
        }
        i = this.scan(after, end, interpolation.close);
        continue;
      }
      if (c === BACKSLASH && spec.escapes) {
        i += 2;
        continue;
      }
      if (c === close0 && (closeLength === 1 || text.startsWith(close, i))) {
        if (spec.doubled && text.startsWith(close, i + closeLength)) {
          i += 2 * closeLength;
          continue;
        }
        return i + closeLength;
      }
      if (c === NEWLINE && !spec.multiline) return i;
      i++;
    }
    return end;
  }

  /** Registers a heredoc: its body starts on the next line and ends at a line holding `terminator`. */
  addHeredoc(terminator: string): void {
    this.heredocs.push(terminator);
  }

  /** Skips the bodies of pending heredocs from the start of a line; returns the index after the last terminator. */
  private skipHeredocs(i: number, end: number): number {
    const text = this.text;
    while (this.heredocs.length > 0) {
      const terminator = this.heredocs.shift() as string;
      let found = false;
      while (i < end && !found) {
        let lineEnd = text.indexOf('\n', i);
        if (lineEnd < 0 || lineEnd > end) lineEnd = end;
        let p = i;
        while (p < lineEnd && isBlank(text.charCodeAt(p))) p++;
        if (text.startsWith(terminator, p) && !isIdentifierChar(text.charCodeAt(p + terminator.length))) {
          i = p + terminator.length;
          found = true;
        } else i = lineEnd + 1;
      }
      if (!found) return end;
      if (this.heredocs.length > 0) {
        const lineEnd = text.indexOf('\n', i);
        i = lineEnd < 0 ? end : lineEnd + 1;
      }
    }
    return i;
  }
}

/** Index after a regular expression literal opened by the `/` at `i`, or -1 when the line ends first. */
export function readRegex(text: string, i: number, end: number): number {
  let inClass = false;
  for (let p = i + 1; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === BACKSLASH) p++;
    else if (c === NEWLINE) return -1;
    else if (c === LBRACKET) inClass = true;
    else if (c === RBRACKET) inClass = false;
    else if (c === SLASH && !inClass) {
      p++;
      while (p < end && isIdentifierChar(text.charCodeAt(p))) p++;
      return p;
    }
  }
  return -1;
}

/**
 * Whether a value (so a regex, not a division) may start at `i`: looks back past white space at the
 * previous character. After an identifier, number, string or closing bracket it is a division,
 * unless the word is one of `keywords` (`return /x/`).
 */
export function valueExpected(text: string, i: number, keywords: ReadonlySet<string>): boolean {
  let p = i - 1;
  while (p >= 0 && (isBlank(text.charCodeAt(p)) || text.charCodeAt(p) === NEWLINE)) p--;
  if (p < 0) return true;
  const c = text.charCodeAt(p);
  if (c === RPAREN || c === RBRACKET || c === RBRACE || c === DQUOTE || c === SQUOTE || c === BACKTICK) return false;
  if (!isIdentifierChar(c)) return true;
  let wordStart = p;
  while (wordStart > 0 && isIdentifierChar(text.charCodeAt(wordStart - 1))) wordStart--;
  return keywords.has(text.slice(wordStart, p + 1));
}
