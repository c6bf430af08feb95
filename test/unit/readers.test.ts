import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDataset } from '../../src/core/readers/checks';
import { chooseColumns, looksLikeHeader } from '../../src/core/readers/columns';
import { parseDelimited } from '../../src/core/readers/csv';
import { decodeBytes, sniffBinary, splitLines } from '../../src/core/readers/encoding';
import { readLabelledFile, readPolarityPair } from '../../src/core/readers/files';
import { fingerprintFiles, sha256File } from '../../src/core/readers/fingerprint';
import { detectFormat } from '../../src/core/readers/formats';
import { parseLabelledText } from '../../src/core/readers/parse';
import type { LabelledExample, Problem } from '../../src/core/readers/types';
import { dataPath, needsData } from './fullData';

const FIXTURES = join(__dirname, '..', 'fixtures', 'readers');
const fixture = (name: string): string => join(FIXTURES, name);
const POS = dataPath('rt-polaritydata', 'rt-polarity.pos');
const NEG = dataPath('rt-polaritydata', 'rt-polarity.neg');
const SENTI4SD = dataPath('senti4sd', 'train.tsv');

/** Problems as [line, severity, code, reason] tuples, for exact comparison. */
const summary = (problems: readonly Problem[]): [number, string, string, string][] =>
  problems.map((p) => [p.line, p.severity, p.code, p.reason]);
const rows = (examples: readonly LabelledExample[]): [number, string, string][] =>
  examples.map((e) => [e.line, e.label, e.text]);
const example = (line: number, label: string, text: string, file = 'f'): LabelledExample => ({
  line,
  label,
  text,
  file,
});

describe('readers/encoding', () => {
  it('decodes valid UTF-8 as utf-8 and strips a BOM', () => {
    const decoded = decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9]));
    assert.deepEqual(decoded, { text: 'café', encoding: 'utf-8', bomStripped: true });
  });

  it('decodes invalid UTF-8 as windows-1252 with the 0x80-0x9F punctuation', () => {
    const decoded = decodeBytes(Uint8Array.from([0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0xe9]));
    assert.deepEqual(decoded, { text: '€…‘’“”–—™é', encoding: 'windows-1252', bomStripped: false });
  });

  it('maps the five bytes cp1252 leaves undefined to their C1 code points', () => {
    const { text } = decodeBytes(Uint8Array.from([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0xff]));
    assert.equal(text, '\u0081\u008d\u008f\u0090\u009dÿ');
  });

  it('splits lines on \\n only, dropping a \\r before it and not adding a line for the final \\n', () => {
    assert.deepEqual(splitLines('a\u0085b\r\nc\u2028d\re\nf\n'), ['a\u0085b', 'c\u2028d\re', 'f']);
    assert.deepEqual(splitLines('a\n\n'), ['a', '']);
    assert.deepEqual(splitLines(''), []);
  });

  it('sniffs NUL bytes and UTF-16 byte-order marks as not text', () => {
    assert.equal(
      sniffBinary(Uint8Array.from([0x61, 0x00, 0x62])),
      'file looks binary (NUL byte at offset 1); expected a text file',
    );
    assert.match(sniffBinary(Uint8Array.from([0xff, 0xfe, 0x61, 0x00])) ?? '', /^file is UTF-16/);
    assert.equal(sniffBinary(Uint8Array.from([0x61, 0x09, 0x62, 0x0d, 0x0a])), undefined);
  });
});

describe('readers/csv', () => {
  it('reads quoted fields with doubled quotes, commas and newlines, keeping each record’s start line', () => {
    const { records, problems } = parseDelimited('a,"b, ""c""\nd",e\r\nf,g\n', ',', true);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.line, r.fields]),
      [
        [1, ['a', 'b, "c"\nd', 'e']],
        [3, ['f', 'g']],
      ],
    );
  });

  it('reports text after a closing quote as an error on the record’s line and skips the record', () => {
    const { records, problems } = parseDelimited('x,y\n"he said "hi"",z\nok,1\n', ',', true);
    assert.deepEqual(summary(problems.map((p) => ({ file: '', ...p }))), [
      [
        2,
        'error',
        'syntax',
        'text after the closing quote of field 1; a quote inside a quoted field must be doubled (""); record skipped',
      ],
    ]);
    assert.deepEqual(
      records.map((r) => r.line),
      [1, 3],
    );
  });

  it('reports a quote never closed and resumes on the line after it', () => {
    const { records, problems } = parseDelimited('a,1\nb,"open\nc,2\n', ',', true);
    assert.deepEqual(problems, [
      {
        line: 2,
        reason: 'quoted field opened on line 2 is never closed; record skipped',
        severity: 'error',
        code: 'syntax',
      },
    ]);
    assert.deepEqual(
      records.map((r) => [r.line, r.fields]),
      [
        [1, ['a', '1']],
        [3, ['c', '2']],
      ],
    );
  });

  it('keeps a quote inside an unquoted field as an ordinary character, with a warning', () => {
    const { records, problems } = parseDelimited('say "hi" now,1\n', ',', true);
    assert.deepEqual(records[0].fields, ['say "hi" now', '1']);
    assert.deepEqual(problems, [
      {
        line: 1,
        reason: 'quote character inside an unquoted field, kept as an ordinary character',
        severity: 'warning',
        code: 'syntax',
      },
    ]);
  });

  it('treats quotes as ordinary characters when quoting is off and marks blank lines', () => {
    const { records, problems } = parseDelimited('"a\tb"\n\n', '\t', false);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => [r.line, r.fields, r.blank]),
      [
        [1, ['"a', 'b"'], false],
        [2, [''], true],
      ],
    );
  });
});

describe('readers/columns', () => {
  it('takes a first row with a known column name as a header', () => {
    assert.equal(
      looksLikeHeader([
        ['Review', 'Score'],
        ['good', '1'],
      ]),
      true,
    );
    assert.equal(
      looksLikeHeader([
        ['id', 'Sentence'],
        ['1', 'good'],
      ]),
      true,
    );
  });

  it('takes a first row that breaks a numeric or categorical column as a header', () => {
    assert.equal(
      looksLikeHeader([
        ['words', 'stars'],
        ['good film', '5'],
        ['bad film', '1'],
      ]),
      true,
    );
    const data = [
      ['good', 'pos'],
      ['bad', 'neg'],
      ['fine', 'pos'],
      ['awful', 'neg'],
      ['nice', 'pos'],
      ['poor', 'neg'],
    ];
    assert.equal(looksLikeHeader([['utterance', 'y'], ...data]), true);
    assert.equal(looksLikeHeader(data), false);
  });

  it('chooses columns by header name, by index, and from the data when unnamed', () => {
    assert.deepEqual(chooseColumns(['id', 'Body', 'Polarity'], true, []), { ok: true, textColumn: 1, labelColumn: 2 });
    assert.deepEqual(chooseColumns(['a', 'b', 'c'], true, [], 2, 'A'), { ok: true, textColumn: 2, labelColumn: 0 });
    const data = [
      ['positive', 'Love it', '1'],
      ['negative', 'Hate it', '2'],
      ['positive', 'So good', '3'],
    ];
    assert.deepEqual(chooseColumns(['column 1', 'column 2', 'column 3'], false, data), {
      ok: true,
      textColumn: 1,
      labelColumn: 0,
    });
  });

  it('explains a column that cannot be found', () => {
    assert.deepEqual(chooseColumns(['text', 'label'], true, [], 'review'), {
      ok: false,
      reason: "no text column named 'review' (columns: text, label)",
    });
    assert.deepEqual(chooseColumns(['column 1', 'column 2'], false, [], 'text'), {
      ok: false,
      reason: "text column 'text' cannot be found by name: the file has no header; give a 0-based index",
    });
    assert.deepEqual(chooseColumns(['a', 'b'], true, [], undefined, 5), {
      ok: false,
      reason: 'label column index 5 is out of range (the file has 2 columns, numbered from 0)',
    });
  });
});

describe('readers/formats', () => {
  it('detects the format from the file extension', () => {
    assert.equal(detectFormat('data/train.jsonl', ''), 'jsonl');
    assert.equal(detectFormat('C:\\data\\train.CSV', 'x\ty'), 'csv');
    assert.equal(detectFormat('rt-polarity.neg', 'a,b'), 'polarity-pair');
  });

  it('detects the format from content when the extension does not say', () => {
    assert.equal(detectFormat('a.txt', '{"text": "hi", "label": "pos"}\n'), 'jsonl');
    assert.equal(detectFormat('a.tsv', 'positive\tgreat film\nnegative\tdull film\npositive\tfine\n'), 'labeltab');
    assert.equal(detectFormat('a.tsv', 'text\tlabel\ngreat\tpositive\n'), 'tsv');
    assert.equal(detectFormat('a.tsv', 'great film\tpositive\ndull film\tnegative\n'), 'tsv');
    assert.equal(detectFormat('a.txt', 'great film,positive\ndull film,negative\n'), 'csv');
    assert.equal(detectFormat('a.txt', 'a great film , really .\nanother line\n'), 'polarity-pair');
  });

  it('detects a label-TAB-text file in the senti4sd layout as labeltab', () => {
    const file = fixture('labeltab.tsv');
    assert.equal(detectFormat(file, readFileSync(file, 'utf-8')), 'labeltab');
  });

  it('detects the real senti4sd file as labeltab', function () {
    needsData(this, SENTI4SD);
    assert.equal(detectFormat(SENTI4SD, readFileSync(SENTI4SD, 'utf-8')), 'labeltab');
  });
});

describe('readers/checks', () => {
  it('reports a later exact duplicate and a conflicting label, each naming the first line', () => {
    const problems = checkDataset([
      example(1, 'pos', 'great'),
      example(2, 'neg', 'awful'),
      example(3, 'pos', ' great '),
      example(4, 'neg', 'great'),
    ]);
    assert.deepEqual(summary(problems), [
      [3, 'warning', 'duplicate', 'duplicate of line 1 (same text and label)'],
      [
        4,
        'warning',
        'conflicting-labels',
        "conflicting labels: same text as line 1 (labelled 'pos' there, 'neg' here)",
      ],
    ]);
  });

  it('names the other file when a duplicate crosses files', () => {
    const problems = checkDataset([example(7, 'pos', 'same', 'a.pos'), example(2, 'neg', 'same', 'a.neg')]);
    assert.deepEqual(summary(problems), [
      [
        2,
        'warning',
        'conflicting-labels',
        "conflicting labels: same text as a.pos line 7 (labelled 'pos' there, 'neg' here)",
      ],
    ]);
  });

  it('reports empty texts and missing labels as errors', () => {
    const problems = checkDataset([
      example(1, 'pos', '  '),
      example(2, '', 'text'),
      example(3, 'pos', 'a'),
      example(4, 'neg', 'b'),
    ]);
    assert.deepEqual(summary(problems), [
      [1, 'error', 'empty-text', 'empty text; row skipped'],
      [2, 'error', 'missing-label', 'missing label; row skipped'],
    ]);
  });

  it('reports a single class and an empty dataset at line 0', () => {
    assert.deepEqual(summary(checkDataset([example(1, 'pos', 'a'), example(2, 'pos', 'b')])), [
      [0, 'error', 'single-class', "only one class ('pos'); a classifier needs examples of at least two labels"],
    ]);
    assert.deepEqual(summary(checkDataset([])), [[0, 'error', 'no-examples', 'no usable examples']]);
  });

  it('quotes a long label cut to its start and length, not whole', () => {
    const label = 'L'.repeat(1_000_000);
    const [problem] = checkDataset([example(1, label, 'a'), example(2, label, 'b')]);
    assert.equal(
      problem.reason,
      `only one class ('${'L'.repeat(80)}… (1000000 characters)'); a classifier needs examples of at least two labels`,
    );
    const [conflict] = checkDataset([example(1, 'pos', 'same'), example(2, label, 'same')]);
    assert.ok(conflict.reason.length < 250, conflict.reason.slice(0, 300));
  });

  it('names the files read, not the word dataset, when no row is usable', () => {
    assert.deepEqual(
      checkDataset([], ['a.csv']).map((p) => [p.file, p.code]),
      [['a.csv', 'no-examples']],
    );
    assert.deepEqual(
      checkDataset([], ['a.pos', 'a.neg']).map((p) => p.file),
      ['a.pos + a.neg'],
    );
    const result = parseLabelledText('text,label\n"a",b,c\n"d",e,f\n', { file: 'all-bad.csv' });
    assert.deepEqual(
      result.problems.map((p) => [p.file, p.line, p.code]),
      [
        ['all-bad.csv', 2, 'field-count'],
        ['all-bad.csv', 3, 'field-count'],
        ['all-bad.csv', 0, 'no-examples'],
      ],
    );
  });

  it('does not change its input', () => {
    const input = Object.freeze([Object.freeze(example(1, 'pos', 'a')), Object.freeze(example(2, 'neg', 'a'))]);
    checkDataset(input);
    assert.deepEqual(input, [example(1, 'pos', 'a'), example(2, 'neg', 'a')]);
  });
});

describe('readers/parse', () => {
  it('parses CSV text with explicit column indexes and no header', () => {
    const result = parseLabelledText('positive,great\nnegative,"dull, slow"\n', {
      file: 'p.csv',
      hasHeader: false,
      textColumn: 1,
      labelColumn: 0,
    });
    assert.deepEqual(rows(result.examples), [
      [1, 'positive', 'great'],
      [2, 'negative', 'dull, slow'],
    ]);
    assert.deepEqual(
      [result.format, result.hasHeader, result.columns, result.labels],
      ['csv', false, ['column 1', 'column 2'], ['negative', 'positive']],
    );
  });

  it('reads JSONL with configured field names and string or number labels', () => {
    const result = parseLabelledText('{"body": "nice", "stars": 5}\n{"body": "meh", "stars": "1"}\n', {
      file: 'r.jsonl',
      textField: 'body',
      labelField: 'stars',
    });
    assert.deepEqual(rows(result.examples), [
      [1, '5', 'nice'],
      [2, '1', 'meh'],
    ]);
    assert.deepEqual(result.labelCounts, { '1': 1, '5': 1 });
  });

  it('guesses JSONL field names from the first object', () => {
    const result = parseLabelledText(
      '{"sentence": "nice", "sentiment": "pos"}\n{"sentence": "bad", "sentiment": "neg"}\n',
      { file: 'r.jsonl' },
    );
    assert.deepEqual([result.textField, result.labelField, result.examples.length], ['sentence', 'sentiment', 2]);
  });

  it('needs a label for a one-sentence-per-line file without .pos/.neg', () => {
    const result = parseLabelledText('one\ntwo\n', { file: 'lines.txt', format: 'polarity-pair' });
    assert.deepEqual(summary(result.problems), [
      [
        0,
        'error',
        'missing-label',
        'no label for this one-sentence-per-line file: give options.label (or use readPolarityPair)',
      ],
    ]);
  });

  it('counts labels named __proto__ and constructor like any other', () => {
    const result = parseLabelledText('text,label\ngood,__proto__\ngreat,__proto__\nbad,neg\nnice,constructor\n', {
      file: 'proto.csv',
    });
    assert.deepEqual(result.labels, ['__proto__', 'constructor', 'neg']);
    assert.deepEqual(Object.entries(result.labelCounts), [
      ['__proto__', 2],
      ['constructor', 1],
      ['neg', 1],
    ]);
    assert.equal(Object.getPrototypeOf(result.labelCounts), Object.prototype);
    assert.deepEqual(Object.entries(JSON.parse(JSON.stringify(result.labelCounts))), [
      ['__proto__', 2],
      ['constructor', 1],
      ['neg', 1],
    ]);
  });

  it('ignores a leading U+FEFF in already-decoded text', () => {
    const result = parseLabelledText('\uFEFFtext,label\na,x\nb,y\n', { file: 'b.csv' });
    assert.deepEqual(
      [result.hasHeader, result.columns, rows(result.examples)],
      [
        true,
        ['text', 'label'],
        [
          [2, 'x', 'a'],
          [3, 'y', 'b'],
        ],
      ],
    );
  });

  it('uses no Node APIs in the modules the webview imports (parse and everything it imports)', () => {
    for (const name of ['parse', 'formats', 'csv', 'columns', 'checks', 'encoding', 'types', 'displayText']) {
      const source = readFileSync(join(__dirname, '..', '..', 'src', 'core', 'readers', `${name}.ts`), 'utf-8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      assert.deepEqual(
        imports.filter((i) => !i.startsWith('./')),
        [],
        name,
      );
    }
  });

  it('reports white-space-only text as an empty file', () => {
    assert.deepEqual(summary(parseLabelledText(' \n\n', { file: 'e.csv' }).problems), [
      [0, 'error', 'empty-file', 'file is empty (or holds only white space)'],
    ]);
  });
});

describe('readers/files', () => {
  it('reads a pair with 200,000 lines in one file (no spread of the lines into a call)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-big-pair-'));
    try {
      writeFileSync(join(dir, 'big.pos'), Array.from({ length: 200_000 }, (_, i) => `sentence ${i}`).join('\n'));
      writeFileSync(join(dir, 'big.neg'), 'bad\nworse\n');
      const result = readPolarityPair(join(dir, 'big.pos'), join(dir, 'big.neg'));
      assert.equal(result.examples.length, 200_002);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses 200,000 CSV rows with a quote inside an unquoted field (one warning each)', () => {
    const text = `text,label\n${Array.from({ length: 200_000 }, (_, i) => `it"s ${i},${i % 2 ? 'pos' : 'neg'}`).join('\n')}\n`;
    const result = parseLabelledText(text, { file: 'quotes.csv' });
    assert.equal(result.examples.length, 200_000);
    assert.equal(result.problems.filter((p) => p.severity === 'warning').length, 200_000);
  });

  it('bad-quote.csv: an undoubled inner quote is an error on line 3; lines 2 and 4 are read', () => {
    const result = readLabelledFile(fixture('bad-quote.csv'));
    assert.deepEqual(summary(result.problems), [
      [
        3,
        'error',
        'syntax',
        'text after the closing quote of field 1; a quote inside a quoted field must be doubled (""); record skipped',
      ],
    ]);
    assert.deepEqual(rows(result.examples), [
      [2, 'positive', 'a fine film'],
      [4, 'negative', 'dull, slow'],
    ]);
  });

  it('unterminated-quote.csv: a quote never closed is an error on line 3 and line 4 is still read', () => {
    const result = readLabelledFile(fixture('unterminated-quote.csv'));
    assert.deepEqual(summary(result.problems), [
      [3, 'error', 'syntax', 'quoted field opened on line 3 is never closed; record skipped'],
    ]);
    assert.deepEqual(rows(result.examples), [
      [2, 'positive', 'a fine film'],
      [4, 'negative', 'plain again'],
    ]);
  });

  it('quoted.csv: multi-line CRLF records keep their start lines and named columns are found', () => {
    const result = readLabelledFile(fixture('quoted.csv'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual([result.columns, result.textColumn, result.labelColumn], [['id', 'review', 'polarity'], 1, 2]);
    assert.deepEqual(rows(result.examples), [
      [2, 'pos', 'Good, solid "classic"'],
      [3, 'neg', 'spans\ntwo lines'],
      [5, 'neg', 'plain'],
    ]);
  });

  it('field-count.csv: a row with an unquoted comma is an error on line 3', () => {
    const result = readLabelledFile(fixture('field-count.csv'));
    assert.deepEqual(summary(result.problems), [
      [3, 'error', 'field-count', '3 fields, expected 2 as in the header; row skipped'],
    ]);
    assert.equal(result.examples.length, 2);
  });

  it('broken.jsonl: bad JSON, a non-object, a missing text field and a missing label name their lines', () => {
    const result = readLabelledFile(fixture('broken.jsonl'));
    assert.equal(result.format, 'jsonl');
    assert.deepEqual(
      result.problems.map((p) => [p.line, p.severity, p.code]),
      [
        [2, 'error', 'syntax'],
        [4, 'error', 'syntax'],
        [5, 'error', 'missing-field'],
        [6, 'error', 'missing-label'],
      ],
    );
    assert.match(result.problems[0].reason, /^invalid JSON: .*; row skipped$/);
    assert.deepEqual(
      result.problems.slice(1).map((p) => p.reason),
      ['expected a JSON object; row skipped', "no 'text' field; row skipped", 'missing label; row skipped'],
    );
    assert.deepEqual(
      result.examples.map((e) => e.line),
      [1, 3, 7],
    );
  });

  it('no-tab.tsv: a label-tab line without a tab is an error on line 2', () => {
    const result = readLabelledFile(fixture('no-tab.tsv'), { format: 'labeltab' });
    assert.deepEqual(summary(result.problems), [
      [2, 'error', 'field-count', 'no tab: expected label<TAB>text; row skipped'],
    ]);
    assert.deepEqual(rows(result.examples), [
      [1, 'positive', 'Love it'],
      [3, 'negative', 'Hate it'],
    ]);
  });

  it('empty-lines.tsv: each empty or blank line is a warning with its line number', () => {
    const result = readLabelledFile(fixture('empty-lines.tsv'));
    assert.equal(result.format, 'labeltab');
    assert.deepEqual(
      summary(result.problems),
      [2, 4, 6].map((line) => [line, 'warning', 'empty-line', 'empty line skipped']),
    );
    assert.deepEqual(
      result.examples.map((e) => e.line),
      [1, 3, 5],
    );
  });

  it('duplicates.tsv: an exact duplicate and a conflicting label are warnings naming line 1', () => {
    const result = readLabelledFile(fixture('duplicates.tsv'));
    assert.deepEqual(summary(result.problems), [
      [3, 'warning', 'duplicate', 'duplicate of line 1 (same text and label)'],
      [
        4,
        'warning',
        'conflicting-labels',
        "conflicting labels: same text as line 1 (labelled 'positive' there, 'negative' here)",
      ],
    ]);
    assert.equal(result.examples.length, 4);
  });

  it('cp1252.pos: decodes as windows-1252, labels from the extension, 0x85 becomes … within one line', () => {
    const result = readLabelledFile(fixture('cp1252.pos'));
    assert.deepEqual([result.format, result.encoding], ['polarity-pair', 'windows-1252']);
    assert.deepEqual(rows(result.examples), [
      [1, 'positive', 'a charming café scene'],
      [2, 'positive', 'it ends … too soon'],
      [3, 'positive', '“quoted” and – dashed €'],
    ]);
  });

  it('bom.csv: the UTF-8 BOM is stripped so the header is recognised', () => {
    const result = readLabelledFile(fixture('bom.csv'));
    assert.deepEqual(
      [result.encoding, result.hasHeader, result.columns, result.problems],
      ['utf-8', true, ['text', 'label'], []],
    );
    assert.deepEqual(rows(result.examples), [
      [2, 'positive', 'good stuff'],
      [3, 'negative', 'bad stuff'],
    ]);
  });

  it('single-class.csv: one class only is an error at line 0', () => {
    const result = readLabelledFile(fixture('single-class.csv'));
    assert.deepEqual(summary(result.problems), [
      [0, 'error', 'single-class', "only one class ('positive'); a classifier needs examples of at least two labels"],
    ]);
    assert.deepEqual([result.textColumn, result.labelColumn], [0, 1]);
  });

  it('binary.csv: a binary file is one error and no examples', () => {
    const result = readLabelledFile(fixture('binary.csv'));
    assert.deepEqual(summary(result.problems), [
      [0, 'error', 'binary', 'file looks binary (NUL byte at offset 8); expected a text file'],
    ]);
    assert.deepEqual(result.examples, []);
  });

  it('empty.csv: an empty file is one error', () => {
    assert.deepEqual(summary(readLabelledFile(fixture('empty.csv')).problems), [
      [0, 'error', 'empty-file', 'file is empty (or holds only white space)'],
    ]);
  });

  it('quotes-in.tsv: TSV quotes that are not CSV quoting are read literally, with one warning', () => {
    const result = readLabelledFile(fixture('quotes-in.tsv'));
    assert.deepEqual(summary(result.problems), [
      [
        0,
        'warning',
        'syntax',
        'quotes read as ordinary characters (the file does not follow CSV-style quoting; set quoting: true to see why)',
      ],
    ]);
    assert.deepEqual(rows(result.examples), [
      [2, 'positive', '"Great" movie, truly'],
      [3, 'negative', 'He said "meh'],
    ]);
  });

  it('refuses a file over maxBytes with one error', () => {
    assert.deepEqual(summary(readLabelledFile(fixture('quoted.csv'), { maxBytes: 10 }).problems), [
      [0, 'error', 'too-large', 'file is 92 bytes, over the 10 bytes limit (maxBytes)'],
    ]);
  });

  it('reports a missing file as a problem instead of throwing', () => {
    const result = readLabelledFile(fixture('does-not-exist.csv'));
    assert.deepEqual(
      result.problems.map((p) => [p.line, p.code]),
      [[0, 'unreadable']],
    );
    assert.match(result.problems[0].reason, /^cannot read file: ENOENT/);
  });

  it('reads the real polarity pair as exactly 4798 + 4798 windows-1252 examples with no problems', function () {
    needsData(this, POS);
    const result = readPolarityPair(POS, NEG);
    assert.deepEqual(
      [result.encoding, result.labelCounts, result.problems],
      ['windows-1252', { positive: 4798, negative: 4798 }, []],
    );
    assert.deepEqual(result.fileEncodings, { [POS]: 'windows-1252', [NEG]: 'windows-1252' });
  });

  it('keeps a real polarity line holding byte 0x85 as one line ending in …', function () {
    needsData(this, POS);
    const bytes = readFileSync(POS);
    const line = bytes.subarray(0, bytes.indexOf(0x85)).filter((b) => b === 0x0a).length + 1;
    const found = readPolarityPair(POS, NEG, { positiveLabel: 'fresh', negativeLabel: 'rotten' }).examples.filter(
      (e) => e.file === POS && e.line === line,
    );
    assert.equal(found.length, 1);
    assert.equal(found[0].label, 'fresh');
    assert.ok(found[0].text.includes('…') && !found[0].text.includes('\u0085'), found[0].text);
  });

  it('accepts a polarity pair of any length, such as the full release’s 5331 lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readers-'));
    try {
      const lines = (tag: string): string => Array.from({ length: 5331 }, (_, i) => `${tag} snippet ${i}\n`).join('');
      writeFileSync(join(dir, 'p.pos'), lines('good'));
      writeFileSync(join(dir, 'p.neg'), lines('bad'));
      assert.deepEqual(readPolarityPair(join(dir, 'p.pos'), join(dir, 'p.neg')).labelCounts, {
        positive: 5331,
        negative: 5331,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the real senti4sd file: 3097 labeltab examples and its repeated texts', function () {
    needsData(this, SENTI4SD);
    const result = readLabelledFile(SENTI4SD);
    assert.deepEqual(
      [result.format, result.encoding, result.examples.length, result.labels],
      ['labeltab', 'utf-8', 3097, ['negative', 'neutral', 'positive']],
    );
    assert.deepEqual(result.labelCounts, { positive: 1069, neutral: 1186, negative: 842 });
    // 52 rows repeat an earlier text (44 distinct texts; one occurs 7 times); 2 repeats change the label.
    assert.equal(result.problems.length, 52);
    assert.ok(result.problems.every((p) => p.severity === 'warning'));
    assert.deepEqual(
      result.problems.filter((p) => p.code === 'conflicting-labels').map((p) => [p.line, p.reason]),
      [
        [1103, "conflicting labels: same text as line 26 (labelled 'neutral' there, 'negative' here)"],
        [2437, "conflicting labels: same text as line 1633 (labelled 'negative' there, 'neutral' here)"],
      ],
    );
  });
});

describe('readers/fingerprint', () => {
  it('sha256File of the real senti4sd file matches the sha256 in the data README', function () {
    needsData(this, SENTI4SD);
    assert.equal(sha256File(SENTI4SD), '0c3a95830c189bf954ee7bf075d7c133cee3bdb0fb9779f1d3c3b8aa633487d1');
  });

  it('fingerprintFiles depends on order and on where the bytes split between files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readers-'));
    try {
      const write = (name: string, text: string): string => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      const [a, b, c, d] = [write('a', 'x\ny\n'), write('b', 'z\n'), write('c', 'x\n'), write('d', 'y\nz\n')];
      const ab = fingerprintFiles([a, b]);
      assert.match(ab, /^[0-9a-f]{64}$/);
      assert.equal(fingerprintFiles([a, b]), ab);
      assert.notEqual(fingerprintFiles([b, a]), ab);
      assert.notEqual(fingerprintFiles([c, d]), ab);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
