import * as assert from 'node:assert/strict';
import { OOV_ID, PAD_ID, Vocabulary } from '../../src/core/text/vocabulary';
import { padBatch } from '../../src/core/model/batching';

describe('vocabulary', () => {
  const sentences = [
    ['the', 'film', 'is', 'good'],
    ['the', 'film', 'is', 'bad'],
    ['the', 'plot'],
  ];

  it('reserves id 0 for padding and id 1 for unknown words', () => {
    const vocab = Vocabulary.build(sentences);
    assert.equal(vocab.tokens[PAD_ID], '<pad>');
    assert.equal(vocab.tokens[OOV_ID], '<unk>');
    assert.equal(vocab.idOf('never-seen'), OOV_ID);
  });

  it('orders tokens by frequency, ties alphabetically', () => {
    assert.deepEqual(Vocabulary.build(sentences).tokens.slice(2), ['the', 'film', 'is', 'bad', 'good', 'plot']);
  });

  it('applies the minimum count and the maximum size', () => {
    assert.deepEqual(Vocabulary.build(sentences, { minCount: 2 }).tokens.slice(2), ['the', 'film', 'is']);
    assert.equal(Vocabulary.build(sentences, { maxSize: 4 }).size, 4);
  });

  it('encodes unknown tokens as OOV and round-trips through its token list', () => {
    const vocab = Vocabulary.build(sentences);
    assert.deepEqual([...vocab.encode(['the', 'movie', 'is', 'good'])], [2, OOV_ID, 4, 6]);
    assert.deepEqual(new Vocabulary(vocab.tokens).encode(['plot']), vocab.encode(['plot']));
  });

  it('rejects a token list without PAD and OOV first, or with a duplicate', () => {
    assert.throws(() => new Vocabulary(['a', 'b']), /must start with/);
    assert.throws(() => new Vocabulary(['<pad>', '<unk>', 'a', 'a']), /appears twice/);
  });
});

describe('batching', () => {
  it('pads with 0 after the real ids and keeps the true lengths', () => {
    const batch = padBatch([Int32Array.of(5, 6, 7), Int32Array.of(8), new Int32Array(0)], Infinity, [1, 0, 1]);
    assert.equal(batch.timeSteps, 3);
    assert.deepEqual([...batch.ids], [5, 6, 7, 8, 0, 0, 0, 0, 0]);
    assert.deepEqual([...batch.lengths], [3, 1, 0]);
    assert.deepEqual([...batch.labels!], [1, 0, 1]);
  });

  it('cuts sequences at maxLength without changing its inputs', () => {
    const input = Int32Array.of(1, 2, 3, 4);
    const batch = padBatch([input], 2);
    assert.deepEqual([...batch.ids], [1, 2]);
    assert.deepEqual([...input], [1, 2, 3, 4]);
  });
});
