/** What kind of text a CommentBlock holds. */
export type CommentKind = 'line' | 'block' | 'doc' | 'paragraph';

/** One comment (or, in Markdown and plain text, one paragraph) found in a document. */
export interface CommentBlock {
  /** The comment's prose with comment markers and leading decoration (`//`, `#`, ` * `, `<!--`) removed; lines of a block joined by '\n'. */
  readonly text: string;
  /**
   * For every character of `text`, its offset in the original document (so token ranges map back
   * exactly). A '\n' inserted between joined lines maps to the '\n' that ends the original line.
   */
  readonly offsets: Int32Array;
  /** Start of the whole comment in the document, markers included (inclusive). */
  readonly start: number;
  /** End of the whole comment in the document, markers included (exclusive). */
  readonly end: number;
  /** 'line': `//`, `#`, `--` runs; 'block': `/* *\/`, `<!-- -->`...; 'doc': doc comments and docstrings; 'paragraph': Markdown and plain text. */
  readonly kind: CommentKind;
}

/**
 * A comment as a lexer sees it, before decoration is stripped and line comments are merged.
 * `style` says how to strip each line: 'line' (marker then spaces), 'star' (C-style block: a
 * leading `*` run on every line), 'plain' (white space only).
 */
export interface RawComment {
  readonly start: number;
  readonly end: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly kind: 'line' | 'block' | 'doc';
  readonly style: 'line' | 'star' | 'plain';
  /** For line comments, the marker that opened it (`//`, `///`, `#`, `--`); '' otherwise. */
  readonly marker: string;
}
