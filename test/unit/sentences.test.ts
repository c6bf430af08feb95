import * as assert from 'node:assert/strict';
import { splitSentences } from '../../src/core/text/sentences';

/** The sentences of `text` as strings, checking that every range is trimmed and in order. */
function sentences(text: string): string[] {
  const ranges = splitSentences(text);
  ranges.forEach((range, k) => {
    assert.ok(range.start < range.end, 'non-empty');
    assert.equal(text.slice(range.start, range.end).trim(), text.slice(range.start, range.end), 'trimmed');
    if (k > 0) assert.ok(range.start >= ranges[k - 1].end, 'in order, not overlapping');
  });
  return ranges.map((range) => text.slice(range.start, range.end));
}

describe('sentences', () => {
  it('splits after . ! ? … followed by white space and an upper-case letter, or at the end', () => {
    assert.deepEqual(sentences('This is a terrible hack. Rewrite it! Why? Because it breaks…'), [
      'This is a terrible hack.',
      'Rewrite it!',
      'Why?',
      'Because it breaks…',
    ]);
  });

  it('splits across a line break when the next line starts a sentence', () => {
    assert.deepEqual(sentences('Returns the count.\nThrows when empty.'), ['Returns the count.', 'Throws when empty.']);
  });

  it('does not split before a lower-case word, so line-wrapped sentences and "wait... what" stay whole', () => {
    assert.deepEqual(sentences('Wait... what is this. it keeps going\nonto the next line'), [
      'Wait... what is this. it keeps going\nonto the next line',
    ]);
  });

  it('always splits on a blank line, even without a full stop', () => {
    assert.deepEqual(sentences('TODO fix this\n\n  \nthen ship it'), ['TODO fix this', 'then ship it']);
  });

  it('does not split after e.g., i.e., Mr., Dr., vs., cf. or initials', () => {
    assert.deepEqual(
      sentences(
        'Use a map, e.g. Map or i.e. Record. Ask Mr. Smith or Dr. Jones. Tabs vs. Spaces, cf. PEP 8. By J. R. Tolkien and the U.S. Army.',
      ),
      [
        'Use a map, e.g. Map or i.e. Record.',
        'Ask Mr. Smith or Dr. Jones.',
        'Tabs vs. Spaces, cf. PEP 8.',
        'By J. R. Tolkien and the U.S. Army.',
      ],
    );
  });

  it('does not split inside decimals, version numbers, URLs, file names or dotted identifiers', () => {
    assert.deepEqual(
      sentences('Pi is 3.14 and v1.2.3 is out. See https://example.com/a.b.c?x=1. Edit config.json and foo.bar() now.'),
      ['Pi is 3.14 and v1.2.3 is out.', 'See https://example.com/a.b.c?x=1.', 'Edit config.json and foo.bar() now.'],
    );
  });

  it('keeps closing quotes and brackets with their sentence and allows an opening quote before the next', () => {
    assert.deepEqual(sentences('He said "no." "Then why?" (Really.) Fine.'), [
      'He said "no."',
      '"Then why?"',
      '(Really.)',
      'Fine.',
    ]);
  });

  it('treats runs like ?! and ... as one end', () => {
    assert.deepEqual(sentences('Seriously?! This again... Stop.'), ['Seriously?!', 'This again...', 'Stop.']);
  });

  it('trims white space and returns nothing for blank text', () => {
    assert.deepEqual(splitSentences('   \n\t '), []);
    assert.deepEqual(splitSentences(''), []);
    assert.deepEqual(splitSentences('  One.  Two.  '), [
      { start: 2, end: 6 },
      { start: 8, end: 12 },
    ]);
  });

  it('recognises non-ASCII upper-case letters', () => {
    assert.deepEqual(sentences('Ça marche. Élégant! Ölçü tamam.'), ['Ça marche.', 'Élégant!', 'Ölçü tamam.']);
  });
});
