/**
 * YAML: a `#` starts a comment at the start of a line or after white space, outside quoted
 * scalars. A quote only opens a quoted scalar where a scalar may start (after indentation, `- `,
 * `: `, `[`, `{`, `,`, `? `), so the apostrophe in `key: don't` is just text. Block scalars
 * (`|`, `>`) are skipped: every more-indented line after them is content, never a comment.
 */
import { Lexer, isBlank } from './lexer';
import type { RawComment } from './types';

// Character codes are module-local: a constant imported from another module is a getter call per
// use when the code runs unbundled (tsx, mocha), and these are read for every character.
const DQUOTE = 34;
const GT = 62;
const HASH = 35;
const SPACE = 32;
const SQUOTE = 39;
const TAB = 9;

const SCALAR_STARTS = new Set(['-', ':', '[', '{', ',', '?']);
const FLOW_OPENERS = new Set(['[', '{', ',']);
const PIPE = 124;
const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;

/** Lexes a YAML document into `out`. */
export function scanYaml(text: string, out: RawComment[]): void {
  const lexer = new Lexer(text, { triggers: new Uint8Array(128), at: () => -1 }, out);
  const length = text.length;
  let i = 0;
  let blockIndent = -1;
  while (i < length) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = length;
    let indentEnd = i;
    while (indentEnd < lineEnd && (text.charCodeAt(indentEnd) === SPACE || text.charCodeAt(indentEnd) === TAB))
      indentEnd++;
    const indent = indentEnd - i;
    const blank = indentEnd === lineEnd || (indentEnd === lineEnd - 1 && text.charCodeAt(indentEnd) === 13);
    if (blockIndent >= 0 && (blank || indent > blockIndent)) {
      i = lineEnd + 1;
      continue;
    }
    blockIndent = -1;
    let previous = ''; // the last non-blank character seen on this line, '' at its start
    let p = indentEnd;
    let next = lineEnd + 1;
    while (p < lineEnd) {
      const c = text.charCodeAt(p);
      if (c === HASH && (p === indentEnd || isBlank(text.charCodeAt(p - 1)))) {
        lexer.lineComment(p, length, '#');
        break;
      }
      const opensScalar = c === SQUOTE || c === DQUOTE || c === PIPE || c === GT;
      const atScalarStart =
        opensScalar &&
        (previous === '' ||
          (SCALAR_STARTS.has(previous) && (isBlank(text.charCodeAt(p - 1)) || FLOW_OPENERS.has(previous))));
      if ((c === SQUOTE || c === DQUOTE) && atScalarStart) {
        const after =
          c === SQUOTE
            ? lexer.readString(p + 1, length, { close: "'", escapes: false, doubled: true, multiline: true })
            : lexer.readString(p + 1, length, { close: '"', escapes: true, multiline: true });
        previous = c === SQUOTE ? "'" : '"';
        if (after > lineEnd) {
          // A quoted scalar that spans lines: carry on from its end, on the line where it closed.
          const closingLineEnd = text.indexOf('\n', after);
          lineEnd = closingLineEnd < 0 ? length : closingLineEnd;
          next = lineEnd + 1;
        }
        p = after;
        continue;
      }
      if ((c === PIPE || c === GT) && atScalarStart && BLOCK_SCALAR.test(text.slice(p, lineEnd))) {
        blockIndent = indent;
        const hash = text.indexOf('#', p);
        if (hash >= 0 && hash < lineEnd) lexer.lineComment(hash, length, '#');
        break;
      }
      if (c !== SPACE && c !== TAB && c !== 13) previous = c < 128 ? ASCII[c] : text[p];
      p++;
    }
    i = next;
  }
}
