import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CommentBlock,
  SUPPORTED_LANGUAGES,
  extractComments,
  isSupportedLanguage,
  looksLikeCode,
} from '../../src/core/comments';

const FIXTURES = join(__dirname, '..', 'fixtures', 'comments');
const HACK = 'this is a terrible hack, rewrite it';

/** A fixture's text, with '\r\n' line endings when `crlf`. */
function fixture(name: string, crlf = false): string {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** Checks that every character of every block maps back to the same character of the document, in order and inside [start, end). */
function assertOffsetsMapBack(document: string, blocks: readonly CommentBlock[]): void {
  for (const block of blocks) {
    assert.equal(block.offsets.length, block.text.length, `offsets of ${JSON.stringify(block.text)}`);
    for (let i = 0; i < block.text.length; i++) {
      const offset = block.offsets[i];
      assert.equal(
        document.slice(offset, offset + 1),
        block.text[i],
        `character ${i} of ${JSON.stringify(block.text)}`,
      );
      assert.ok(offset >= block.start && offset < block.end, `offset ${offset} outside [${block.start}, ${block.end})`);
      if (i > 0) assert.ok(offset > block.offsets[i - 1], `offsets of ${JSON.stringify(block.text)} increase`);
    }
  }
}

/** Extracts the comments of a fixture, checks the offset map, and returns [kind, text] pairs. */
function commentsOf(name: string, languageId: string, crlf = false): [string, string][] {
  const document = fixture(name, crlf);
  const blocks = extractComments(document, languageId);
  assertOffsetsMapBack(document, blocks);
  return blocks.map((block) => [block.kind, block.text]);
}

/** Comments of an inline snippet as [kind, text] pairs, with the offset map checked. */
function comments(source: string, languageId: string): [string, string][] {
  const blocks = extractComments(source, languageId);
  assertOffsetsMapBack(source, blocks);
  return blocks.map((block) => [block.kind, block.text]);
}

describe('comments', () => {
  describe('C family: c, cpp, csharp, java', () => {
    it('c: block and merged line comments, not the comment markers inside a string, a char literal or after a digit separator', () => {
      assert.deepEqual(commentsOf('sample.c', 'c'), [
        ['block', 'Copies at most n bytes; the caller owns the buffer.'],
        ['line', `${HACK}\nbefore the next release`],
        ['line', 'digit separators are C23'],
        ['block', 'neutral: returns the count'],
      ]);
    });

    it('cpp: //! and /// are doc comments; a raw string R"re(...)re" hides its // and /*', () => {
      assert.deepEqual(commentsOf('sample.cpp', 'cpp'), [
        ['doc', 'Helpers for formatting log lines.'],
        ['doc', 'Joins the parts with a separator.'],
        ['line', HACK],
      ]);
    });

    it('csharp: /// doc runs; verbatim @"..." with "" escapes, interpolated $"{...}" and raw """ strings hide comment markers', () => {
      assert.deepEqual(commentsOf('sample.cs', 'csharp'), [
        ['doc', '<summary>\nFormats a review for display.\n</summary>'],
        ['line', HACK],
        ['block', 'Neutral note: keep the format stable.'],
      ]);
    });

    it('java: /** */ is doc with its star gutter stripped and blank lines kept; text blocks hide comment markers', () => {
      assert.deepEqual(commentsOf('sample.java', 'java'), [
        ['doc', 'Counts words in a review.\n\n<p>Thread-safe.'],
        ['line', 'where the reviews come from'],
        ['line', HACK],
        ['block', 'splits on white space'],
      ]);
    });
  });

  describe('JavaScript and TypeScript', () => {
    it('javascript: strings, regex literals and template literals with ${} hide //, and a division is not a regex', () => {
      assert.deepEqual(commentsOf('sample.js', 'javascript'), [
        ['line', 'base URL of the service'],
        ['line', 'ratio of done to all'],
        ['doc', 'Formats a review line.\n@param {string} text the review'],
        ['line', HACK],
      ]);
    });

    it('javascriptreact: {/* */} inside JSX is a comment; attribute URLs and closing tags are not', () => {
      assert.deepEqual(commentsOf('sample.jsx', 'javascriptreact'), [
        ['line', HACK],
        ['block', 'the body, shown as is'],
      ]);
    });

    it('typescript: /** */ on one line is doc; nested template literals hide their comment markers', () => {
      assert.deepEqual(commentsOf('sample.ts', 'typescript'), [
        ['doc', 'Where the reviews live.'],
        ['line', 'neutral: one URL for now'],
        ['line', `${HACK}\n(it reads the whole file into memory)`],
      ]);
    });

    it('typescriptreact: comments in JSX expressions, not in attribute strings', () => {
      assert.deepEqual(commentsOf('sample.tsx', 'typescriptreact'), [
        ['doc', 'Shows a score badge.'],
        ['block', HACK],
      ]);
    });

    it('regex literals after return and inside character classes do not open comments', () => {
      assert.deepEqual(comments('function f(s) {\n  return /[/*]+/.test(s); // real\n}\n', 'javascript'), [
        ['line', 'real'],
      ]);
    });

    it('a shebang line is not a comment', () => {
      assert.deepEqual(comments('#!/usr/bin/env node\n// first real comment\n', 'javascript'), [
        ['line', 'first real comment'],
      ]);
    });
  });

  describe('Go', () => {
    it('go: // runs merge; raw `...` strings, "//" strings and rune literals hide comment markers', () => {
      assert.deepEqual(commentsOf('sample.go', 'go'), [
        ['line', 'Cache keeps recent reviews in memory.\nIt is safe for concurrent use.'],
        ['line', HACK],
        ['block', 'neutral: no copy'],
      ]);
    });
  });

  describe('Rust, Kotlin, Swift', () => {
    it('rust: //! and /// doc comments, nested block comments, raw r#"..."# strings, chars versus lifetimes', () => {
      assert.deepEqual(commentsOf('sample.rs', 'rust'), [
        ['doc', 'Sliding windows over review text.'],
        ['doc', 'Returns the windows of `size` words.\nPanics when `size` is zero.'],
        ['block', 'outer /* nested */ still the outer comment'],
        ['line', HACK],
      ]);
    });

    it('rust: //// is a plain comment, not doc', () => {
      assert.deepEqual(comments('//// banner\nfn main() {}\n', 'rust'), [['line', 'banner']]);
    });

    it('kotlin: KDoc, nested block comments, ${} templates with strings inside, raw """ strings', () => {
      assert.deepEqual(commentsOf('sample.kt', 'kotlin'), [
        ['doc', 'Scores a review.'],
        ['block', 'outer /* nested */ end'],
        ['line', HACK],
        ['line', 'neutral: length for now'],
      ]);
    });

    it('swift: /// doc, nested block comments, \\( ) interpolation, #"..."# and """ strings', () => {
      assert.deepEqual(commentsOf('sample.swift', 'swift'), [
        ['doc', 'Formats a review for the list.'],
        ['block', 'outer /* nested */ end'],
        ['line', HACK],
        ['line', 'neutral: greeting'],
      ]);
    });
  });

  describe('Python', () => {
    it('python: docstrings are doc (dedented), # in strings, raw strings and f-string fields is not a comment', () => {
      assert.deepEqual(commentsOf('sample.py', 'python'), [
        ['doc', 'Summaries of labelled reviews.'],
        ['line', 'neutral: the default source'],
        ['doc', 'Counts reviews per label.'],
        ['doc', 'Return the counts.\n\nRows are (label, text) pairs.'],
        ['line', HACK],
      ]);
    });

    it('a string that is part of an expression is not a docstring', () => {
      assert.deepEqual(
        comments('x = """not a doc"""\ncall(\n    "an argument"\n)\n"""A bare string statement."""\n', 'python'),
        [['doc', 'A bare string statement.']],
      );
    });
  });

  describe('Ruby', () => {
    it('ruby: # runs, =begin/=end blocks; #{} interpolation, %r{} literals, regex literals and heredocs hide #', () => {
      assert.deepEqual(commentsOf('sample.rb', 'ruby'), [
        ['line', 'Formats reviews for the terminal.\nKeeps lines short.'],
        ['block', 'Neutral note: the width comes from the terminal.'],
        ['line', HACK],
      ]);
    });
  });

  describe('PHP', () => {
    it('php: HTML comments outside <?php, /** */, // and #, not #[attributes], strings or heredocs', () => {
      assert.deepEqual(commentsOf('sample.php', 'php'), [
        ['block', 'neutral: page for the review list'],
        ['doc', 'Lists the reviews.'],
        ['line', 'where the list lives'],
        ['line', HACK],
      ]);
    });

    it('php: ?> ends a line comment and the code', () => {
      assert.deepEqual(comments('<?php echo 1; // short ?><p>// text</p>', 'php'), [['line', 'short']]);
    });
  });

  describe('Shell', () => {
    it("shellscript: # only at a word start; quotes, $'...', ${#var}, \\# and heredocs hide it; the shebang is skipped", () => {
      assert.deepEqual(commentsOf('sample.sh', 'shellscript'), [
        ['line', 'Deploys the review service.\nNeutral: run from the repository root.'],
        ['line', HACK],
        ['line', 'trailing note'],
      ]);
    });
  });

  describe('SQL', () => {
    it("sql: -- runs and /* */; '' escapes, quoted identifiers and $$ bodies hide comment markers", () => {
      assert.deepEqual(commentsOf('sample.sql', 'sql'), [
        ['line', 'Reviews with their scores.\nNeutral: scores are between 0 and 1.'],
        ['block', 'the main table'],
        ['line', HACK],
      ]);
    });
  });

  describe('Lua', () => {
    it('lua: --- doc, -- line, --[[ ]] and --[==[ ]==] long comments; long strings hide --', () => {
      assert.deepEqual(commentsOf('sample.lua', 'lua'), [
        ['doc', 'Formats a review line.'],
        ['line', '(neutral) Used by the list view.'],
        ['block', 'this is a terrible hack,\nrewrite it'],
        ['block', 'block with ]] inside'],
        ['line', 'neutral: separator'],
      ]);
    });
  });

  describe('HTML and XML', () => {
    it('html: <!-- --> comments, and the comments of <style> and <script> bodies; not inside attribute values or text', () => {
      assert.deepEqual(commentsOf('sample.html', 'html'), [
        ['block', 'neutral: the review page'],
        ['block', HACK],
        ['line', 'neutral: script comment'],
      ]);
    });

    it('xml: multi-line comments are dedented; CDATA and the prolog are skipped', () => {
      assert.deepEqual(commentsOf('sample.xml', 'xml'), [
        ['block', 'Review settings.\nNeutral: defaults are fine.'],
        ['block', HACK],
      ]);
    });
  });

  describe('CSS, SCSS, Less', () => {
    it('css: only /* */ counts; strings and unquoted url() do not', () => {
      assert.deepEqual(commentsOf('sample.css', 'css'), [
        ['block', 'Styles for the review list.'],
        ['block', HACK],
      ]);
    });

    it('scss: /// is SassDoc, // is a line comment, url(http://...) is not', () => {
      assert.deepEqual(commentsOf('sample.scss', 'scss'), [
        ['doc', 'Colours of the review list.'],
        ['line', 'neutral: brand red'],
        ['line', HACK],
      ]);
    });

    it('less: // and /* */, but not url(//cdn...) or strings', () => {
      assert.deepEqual(commentsOf('sample.less', 'less'), [
        ['line', 'Variables for the review list.'],
        ['block', HACK],
        ['line', 'neutral: brand colour'],
      ]);
    });
  });

  describe('YAML', () => {
    it('yaml: # after white space; not in quoted scalars, in a#b, or in | block scalars; an apostrophe in a plain scalar opens nothing', () => {
      assert.deepEqual(commentsOf('sample.yaml', 'yaml'), [
        ['line', 'Settings for the review bot.\nNeutral: all keys are optional.'],
        ['line', HACK],
        ['line', 'neutral: first item'],
      ]);
    });
  });

  describe('Markdown and plain text', () => {
    it('markdown: paragraphs, headings and list items; front matter, fenced and indented code skipped; inline code kept', () => {
      assert.deepEqual(commentsOf('sample.md', 'markdown'), [
        ['paragraph', 'Review guide'],
        ['paragraph', 'This is a terrible hack, rewrite it. Neutral comments are fine too.\nThey can span lines.'],
        ['paragraph', 'First item with `inline code`'],
        ['paragraph', 'Second item'],
        ['paragraph', 'Quoted advice.'],
      ]);
    });

    it('plaintext: paragraphs separated by blank lines', () => {
      assert.deepEqual(commentsOf('sample.txt', 'plaintext'), [
        ['paragraph', 'This is a terrible hack, rewrite it.\nPlease.'],
        ['paragraph', 'A neutral second paragraph.'],
      ]);
    });
  });

  describe('blocks: merging, decoration, ranges, line endings', () => {
    it('merges line comments only when alone on adjacent lines at the same column with the same marker', () => {
      const source = [
        'a(); // trailing one',
        '// own line',
        '    // indented, so not merged',
        '// first of a run',
        '//',
        '// after a blank comment line',
        '/// doc, not merged with the plain run',
        '',
        '// after a blank line',
      ].join('\n');
      assert.deepEqual(comments(source, 'cpp'), [
        ['line', 'trailing one'],
        ['line', 'own line'],
        ['line', 'indented, so not merged'],
        ['line', 'first of a run\n\nafter a blank comment line'],
        ['doc', 'doc, not merged with the plain run'],
        ['line', 'after a blank line'],
      ]);
    });

    it("maps the newline joining two lines to the first line's own line break", () => {
      const source = '// one\n// two\n';
      const [block] = extractComments(source, 'javascript');
      assert.equal(block.text, 'one\ntwo');
      assert.equal(block.offsets[3], source.indexOf('\n'));
    });

    it('gives the range of the whole comment, markers included', () => {
      const source = 'x = 1; /* note */ y = 2;\n# no\n';
      const [block] = extractComments(source, 'c');
      assert.equal(source.slice(block.start, block.end), '/* note */');
    });

    it('strips star banners and drops comments with no text left', () => {
      const source = '/*****************\n * Banner text\n *****************/\n/**/\n//\n/* */\n';
      assert.deepEqual(comments(source, 'java'), [['block', 'Banner text']]);
    });

    it('runs an unterminated block comment to the end of the document', () => {
      assert.deepEqual(comments('int x; /* never closed\nstill comment', 'c'), [
        ['block', 'never closed\nstill comment'],
      ]);
    });

    it('handles \\r\\n line endings: same texts, offsets still map back', () => {
      for (const [name, language] of [
        ['sample.ts', 'typescript'],
        ['sample.py', 'python'],
        ['sample.java', 'java'],
        ['sample.md', 'markdown'],
        ['sample.yaml', 'yaml'],
        ['sample.rb', 'ruby'],
      ]) {
        assert.deepEqual(commentsOf(name, language, true), commentsOf(name, language), name);
      }
    });

    it('keeps non-ASCII text and maps it by UTF-16 offsets', () => {
      assert.deepEqual(comments('let s = "naïve // no"; // café — très 😀 bien\n', 'rust'), [
        ['line', 'café — très 😀 bien'],
      ]);
    });

    it('never throws and always maps offsets back on random soups of comment and string syntax (seeded)', () => {
      const pieces = [
        '/',
        '*',
        '#',
        '-',
        '"',
        "'",
        '`',
        '\\',
        '\n',
        '\r\n',
        ' ',
        'a',
        'r',
        'R',
        '$',
        '{',
        '}',
        '(',
        ')',
        '[',
        ']',
        '=',
        '<',
        '>',
        '!',
        '?',
        '%',
        '@',
        '|',
        'EOF',
        '<<',
        '<?php',
        '?>',
        '<!--',
        '-->',
        '"""',
        "'''",
        '=begin',
        '\n=end',
        '.',
        ':',
        ';',
        '<script>',
        '```',
        'é',
        '😀',
      ];
      let seed = 12345;
      const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (let k = 0; k < 200; k++) {
        let source = '';
        for (let length = Math.floor(random() * 100); length > 0; length--)
          source += pieces[Math.floor(random() * pieces.length)];
        for (const language of SUPPORTED_LANGUAGES) {
          const blocks = extractComments(source, language);
          assertOffsetsMapBack(source, blocks);
          assert.ok(
            blocks.every((block) => block.text !== ''),
            `${language}: ${JSON.stringify(source)}`,
          );
        }
      }
    });

    it('does not change its input and returns [] for unknown languages', () => {
      const source = '// a comment\n';
      assert.deepEqual(extractComments(source, 'brainfuck'), []);
      assert.deepEqual(extractComments('', 'typescript'), []);
      assert.equal(source, '// a comment\n');
    });
  });

  describe('isSupportedLanguage', () => {
    it('knows every required VS Code language id and rejects others', () => {
      const required = [
        'c',
        'cpp',
        'csharp',
        'java',
        'javascript',
        'javascriptreact',
        'typescript',
        'typescriptreact',
        'go',
        'rust',
        'python',
        'ruby',
        'php',
        'shellscript',
        'sql',
        'html',
        'xml',
        'css',
        'scss',
        'less',
        'yaml',
        'lua',
        'kotlin',
        'swift',
        'markdown',
        'plaintext',
      ];
      for (const id of required) assert.ok(isSupportedLanguage(id), id);
      assert.ok(required.every((id) => SUPPORTED_LANGUAGES.includes(id)));
      assert.equal(isSupportedLanguage('brainfuck'), false);
      assert.equal(isSupportedLanguage('toString'), false);
    });
  });

  describe('looksLikeCode', () => {
    it('recognises commented-out statements, calls, declarations and blocks', () => {
      for (const code of [
        'const x = compute(a, b);',
        'return null;',
        'if (x > 0) {',
        'foo.bar(baz)',
        '}',
        'def helper(x):',
        'for (let i = 0; i < n; i++) {\n  total += i;\n}',
        'x = 5',
        'import { readFile } from "fs";',
      ]) {
        assert.equal(looksLikeCode(code), true, code);
      }
    });

    it('leaves prose alone, including prose with parentheses, colons and a little code', () => {
      for (const prose of [
        HACK,
        'Returns the number of items (or zero).',
        'TODO: fix this mess, e.g. by caching the result.',
        'If the value is negative, we clamp it to zero.',
        'if this happens: retry once, then give up',
        'Uses `foo()` under the hood.\nIt is slow but correct.\nRewrite it when we have time.',
        '',
      ]) {
        assert.equal(looksLikeCode(prose), false, prose);
      }
    });
  });
});
