/**
 * The dialects of the code languages: which characters start comments and literals, and how
 * each literal is read. See ./index.ts for the language ids that map to each one.
 */
import {
  STOP,
  type Dialect,
  type Lexer,
  type StringSpec,
  isBlank,
  isIdentifierChar,
  readRegex,
  triggers,
  valueExpected,
} from './lexer';

// Character codes are module-local: a constant imported from another module is a getter call per
// use when the code runs unbundled (tsx, mocha), and these are read for every character.
const AT = 64;
const BANG = 33;
const BACKSLASH = 92;
const BACKTICK = 96;
const CR = 13;
const DASH = 45;
const DOLLAR = 36;
const DQUOTE = 34;
const EQUALS = 61;
const GT = 62;
const HASH = 35;
const LBRACKET = 91;
const LPAREN = 40;
const LT = 60;
const NEWLINE = 10;
const PERCENT = 37;
const QUESTION = 63;
const RBRACE = 125;
const RPAREN = 41;
const SLASH = 47;
const SPACE = 32;
const SQUOTE = 39;
const STAR = 42;
const TAB = 9;

const ESCAPED_LINE = (close: string): StringSpec => ({ close, escapes: true, multiline: false });
const ESCAPED_MULTILINE = (close: string): StringSpec => ({ close, escapes: true, multiline: true });
const RAW_MULTILINE = (close: string): StringSpec => ({ close, escapes: false, multiline: true });
// The common specs are built once: most literals are these, and a spec object per literal is garbage.
const DOUBLE_LINE = ESCAPED_LINE('"');
const SINGLE_LINE = ESCAPED_LINE("'");

/** Options of the `//` and `/* *\/` comments shared by the C family. */
interface SlashOptions {
  /** Line markers that make a doc comment, longest first ('///', '//!'). */
  readonly docLines: readonly string[];
  /** `/**` and `/*!` open doc comments. */
  readonly docBlocks: boolean;
  /** Block comments nest (Rust, Kotlin, Swift, Scala). */
  readonly nested: boolean;
  /** `//` line comments exist (not in CSS). */
  readonly lineComments: boolean;
  /** A line comment also ends here (PHP's `?>`). */
  readonly lineStop?: string;
}

/** Reads `//...` or `/*...*\/` at `i`; -1 when the `/` starts neither. */
function slashComment(lexer: Lexer, i: number, end: number, options: SlashOptions): number {
  const text = lexer.text;
  const next = text.charCodeAt(i + 1);
  if (next === SLASH && options.lineComments) {
    for (const marker of options.docLines) {
      // `////` is a plain comment in Rust and rustdoc's convention is widely shared.
      if (text.startsWith(marker, i) && !(marker === '///' && text.charCodeAt(i + 3) === SLASH)) {
        return lexer.lineComment(i, end, marker, 'doc', options.lineStop);
      }
    }
    return lexer.lineComment(i, end, '//', 'line', options.lineStop);
  }
  if (next === STAR) {
    const third = text.charCodeAt(i + 2);
    const isDoc =
      options.docBlocks &&
      ((third === STAR && text.charCodeAt(i + 3) !== SLASH && text.charCodeAt(i + 3) !== STAR) || third === BANG);
    return lexer.blockComment(i, end, '/*', '*/', options.nested, isDoc ? 'doc' : 'block', 'star');
  }
  return -1;
}

/** Reads a C-style character literal at `i` ('a', '\n'); an unterminated one ends at the line break. */
function charLiteral(lexer: Lexer, i: number, end: number): number {
  return lexer.readString(i + 1, end, SINGLE_LINE);
}

/** The identifier or number that ends just before `i` ('' if none). */
function wordBefore(text: string, i: number): string {
  let p = i;
  while (p > 0 && isIdentifierChar(text.charCodeAt(p - 1))) p--;
  return text.slice(p, i);
}

// ---- C, C++, Objective-C ----------------------------------------------------------------------

const C_SLASH: SlashOptions = { docLines: ['///', '//!'], docBlocks: true, nested: false, lineComments: true };
const C_CHAR_PREFIXES = new Set(['', 'L', 'u', 'U', 'u8']);

/** C and C++ (with raw strings R"delim(...)delim" and digit separators 1'000). */
export const cDialect: Dialect = {
  triggers: triggers(`/"'`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === SLASH) return slashComment(lexer, i, end, C_SLASH);
    const prefix = wordBefore(text, i);
    if (c === SQUOTE) return C_CHAR_PREFIXES.has(prefix) ? charLiteral(lexer, i, end) : i + 1;
    if (/^(?:u8|[uUL])?R$/.test(prefix)) {
      const paren = text.indexOf('(', i);
      const newline = text.indexOf('\n', i);
      if (paren > i && paren - i <= 17 && (newline < 0 || paren < newline)) {
        return lexer.readString(paren + 1, end, RAW_MULTILINE(`)${text.slice(i + 1, paren)}"`));
      }
    }
    return lexer.readString(i + 1, end, DOUBLE_LINE);
  },
};

// ---- Java, C#, Go, JavaScript/TypeScript --------------------------------------------------------

const JAVA_SLASH: SlashOptions = { docLines: [], docBlocks: true, nested: false, lineComments: true };

/** Java: strings, text blocks """...""", char literals. */
export const javaDialect: Dialect = {
  triggers: triggers(`/"'`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === SLASH) return slashComment(lexer, i, end, JAVA_SLASH);
    if (c === SQUOTE) return charLiteral(lexer, i, end);
    if (text.startsWith('"""', i)) return lexer.readString(i + 3, end, ESCAPED_MULTILINE('"""'));
    return lexer.readString(i + 1, end, DOUBLE_LINE);
  },
};

const CSHARP_SLASH: SlashOptions = { docLines: ['///'], docBlocks: true, nested: false, lineComments: true };

/** C#: regular, verbatim @"", interpolated $"{...}", raw """...""" strings and char literals. */
export const csharpDialect: Dialect = {
  triggers: triggers(`/"'`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === SLASH) return slashComment(lexer, i, end, CSHARP_SLASH);
    if (c === SQUOTE) return charLiteral(lexer, i, end);
    let quotes = 1;
    while (text.charCodeAt(i + quotes) === DQUOTE) quotes++;
    if (quotes >= 3) return lexer.readString(i + quotes, end, RAW_MULTILINE('"'.repeat(quotes)));
    let verbatim = false;
    let interpolated = false;
    for (let p = i - 1; p >= 0 && p >= i - 3; p--) {
      const prefix = text.charCodeAt(p);
      if (prefix === AT) verbatim = true;
      else if (prefix === DOLLAR) interpolated = true;
      else break;
    }
    return lexer.readString(i + 1, end, {
      close: '"',
      escapes: !verbatim,
      doubled: verbatim,
      multiline: verbatim,
      interpolation: interpolated ? { open: '{', close: RBRACE, doubledOpenIsLiteral: true } : undefined,
    });
  },
};

const GO_SLASH: SlashOptions = { docLines: [], docBlocks: false, nested: false, lineComments: true };

/** Go: interpreted "..." and raw `...` strings, rune literals. */
export const goDialect: Dialect = {
  triggers: triggers('/"\'`'),
  at(lexer, i, end) {
    const c = lexer.text.charCodeAt(i);
    if (c === SLASH) return slashComment(lexer, i, end, GO_SLASH);
    if (c === SQUOTE) return charLiteral(lexer, i, end);
    if (c === BACKTICK) return lexer.readString(i + 1, end, RAW_MULTILINE('`'));
    return lexer.readString(i + 1, end, DOUBLE_LINE);
  },
};

const JS_SLASH: SlashOptions = { docLines: [], docBlocks: true, nested: false, lineComments: true };
const JS_REGEX_KEYWORDS = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);
const TEMPLATE: StringSpec = {
  close: '`',
  escapes: true,
  multiline: true,
  interpolation: { open: '${', close: RBRACE },
};

/** JavaScript and TypeScript (and their React variants): strings, template literals with `${}`, regex literals. */
export const jsDialect: Dialect = {
  triggers: triggers('/"\'`'),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === SLASH) {
      const comment = slashComment(lexer, i, end, JS_SLASH);
      if (comment >= 0) return comment;
      // `</` closes a JSX tag; it never starts a regex in practice.
      if (text.charCodeAt(i - 1) === LT || !valueExpected(text, i, JS_REGEX_KEYWORDS)) return -1;
      return readRegex(text, i, end);
    }
    if (c === BACKTICK) return lexer.readString(i + 1, end, TEMPLATE);
    return lexer.readString(i + 1, end, c === DQUOTE ? DOUBLE_LINE : SINGLE_LINE);
  },
};

/** JSON with comments: strings and `//`, `/* *\/` only. */
export const jsoncDialect: Dialect = {
  triggers: triggers('/"'),
  at(lexer, i, end) {
    if (lexer.text.charCodeAt(i) === SLASH) return slashComment(lexer, i, end, JAVA_SLASH);
    return lexer.readString(i + 1, end, DOUBLE_LINE);
  },
};

// ---- Rust, Kotlin, Scala, Swift (nested block comments) -----------------------------------------

const RUST_SLASH: SlashOptions = { docLines: ['///', '//!'], docBlocks: true, nested: true, lineComments: true };

/** Rust: strings (multi-line), raw r#"..."# and byte/C strings, char literals versus lifetimes. */
export const rustDialect: Dialect = {
  triggers: triggers(`/"'`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === SLASH) return slashComment(lexer, i, end, RUST_SLASH);
    if (c === SQUOTE) {
      if (text.charCodeAt(i + 1) === BACKSLASH) return charLiteral(lexer, i, end);
      const width = text.codePointAt(i + 1) !== undefined && (text.codePointAt(i + 1) as number) > 0xffff ? 2 : 1;
      // 'a' is a char; 'a without a closing quote is a lifetime or a loop label.
      return text.charCodeAt(i + 1 + width) === SQUOTE ? i + 2 + width : i + 1;
    }
    let hashes = 0;
    while (text.charCodeAt(i - 1 - hashes) === HASH) hashes++;
    const prefix = wordBefore(text, i - hashes);
    if (prefix === 'r' || prefix === 'br' || prefix === 'cr') {
      return lexer.readString(i + 1, end, RAW_MULTILINE('"' + '#'.repeat(hashes)));
    }
    return lexer.readString(i + 1, end, ESCAPED_MULTILINE('"'));
  },
};

const KOTLIN_SLASH: SlashOptions = { docLines: [], docBlocks: true, nested: true, lineComments: true };
const KOTLIN_INTERPOLATION = { open: '${', close: RBRACE } as const;

/** Kotlin and Scala: "..." with `${}` templates, raw """...""" strings, char literals; nested comments. */
export const kotlinDialect: Dialect = {
  triggers: triggers(`/"'`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === SLASH) return slashComment(lexer, i, end, KOTLIN_SLASH);
    if (c === SQUOTE) return charLiteral(lexer, i, end);
    if (text.startsWith('"""', i)) {
      return lexer.readString(i + 3, end, {
        close: '"""',
        escapes: false,
        multiline: true,
        interpolation: KOTLIN_INTERPOLATION,
      });
    }
    return lexer.readString(i + 1, end, {
      close: '"',
      escapes: true,
      multiline: false,
      interpolation: KOTLIN_INTERPOLATION,
    });
  },
};

const SWIFT_SLASH: SlashOptions = { docLines: ['///'], docBlocks: true, nested: true, lineComments: true };

/** Swift: "..." and """...""" with `\( )` interpolation, extended delimiters #"..."#; nested comments. */
export const swiftDialect: Dialect = {
  triggers: triggers('/"'),
  at(lexer, i, end) {
    const text = lexer.text;
    if (text.charCodeAt(i) === SLASH) return slashComment(lexer, i, end, SWIFT_SLASH);
    let hashes = 0;
    while (text.charCodeAt(i - 1 - hashes) === HASH) hashes++;
    const pounds = '#'.repeat(hashes);
    const triple = text.startsWith('"""', i);
    return lexer.readString(i + (triple ? 3 : 1), end, {
      close: (triple ? '"""' : '"') + pounds,
      escapes: hashes === 0,
      multiline: triple,
      interpolation: { open: `\\${pounds}(`, close: RPAREN },
    });
  },
};

// ---- PHP ----------------------------------------------------------------------------------------

const PHP_SLASH: SlashOptions = { docLines: [], docBlocks: true, nested: false, lineComments: true, lineStop: '?>' };
const PHP_DOUBLE: StringSpec = {
  close: '"',
  escapes: true,
  multiline: true,
  interpolation: { open: '{$', close: RBRACE },
};

/** PHP code between `<?php` and `?>`: `//`, `#` (not `#[` attributes), `/* *\/`; strings; heredoc and nowdoc. */
export const phpDialect: Dialect = {
  triggers: triggers('/#"\'`?<'),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    switch (c) {
      case SLASH:
        return slashComment(lexer, i, end, PHP_SLASH);
      case HASH:
        return text.charCodeAt(i + 1) === LBRACKET ? -1 : lexer.lineComment(i, end, '#', 'line', '?>');
      case QUESTION:
        return text.charCodeAt(i + 1) === GT ? STOP : -1;
      case SQUOTE:
        return lexer.readString(i + 1, end, ESCAPED_MULTILINE("'"));
      case BACKTICK:
        return lexer.readString(i + 1, end, ESCAPED_MULTILINE('`'));
      case DQUOTE:
        return lexer.readString(i + 1, end, PHP_DOUBLE);
      case LT: {
        const heredoc = /^<<<[ \t]*(["']?)([A-Za-z_]\w*)\1/.exec(text.slice(i, i + 80));
        if (!heredoc) return -1;
        lexer.addHeredoc(heredoc[2]);
        return i + heredoc[0].length;
      }
    }
    return -1;
  },
};

// ---- CSS, SCSS, Less ----------------------------------------------------------------------------

const CSS_SLASH: SlashOptions = { docLines: [], docBlocks: false, nested: false, lineComments: false };
const SCSS_SLASH: SlashOptions = { docLines: ['///'], docBlocks: false, nested: false, lineComments: true };

function cssDialectWith(slash: SlashOptions): Dialect {
  return {
    triggers: triggers(`/"'(`),
    at(lexer, i, end) {
      const text = lexer.text;
      const c = text.charCodeAt(i);
      if (c === SLASH) return slashComment(lexer, i, end, slash);
      if (c === LPAREN) {
        // url(http://example.com/x.png): an unquoted URL is one token, its `//` no comment.
        if (!/url$/i.test(wordBefore(text, i))) return -1;
        let p = i + 1;
        while (p < end && isBlank(text.charCodeAt(p))) p++;
        if (text.charCodeAt(p) === DQUOTE || text.charCodeAt(p) === SQUOTE) return -1;
        const close = text.indexOf(')', p);
        return close < 0 || close >= end ? -1 : close + 1;
      }
      return lexer.readString(i + 1, end, c === DQUOTE ? DOUBLE_LINE : SINGLE_LINE);
    },
  };
}

/** CSS: `/* *\/` comments only; strings; unquoted url(...). */
export const cssDialect = cssDialectWith(CSS_SLASH);
/** SCSS and Less: CSS plus `//` line comments (`///` is SassDoc). */
export const scssDialect = cssDialectWith(SCSS_SLASH);

// ---- SQL, Lua -----------------------------------------------------------------------------------

const SQL_SINGLE: StringSpec = { close: "'", escapes: false, doubled: true, multiline: true };
const SQL_ESCAPE_SINGLE: StringSpec = { close: "'", escapes: true, doubled: true, multiline: true };

/** SQL: `--` and `/* *\/`; '...' with '' escapes (E'..' with backslashes), "identifiers", `backticks`, $tag$ dollar quoting. */
export const sqlDialect: Dialect = {
  triggers: triggers('-/"\'`$'),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    switch (c) {
      case DASH:
        return text.charCodeAt(i + 1) === DASH ? lexer.lineComment(i, end, '--') : -1;
      case SLASH:
        return text.charCodeAt(i + 1) === STAR ? lexer.blockComment(i, end, '/*', '*/', false, 'block', 'star') : -1;
      case SQUOTE:
        return lexer.readString(i + 1, end, /^[eE]$/.test(wordBefore(text, i)) ? SQL_ESCAPE_SINGLE : SQL_SINGLE);
      case DQUOTE:
        return lexer.readString(i + 1, end, { close: '"', escapes: false, doubled: true, multiline: true });
      case BACKTICK:
        return lexer.readString(i + 1, end, { close: '`', escapes: false, doubled: true, multiline: true });
      case DOLLAR: {
        if (isIdentifierChar(text.charCodeAt(i - 1))) return -1;
        const tag = /^\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$/.exec(text.slice(i, i + 64));
        if (!tag) return -1;
        const close = text.indexOf(tag[0], i + tag[0].length);
        return close < 0 || close >= end ? end : close + tag[0].length;
      }
    }
    return -1;
  },
};

/** Length of a Lua long bracket `[==[` at `i` (including both brackets), or 0. */
function longBracket(text: string, i: number): number {
  if (text.charCodeAt(i) !== LBRACKET) return 0;
  let p = i + 1;
  while (text.charCodeAt(p) === EQUALS) p++;
  return text.charCodeAt(p) === LBRACKET ? p - i + 1 : 0;
}

/** Lua: `--` (`---` is LuaDoc), `--[[ ]]` and `--[==[ ]==]` long comments, long strings, "..." and '...'. */
export const luaDialect: Dialect = {
  triggers: triggers(`-["'`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === DASH) {
      if (text.charCodeAt(i + 1) !== DASH) return -1;
      const bracket = longBracket(text, i + 2);
      if (bracket > 0) {
        const open = text.slice(i, i + 2 + bracket);
        const close = ']' + '='.repeat(bracket - 2) + ']';
        return lexer.blockComment(i, end, open, close, false, 'block', 'plain');
      }
      if (text.charCodeAt(i + 2) === DASH && text.charCodeAt(i + 3) !== DASH)
        return lexer.lineComment(i, end, '---', 'doc');
      return lexer.lineComment(i, end, '--');
    }
    if (c === LBRACKET) {
      const bracket = longBracket(text, i);
      return bracket > 0 ? lexer.readString(i + bracket, end, RAW_MULTILINE(']' + '='.repeat(bracket - 2) + ']')) : -1;
    }
    return lexer.readString(i + 1, end, c === DQUOTE ? DOUBLE_LINE : SINGLE_LINE);
  },
};

// ---- Python -------------------------------------------------------------------------------------

const PYTHON_PREFIX = /^(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])$/;

/**
 * Python: `#` comments; strings with prefixes, triple quotes and f-string `{}` fields. A string
 * literal that is a statement of its own (first on its line, outside brackets, nothing but a comment
 * after it) is a docstring: module, class, function and attribute docstrings all have that shape.
 */
export const pythonDialect: Dialect = {
  triggers: triggers(`#"'`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    if (c === HASH) return lexer.lineComment(i, end, '#');
    const word = wordBefore(text, i);
    const prefix = PYTHON_PREFIX.test(word) ? word : '';
    const lower = prefix.toLowerCase();
    const formatted = lower.includes('f') || lower.includes('t');
    const quote = c === DQUOTE ? '"' : "'";
    const triple = text.startsWith(quote.repeat(3), i);
    const contentStart = i + (triple ? 3 : 1);
    const close = triple ? quote.repeat(3) : quote;
    const after = lexer.readString(contentStart, end, {
      close,
      // In raw strings a backslash still keeps the next quote from closing the string.
      escapes: true,
      multiline: triple,
      interpolation: formatted ? { open: '{', close: RBRACE, doubledOpenIsLiteral: true } : undefined,
    });
    const start = i - prefix.length;
    if (
      !lower.includes('b') &&
      !formatted &&
      lexer.depth === 0 &&
      startsStatement(text, start) &&
      endsStatement(text, after)
    ) {
      const contentEnd =
        text.endsWith(close, after) && after - close.length >= contentStart ? after - close.length : after;
      lexer.comments.push({ start, end: after, contentStart, contentEnd, kind: 'doc', style: 'plain', marker: '' });
    }
    return after;
  },
};

/** Only indentation before `i` on its line, and the previous line is not continued with a backslash. */
function startsStatement(text: string, i: number): boolean {
  let p = i - 1;
  while (p >= 0 && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p--;
  if (p < 0) return true;
  if (text.charCodeAt(p) !== NEWLINE) return false;
  p--;
  if (p >= 0 && text.charCodeAt(p) === CR) p--;
  return p < 0 || text.charCodeAt(p) !== BACKSLASH;
}

/** Only white space, then the end of the line, a `#` comment or a `;`, after `i`. */
function endsStatement(text: string, i: number): boolean {
  let p = i;
  while (p < text.length && isBlank(text.charCodeAt(p))) p++;
  if (p >= text.length) return true;
  const c = text.charCodeAt(p);
  return c === NEWLINE || c === HASH || c === 59;
}

// ---- Ruby ---------------------------------------------------------------------------------------

const RUBY_KEYWORDS = new Set([
  'if',
  'unless',
  'when',
  'and',
  'or',
  'not',
  'return',
  'while',
  'until',
  'then',
  'else',
  'elsif',
  'puts',
  'p',
  'print',
]);
const RUBY_DOUBLE = (close: string): StringSpec => ({
  close,
  escapes: true,
  multiline: true,
  interpolation: { open: '#{', close: RBRACE },
});
const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** Ruby: `#`, `=begin`/`=end`; strings with `#{}`, %-literals, regex literals, heredocs, `$"`-style globals. */
export const rubyDialect: Dialect = {
  triggers: triggers(`#="'\`/%<$`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    switch (c) {
      case HASH:
        return lexer.lineComment(i, end, '#');
      case EQUALS: {
        if ((i > 0 && text.charCodeAt(i - 1) !== NEWLINE) || !/^=begin(?:[ \t\r\n]|$)/.test(text.slice(i, i + 7)))
          return -1;
        const bodyStart = text.indexOf('\n', i);
        const close = /^=end(?:[ \t\r\n]|$)/m;
        const rest = bodyStart < 0 ? '' : text.slice(bodyStart + 1, end);
        const match = close.exec(rest);
        const contentStart = bodyStart < 0 ? end : bodyStart + 1;
        const contentEnd = match ? contentStart + match.index : end;
        let after = end;
        if (match) {
          const lineEnd = text.indexOf('\n', contentEnd);
          after = lineEnd < 0 || lineEnd > end ? end : lineEnd;
        }
        lexer.comments.push({
          start: i,
          end: after,
          contentStart,
          contentEnd,
          kind: 'block',
          style: 'plain',
          marker: '',
        });
        return after;
      }
      case DQUOTE:
        return lexer.readString(i + 1, end, RUBY_DOUBLE('"'));
      case BACKTICK:
        return lexer.readString(i + 1, end, RUBY_DOUBLE('`'));
      case SQUOTE:
        return lexer.readString(i + 1, end, ESCAPED_MULTILINE("'"));
      case SLASH:
        return valueExpected(text, i, RUBY_KEYWORDS) ? readRegex(text, i, end) : -1;
      case PERCENT: {
        if (!valueExpected(text, i, RUBY_KEYWORDS)) return -1;
        const literal = /^%[qQwWiIrsx]?([^\w\s])/.exec(text.slice(i, i + 3));
        if (!literal) return -1;
        const open = literal[1];
        const close = PAIRS[open] ?? open;
        return readDelimited(text, i + literal[0].length, end, open, close);
      }
      case LT: {
        const heredoc = /^<<([~-]?)(["'`]?)([A-Za-z_]\w*)\2/.exec(text.slice(i, i + 80));
        if (!heredoc || (heredoc[1] === '' && heredoc[2] === '' && !/^[A-Z_][A-Z0-9_]*$/.test(heredoc[3]))) return -1;
        lexer.addHeredoc(heredoc[3]);
        return i + heredoc[0].length;
      }
      case DOLLAR: {
        const next = text.charCodeAt(i + 1);
        return next === DQUOTE || next === SQUOTE || next === BACKTICK ? i + 2 : -1;
      }
    }
    return -1;
  },
};

/** Index after a %-literal body that started just after `open`; bracket pairs nest. */
function readDelimited(text: string, i: number, end: number, open: string, close: string): number {
  const openCode = open.charCodeAt(0);
  const closeCode = close.charCodeAt(0);
  let depth = 0;
  for (let p = i; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === BACKSLASH) p++;
    else if (c === closeCode) {
      if (depth === 0) return p + 1;
      depth--;
    } else if (c === openCode && openCode !== closeCode) depth++;
  }
  return end;
}

// ---- Shell --------------------------------------------------------------------------------------

/** Characters after which a `#` starts a word (so a comment) in the shell. */
const SHELL_WORD_BREAK = new Set([SPACE, TAB, NEWLINE, CR, 59, 38, 124, LPAREN, RPAREN, LT, GT]);
const SHELL_DOUBLE: StringSpec = {
  close: '"',
  escapes: true,
  multiline: true,
  interpolation: { open: '$(', close: RPAREN },
};

/** POSIX shell and bash: `#` at the start of a word; '...', $'...', "..." with $(...), `...`, backslashes, heredocs. */
export const shellDialect: Dialect = {
  triggers: triggers(`#'"\`\\<`),
  at(lexer, i, end) {
    const text = lexer.text;
    const c = text.charCodeAt(i);
    switch (c) {
      case HASH:
        return i === 0 || SHELL_WORD_BREAK.has(text.charCodeAt(i - 1)) ? lexer.lineComment(i, end, '#') : -1;
      case BACKSLASH:
        return i + 2;
      case SQUOTE:
        return lexer.readString(
          i + 1,
          end,
          text.charCodeAt(i - 1) === DOLLAR ? ESCAPED_MULTILINE("'") : RAW_MULTILINE("'"),
        );
      case DQUOTE:
        return lexer.readString(i + 1, end, SHELL_DOUBLE);
      case BACKTICK:
        return lexer.readString(i + 1, end, ESCAPED_MULTILINE('`'));
      case LT: {
        const heredoc = /^<<-?[ \t]*(?:(["'])([^"'\s]+)\1|\\?([A-Za-z_0-9]+))/.exec(text.slice(i, i + 80));
        if (!heredoc || text.charCodeAt(i + 2) === LT) return -1;
        lexer.addHeredoc(heredoc[2] ?? heredoc[3]);
        return i + heredoc[0].length;
      }
    }
    return -1;
  },
};
