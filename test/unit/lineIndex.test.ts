import * as assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/text/lineIndex';

describe('lineIndex', () => {
  it('converts offsets to line and character, CRLF lines keeping their \\r', () => {
    const index = new LineIndex('ab\r\ncd\n\nef');
    assert.deepEqual(index.position(0), { line: 0, character: 0 });
    assert.deepEqual(index.position(2), { line: 0, character: 2 });
    assert.deepEqual(index.position(4), { line: 1, character: 0 });
    assert.deepEqual(index.position(7), { line: 2, character: 0 });
    assert.deepEqual(index.position(9), { line: 3, character: 1 });
  });

  it('clamps offsets outside the text', () => {
    const index = new LineIndex('ab\ncd');
    assert.deepEqual(index.position(-3), { line: 0, character: 0 });
    assert.deepEqual(index.position(99), { line: 1, character: 2 });
  });
});
