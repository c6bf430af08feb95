/**
 * Review comments: their extraction (this index) and the tone check over them (commentCheck.ts,
 * commentTone.ts, checkSettings.ts).
 *
 * Comment extraction: finds the comments of a source document (or the paragraphs of a Markdown or
 * plain-text document) with an exact map from every character of their prose back to the document.
 * Pure TypeScript with no Node or VS Code APIs, so it runs in the extension host, a worker or a webview.
 *
 * Each language family has a lexer that knows its string syntax, so `"http://x"` in JavaScript or
 * `'# no'` in Python is not a comment. Known limits, all deliberate approximations:
 * - JavaScript regex literals are recognised from the previous token (`x / y` versus `= /re/`);
 *   after `)` a `/` is always division, so `if (x) /re/.test(s)` misreads the regex.
 * - JSX text is read as code: an apostrophe in `<p>Don't</p>` opens a string to the end of that line,
 *   and `//` in JSX text counts as a comment.
 * - Template literals, Kotlin/Ruby/C#/Swift/Python f-string interpolations and shell `$( )` are
 *   followed by bracket counting; shell heredocs (`<<EOF`, `<<-EOF`), Ruby heredocs (`<<~EOS`) and
 *   PHP heredoc/nowdoc are skipped up to a line starting with their terminator.
 * - PostgreSQL $tag$ bodies are strings, so comments inside function bodies are not reported; MySQL
 *   `#` comments are not recognised. SQL block comments do not nest.
 * - Python: every string literal that is a statement of its own (first on its line, outside brackets,
 *   nothing but a comment after it) is a docstring of kind 'doc'; f-strings and bytes never are.
 * - Ruby `?x` character literals and `%` literals after an identifier are not recognised.
 * - Only '\n' and '\r\n' line endings (a lone '\r' is not a line break).
 * - A shebang line (`#!...`) at the start of a file is not a comment.
 */
import { buildBlocks } from './blocks';
import {
  cDialect,
  cssDialect,
  csharpDialect,
  goDialect,
  javaDialect,
  jsDialect,
  jsoncDialect,
  kotlinDialect,
  luaDialect,
  pythonDialect,
  rubyDialect,
  rustDialect,
  scssDialect,
  shellDialect,
  sqlDialect,
  swiftDialect,
} from './dialects';
import { type Dialect, Lexer } from './lexer';
import { scanMarkup, scanPhp } from './markup';
import { markdownParagraphs, plainTextParagraphs } from './prose';
import type { CommentBlock, RawComment } from './types';
import { scanYaml } from './yaml';

export type { CommentBlock, CommentKind } from './types';
export { looksLikeCode } from './looksLikeCode';
export { languageOfPath } from './fileLanguages';

type Scanner = (text: string, out: RawComment[]) => void;

const withDialect =
  (dialect: Dialect): Scanner =>
  (text, out) => {
    // A shebang line is an interpreter directive, not a comment.
    const from = text.startsWith('#!') ? text.indexOf('\n') + 1 || text.length : 0;
    new Lexer(text, dialect, out).scan(from, text.length);
  };
const html: Scanner = (text, out) => scanMarkup(text, 0, text.length, out, true);
const xml: Scanner = (text, out) => scanMarkup(text, 0, text.length, out, false);

const SCANNERS: Readonly<Record<string, Scanner>> = Object.freeze({
  c: withDialect(cDialect),
  cpp: withDialect(cDialect),
  'cuda-cpp': withDialect(cDialect),
  'objective-c': withDialect(cDialect),
  'objective-cpp': withDialect(cDialect),
  csharp: withDialect(csharpDialect),
  java: withDialect(javaDialect),
  javascript: withDialect(jsDialect),
  javascriptreact: withDialect(jsDialect),
  typescript: withDialect(jsDialect),
  typescriptreact: withDialect(jsDialect),
  jsonc: withDialect(jsoncDialect),
  go: withDialect(goDialect),
  rust: withDialect(rustDialect),
  kotlin: withDialect(kotlinDialect),
  scala: withDialect(kotlinDialect),
  swift: withDialect(swiftDialect),
  python: withDialect(pythonDialect),
  ruby: withDialect(rubyDialect),
  php: scanPhp,
  shellscript: withDialect(shellDialect),
  sql: withDialect(sqlDialect),
  lua: withDialect(luaDialect),
  css: withDialect(cssDialect),
  scss: withDialect(scssDialect),
  less: withDialect(scssDialect),
  html,
  xml,
  xsl: xml,
  svg: xml,
  yaml: scanYaml,
});

const PROSE: Readonly<Record<string, (text: string) => CommentBlock[]>> = Object.freeze({
  markdown: markdownParagraphs,
  plaintext: plainTextParagraphs,
});

/** The VS Code language ids extractComments understands, sorted. */
export const SUPPORTED_LANGUAGES: readonly string[] = Object.freeze(
  [...Object.keys(SCANNERS), ...Object.keys(PROSE)].sort(),
);

/** Whether extractComments knows the VS Code language id `languageId` (e.g. 'typescript', 'python'). */
export function isSupportedLanguage(languageId: string): boolean {
  return Object.hasOwn(SCANNERS, languageId) || Object.hasOwn(PROSE, languageId);
}

/**
 * The comments of a document, in document order. Line comments alone on adjacent lines at the same
 * column (same marker) are merged into one block; doc comments (`/** *\/`, `///`, `//!`, Python
 * docstrings, LuaDoc `---`) have kind 'doc'. Comments with no text left after stripping markers and
 * decoration are dropped. For 'markdown' and 'plaintext' the blocks are the paragraphs.
 * Unknown language ids give []. Pure: `text` is not changed.
 * @param text the whole document.
 * @param languageId a VS Code language id; see SUPPORTED_LANGUAGES.
 */
export function extractComments(text: string, languageId: string): CommentBlock[] {
  if (Object.hasOwn(PROSE, languageId)) return PROSE[languageId](text);
  if (!Object.hasOwn(SCANNERS, languageId)) return [];
  const raw: RawComment[] = [];
  SCANNERS[languageId](text, raw);
  return buildBlocks(text, raw);
}
