/**
 * HTML and XML: `<!-- -->` comments outside tags (quoted attribute values are skipped), CDATA and
 * processing instructions skipped. In HTML, the bodies of <script> and <style> are lexed as
 * JavaScript and CSS, so their comments are found too. PHP files are HTML with `<?php ... ?>` islands.
 */
import { cssDialect, jsDialect, phpDialect } from './dialects';
import { Lexer, isIdentifierChar } from './lexer';
import type { RawComment } from './types';

// Character codes are module-local: a constant imported from another module is a getter call per
// use when the code runs unbundled (tsx, mocha), and these are read for every character.
const DQUOTE = 34;
const GT = 62;
const SQUOTE = 39;

/** Lexes markup in [from, to) into `out`; `html` enables <script>/<style> bodies. */
export function scanMarkup(text: string, from: number, to: number, out: RawComment[], html: boolean): void {
  let i = from;
  while (i < to) {
    const lt = text.indexOf('<', i);
    if (lt < 0 || lt >= to) return;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      const contentEnd = close < 0 || close + 3 > to ? to : close;
      const end = contentEnd === to ? to : close + 3;
      out.push({ start: lt, end, contentStart: lt + 4, contentEnd, kind: 'block', style: 'plain', marker: '' });
      i = end;
    } else if (text.startsWith('<![CDATA[', lt)) {
      i = skipPast(text, ']]>', lt + 9, to);
    } else if (text.startsWith('<?', lt)) {
      i = skipPast(text, '?>', lt + 2, to);
    } else if (text.startsWith('<!', lt) || text.startsWith('</', lt)) {
      i = skipPast(text, '>', lt + 2, to);
    } else if (isIdentifierChar(text.charCodeAt(lt + 1))) {
      const tagEnd = skipTag(text, lt + 1, to);
      i = tagEnd;
      if (!html || text.charCodeAt(tagEnd - 2) === 47) continue;
      let nameEnd = lt + 1;
      while (nameEnd < to && isIdentifierChar(text.charCodeAt(nameEnd))) nameEnd++;
      const name = text.slice(lt + 1, nameEnd).toLowerCase();
      if (name !== 'script' && name !== 'style') continue;
      const closeTag = new RegExp(`</${name}\\s*>`, 'ig');
      closeTag.lastIndex = tagEnd;
      const closing = closeTag.exec(text);
      const bodyEnd = closing && closing.index < to ? closing.index : to;
      new Lexer(text, name === 'script' ? jsDialect : cssDialect, out).scan(tagEnd, bodyEnd);
      i = bodyEnd;
    } else {
      i = lt + 1;
    }
  }
}

/** Index after the first `needle` at or after `from`, or `to`. */
function skipPast(text: string, needle: string, from: number, to: number): number {
  const at = text.indexOf(needle, from);
  return at < 0 || at + needle.length > to ? to : at + needle.length;
}

/** Index after the `>` that ends a start tag, skipping quoted attribute values. */
function skipTag(text: string, i: number, to: number): number {
  for (let p = i; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c === GT) return p + 1;
    if (c === DQUOTE || c === SQUOTE) {
      const close = text.indexOf(c === DQUOTE ? '"' : "'", p + 1);
      if (close < 0 || close >= to) return to;
      p = close;
    }
  }
  return to;
}

/**
 * PHP: text outside `<?php ... ?>` (or `<?= ... ?>`, `<? ... ?>`) is HTML. A file with no `<?` at
 * all is taken to be PHP code throughout (a snippet).
 */
export function scanPhp(text: string, out: RawComment[]): void {
  if (!text.includes('<?')) {
    new Lexer(text, phpDialect, out).scan(0, text.length);
    return;
  }
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<?', i);
    if (open < 0) {
      scanMarkup(text, i, text.length, out, true);
      return;
    }
    scanMarkup(text, i, open, out, true);
    const code = text.startsWith('<?php', open) ? open + 5 : text.startsWith('<?=', open) ? open + 3 : open + 2;
    const stop = new Lexer(text, phpDialect, out).scan(code, text.length);
    i = stop >= text.length ? text.length : stop + 2;
  }
}
