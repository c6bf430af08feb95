import * as assert from 'node:assert/strict';
import { tokenize, tokenTexts } from '../../src/core/text/tokenizer';

const developer = { kind: 'developer', lowercase: true } as const;

describe('tokenizer', () => {
  it('lower-cases words and keeps , ! ? ( ) as tokens while dropping other punctuation', () => {
    assert.deepEqual(tokenTexts('The acting is wooden; but (really) great, isn\'t it?! "Yes."'), [
      'the',
      'acting',
      'is',
      'wooden',
      'but',
      '(',
      'really',
      ')',
      'great',
      ',',
      'is',
      "n't",
      'it',
      '?',
      '!',
      'yes',
    ]);
  });

  it("splits the clitics 's 've n't 're 'd 'll 'm off their words", () => {
    assert.deepEqual(tokenTexts("it's we've don't they're i'd you'll i'm can't"), [
      'it',
      "'s",
      'we',
      "'ve",
      'do',
      "n't",
      'they',
      "'re",
      'i',
      "'d",
      'you',
      "'ll",
      'i',
      "'m",
      'ca',
      "n't",
    ]);
  });

  it('treats the typographic apostrophe like the ASCII one', () => {
    assert.deepEqual(tokenTexts('It\u2019s the film\u2019s heart, isn\u2019t it'), [
      'it',
      "'s",
      'the',
      'film',
      "'s",
      'heart',
      ',',
      'is',
      "n't",
      'it',
    ]);
  });

  it('gives every token the exact character range it came from', () => {
    const text = "Wooden acting,  but the STORY isn't bad!\nSecond line.";
    for (const token of tokenize(text)) {
      assert.equal(text.slice(token.start, token.end).toLowerCase().replace('\u2019', "'"), token.text);
    }
    const story = tokenize(text).find((t) => t.text === 'story');
    assert.deepEqual(story, { text: 'story', start: 24, end: 29 });
  });

  it('keeps accented letters and digits inside words and splits hyphenated words', () => {
    assert.deepEqual(tokenTexts('café 21st gore-free'), ['café', '21st', 'gore', 'free']);
  });

  it('returns no tokens for empty or punctuation-only text', () => {
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize(' ... -- ; '), []);
  });

  describe('developer text', () => {
    it('replaces URLs, mentions, issue numbers and inline code by placeholders covering their text', () => {
      const text = 'see https://example.com/a/b?x=1. @alice fixed #123 in `parseLine()`';
      const tokens = tokenize(text, developer);
      assert.deepEqual(
        tokens.map((t) => t.text),
        ['see', '<url>', '<user>', 'fixed', '<issue>', 'in', '<code>'],
      );
      assert.equal(text.slice(tokens[1].start, tokens[1].end), 'https://example.com/a/b?x=1');
      assert.equal(text.slice(tokens[6].start, tokens[6].end), '`parseLine()`');
    });

    it('splits camelCase and snake_case identifiers into words with their own ranges', () => {
      const text = 'rename getUserName and max_retry_count, HTTPServer';
      const tokens = tokenize(text, developer);
      assert.deepEqual(
        tokens.map((t) => t.text),
        ['rename', 'get', 'user', 'name', 'and', 'max', 'retry', 'count', ',', 'http', 'server'],
      );
      assert.equal(text.slice(tokens[3].start, tokens[3].end), 'Name');
    });

    it('keeps emoticons as tokens', () => {
      assert.deepEqual(tokenTexts('thanks :) but this breaks :-( <3', developer), [
        'thanks',
        ':)',
        'but',
        'this',
        'breaks',
        ':-(',
        '<3',
      ]);
    });

    it('does not read an email address or a C# word as a mention or issue', () => {
      assert.deepEqual(tokenTexts('mail bob@example.com about C#', developer), [
        'mail',
        'bob',
        'example',
        'com',
        'about',
        'c',
      ]);
    });

    it('replaces a fenced code block, across lines, by one code placeholder', () => {
      const text = 'nit: simpler as\n```suggestion\nconst total = items.length;\n```\nLGTM otherwise!';
      const tokens = tokenize(text, developer);
      assert.deepEqual(
        tokens.map((t) => t.text),
        ['nit', 'simpler', 'as', '<code>', 'lgtm', 'otherwise', '!'],
      );
      assert.equal(text.slice(tokens[3].start, tokens[3].end), '```suggestion\nconst total = items.length;\n```');
    });

    it('keeps emoji as tokens without skin tones or presentation selectors, with their full ranges', () => {
      const text = 'works 👍🏽 ❤️ 🎉 👨\u200d💻';
      const tokens = tokenize(text, developer);
      assert.deepEqual(
        tokens.map((t) => t.text),
        ['works', '👍', '❤', '🎉', '👨\u200d💻'],
      );
      assert.equal(text.slice(tokens[1].start, tokens[1].end), '👍🏽');
    });

    it('keeps GitHub shortcodes, +1 / -1 votes and the shrug as tokens', () => {
      assert.deepEqual(tokenTexts('+1, thanks :tada: :+1: but -1 from me ¯\\_(ツ)_/¯', developer), [
        '+1',
        ',',
        'thanks',
        ':tada:',
        ':+1:',
        'but',
        '-1',
        'from',
        'me',
        '¯\\_(ツ)_/¯',
      ]);
    });

    it('does not read arithmetic, C++ or a decimal number as a vote', () => {
      assert.deepEqual(tokenTexts('C++11 uses x+1 and -1.5', developer), [
        'c',
        '11',
        'uses',
        'x',
        '1',
        'and',
        '1',
        '5',
      ]);
    });

    it('does not read a URL after a colon as a shortcode', () => {
      assert.deepEqual(tokenTexts('docs:https://example.com/a', developer), ['docs', '<url>']);
    });

    it('replaces a cross-repository issue reference by one issue placeholder', () => {
      const text = 'duplicate of octo-org/some.repo#42';
      const tokens = tokenize(text, developer);
      assert.deepEqual(
        tokens.map((t) => t.text),
        ['duplicate', 'of', '<issue>'],
      );
      assert.equal(text.slice(tokens[2].start, tokens[2].end), 'octo-org/some.repo#42');
    });

    it('tokenizes a typical review comment into its words', () => {
      assert.deepEqual(tokenTexts('this will break on null, please fix `getUser()` (see #12) :(', developer), [
        'this',
        'will',
        'break',
        'on',
        'null',
        ',',
        'please',
        'fix',
        '<code>',
        '(',
        'see',
        '<issue>',
        ')',
        ':(',
      ]);
    });
  });
});
