import * as assert from 'node:assert/strict';
import type { Classification } from '../../src/core/classifier';
import { extractComments } from '../../src/core/comments';
import { blockRangeToDocument, commentKey, commentTone } from '../../src/core/commentTone';

describe('commentTone', () => {
  const source = 'let x = 1;\n// this is a terrible\n// hack, rewrite it\nlet y = 2;\n';
  const [block] = extractComments(source, 'javascript');

  it('maps a range of the comment prose back to the document, across a stripped line marker', () => {
    const from = block.text.indexOf('terrible');
    const to = block.text.indexOf('hack') + 'hack'.length;
    const range = blockRangeToDocument(block, from, to);
    assert.equal(source.slice(range.start, range.end), 'terrible\n// hack');
  });

  it('reports the negative probability and the document ranges of the words that pushed it most', () => {
    const words = ['this', 'is', 'a', 'terrible', 'hack', ',', 'rewrite', 'it'];
    const negatives = [0.5, 0.5, 0.5, 0.9, 0.95, 0.95, 0.97, 0.96];
    let at = 0;
    const tokens = words.map((text, i) => {
      const start = block.text.indexOf(text, at);
      at = start + text.length;
      return { text, start, end: at, id: 2, probabilities: { negative: negatives[i], positive: 1 - negatives[i] } };
    });
    const classification: Classification = { label: 'negative', probabilities: { negative: 0.96, positive: 0.04 }, tokens };
    const tone = commentTone(block, classification, 'negative', { negative: 0.5, positive: 0.5 });
    assert.equal(tone.negativeProbability, 0.96);
    assert.deepEqual(tone.contributors.map((c) => c.word), ['terrible', 'hack', 'rewrite']);
    assert.deepEqual(tone.contributors.map((c) => source.slice(c.start, c.end)), ['terrible', 'hack', 'rewrite']);
    assert.equal(source.slice(tone.proseRange.start, tone.proseRange.end), 'this is a terrible\n// hack, rewrite it');
  });

  it('keys a comment by its text: the same across re-wrapping, different for other text', () => {
    assert.equal(commentKey('a  terrible\nhack'), commentKey('a terrible hack'));
    assert.notEqual(commentKey('a terrible hack'), commentKey('a terrible hack!'));
  });
});
