import * as assert from 'node:assert/strict';
import { extractComments } from '../../src/core/comments';
import { blockRangeToDocument, commentKey } from '../../src/core/comments/commentTone';

describe('commentTone', () => {
  const source = 'let x = 1;\n// this is a terrible\n// hack, rewrite it\nlet y = 2;\n';
  const [block] = extractComments(source, 'javascript');

  it('maps a range of the comment prose back to the document, across a stripped line marker', () => {
    const from = block.text.indexOf('terrible');
    const to = block.text.indexOf('hack') + 'hack'.length;
    const range = blockRangeToDocument(block, from, to);
    assert.equal(source.slice(range.start, range.end), 'terrible\n// hack');
  });

  it('keys a comment by its text: the same across re-wrapping, different for other text', () => {
    assert.equal(commentKey('a  terrible\nhack'), commentKey('a terrible hack'));
    assert.notEqual(commentKey('a terrible hack'), commentKey('a terrible hack!'));
  });
});
