import * as assert from 'node:assert/strict';
import { applyChanges, EditableRegion } from '../../src/core/classify/regionEdits';

const selection = (start: number, end: number): EditableRegion => ({ start, end, kind: 'selection' });
const comment = (start: number, end: number): EditableRegion => ({ start, end, kind: 'comment' });
const insert = (at: number, length: number) => ({ rangeOffset: at, rangeLength: 0, textLength: length });

describe('regionEdits', () => {
  it('moves a region after the edit by the change in length and keeps one before it', () => {
    const before = selection(0, 5);
    const after = selection(20, 30);
    const { regions, pending, touched } = applyChanges([before, after], [], [insert(10, 3)]);
    assert.deepEqual(regions, [before, selection(23, 33)]);
    assert.equal(regions[0], before, 'an untouched region is kept as it is');
    assert.deepEqual(pending, []);
    assert.equal(touched, false);
  });

  it('drops a selection the edit touches and queues its stretch, grown over the new text, for recomputing', () => {
    const { regions, pending, touched } = applyChanges(
      [selection(10, 20)],
      [],
      [{ rangeOffset: 15, rangeLength: 2, textLength: 6 }],
    );
    assert.deepEqual(regions, []);
    assert.deepEqual(pending, [{ start: 10, end: 24 }]);
    assert.equal(touched, true);
  });

  it('drops a comment region the edit touches without queueing it', () => {
    const { regions, pending, touched } = applyChanges([comment(10, 20)], [], [insert(12, 1)]);
    assert.deepEqual([regions, pending, touched], [[], [], true]);
  });

  it('moves stretches already waiting, and applies simultaneous changes from the end backwards', () => {
    // Both offsets are in the text before the edit: the later change must not shift the earlier one.
    const { regions, pending } = applyChanges(
      [selection(30, 40)],
      [{ start: 5, end: 8 }],
      [insert(0, 2), insert(50, 4)],
    );
    assert.deepEqual(regions, [selection(32, 42)]);
    assert.deepEqual(pending, [{ start: 7, end: 10 }]);
  });

  it('treats an insertion exactly at a region end as after it and exactly at its start as before it', () => {
    assert.deepEqual(applyChanges([selection(10, 20)], [], [insert(20, 5)]).regions, [selection(10, 20)]);
    assert.deepEqual(applyChanges([selection(10, 20)], [], [insert(10, 5)]).regions, [selection(15, 25)]);
  });

  it('does not change its inputs', () => {
    const regions = [selection(10, 20), selection(30, 40)];
    const pending = [{ start: 50, end: 60 }];
    const copy = JSON.stringify({ regions, pending });
    applyChanges(regions, pending, [insert(0, 3), { rangeOffset: 15, rangeLength: 1, textLength: 0 }]);
    assert.equal(JSON.stringify({ regions, pending }), copy);
  });
});
