import * as assert from 'node:assert/strict';
import { markdownCode, markdownLiteral } from '../../src/core/text/markdownText';

describe('markdownText', () => {
  it('escapes every punctuation character of a label, so no link, image, emphasis or HTML forms', () => {
    assert.equal(
      markdownLiteral('**x** [a](http://e.com) ![i](u) <b> $(bug)'),
      '\\*\\*x\\*\\* \\[a\\]\\(http\\:\\/\\/e\\.com\\) \\!\\[i\\]\\(u\\) \\<b\\> \\$\\(bug\\)',
    );
    assert.equal(markdownLiteral('positive'), 'positive');
  });

  it('keeps a label on one line and cuts a long one', () => {
    assert.equal(markdownLiteral('a\nb'), 'a b');
    assert.ok(markdownLiteral('x'.repeat(100_000)).length < 120);
  });

  it('puts a name holding backticks in a code span with a longer fence', () => {
    assert.equal(markdownCode('movie-reviews'), '`movie-reviews`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('`x``'), '``` `x`` ```');
  });
});
