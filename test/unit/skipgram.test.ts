import { strict as assert } from 'node:assert';
import {
  SKIPGRAM_TARGET_STD,
  SKIPGRAM_UNTRAINED_LIMIT,
  SkipGramOptions,
  trainSkipGram,
} from '../../src/core/training/skipgram';
import { SKIPGRAM_WASM_BASE64 } from '../../src/core/engine/skipgramBinary';
import { assembleSkipgramKernel } from '../../scripts/skipgramWat';

/** Small seeded PRNG for building corpora (kept local: the module under test has its own). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLUSTER_SIZE = 8;
/** Cluster A is ids 2..9, cluster B ids 10..17; each sentence draws all its words from one cluster. */
function twoTopicCorpus(sentences: number, seed: number): Int32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: sentences }, (_, s) => {
    const first = s % 2 === 0 ? 2 : 2 + CLUSTER_SIZE;
    return Int32Array.from({ length: 10 }, () => first + Math.floor(random() * CLUSTER_SIZE));
  });
}
const TOPIC_VOCAB = 2 + 2 * CLUSTER_SIZE;

function row(vectors: Float32Array, id: number, dim: number): Float32Array {
  return vectors.subarray(id * dim, (id + 1) * dim);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k] * b[k];
    normA += a[k] * a[k];
    normB += b[k] * b[k];
  }
  return dot / Math.sqrt(normA * normB);
}

const small: SkipGramOptions = { dim: 16, epochs: 3, subsample: 0, minCount: 1, seed: 7 };

describe('skipgram', () => {
  it('returns the same vectors for the same seed and different ones for another seed', () => {
    const corpus = twoTopicCorpus(200, 1);
    const first = trainSkipGram(corpus, TOPIC_VOCAB, small);
    const second = trainSkipGram(corpus, TOPIC_VOCAB, small);
    const otherSeed = trainSkipGram(corpus, TOPIC_VOCAB, { ...small, seed: 8 });
    assert.equal(first.length, TOPIC_VOCAB * small.dim);
    assert.deepEqual(first, second);
    assert.notDeepEqual(first, otherSeed);
  });

  for (const dim of [16, 7]) {
    it(`makes words of the same topic more similar than words of different topics (dim ${dim})`, () => {
      const corpus = twoTopicCorpus(400, 2);
      const vectors = trainSkipGram(corpus, TOPIC_VOCAB, { dim, epochs: 5, subsample: 0, minCount: 1, seed: 3 });
      let within = 0;
      let withinPairs = 0;
      let across = 0;
      let acrossPairs = 0;
      for (let a = 2; a < TOPIC_VOCAB; a++) {
        for (let b = a + 1; b < TOPIC_VOCAB; b++) {
          const similarity = cosine(row(vectors, a, dim), row(vectors, b, dim));
          const sameTopic = a < 2 + CLUSTER_SIZE === b < 2 + CLUSTER_SIZE;
          if (sameTopic) {
            within += similarity;
            withinPairs++;
          } else {
            across += similarity;
            acrossPairs++;
          }
        }
      }
      within /= withinPairs;
      across /= acrossPairs;
      assert.ok(within > across + 0.5, `mean cosine within topics ${within.toFixed(3)}, across ${across.toFixed(3)}`);
    });
  }

  it('runs the checked-in kernel binary, assembled from scripts/skipgramWat.ts', async () => {
    assert.equal(Buffer.from(await assembleSkipgramKernel()).toString('base64'), SKIPGRAM_WASM_BASE64);
  });

  it('never trains PAD or OOV: adding them to the text changes no vector, and their rows stay small', () => {
    const corpus = twoTopicCorpus(100, 4);
    const withPadAndOov = corpus.map((seq) =>
      Int32Array.from([1, ...seq.subarray(0, 5), 1, 1, ...seq.subarray(5), 0, 0, 0]),
    );
    const plain = trainSkipGram(corpus, TOPIC_VOCAB, small);
    const padded = trainSkipGram(withPadAndOov, TOPIC_VOCAB, small);
    assert.deepEqual(padded, plain);
    for (const id of [0, 1]) {
      for (const value of row(plain, id, small.dim))
        assert.ok(Math.abs(value) <= SKIPGRAM_UNTRAINED_LIMIT, `row ${id} value ${value}`);
    }
  });

  it('gives PAD the same init whatever the text, and rows below minCount the same small init', () => {
    const vocab = TOPIC_VOCAB + 1; // the last id never occurs
    const fromTopics = trainSkipGram(twoTopicCorpus(100, 5), vocab, small);
    const fromOtherText = trainSkipGram([Int32Array.from([2, 3, 2, 3, 4])], vocab, small);
    assert.deepEqual(row(fromTopics, 0, small.dim), row(fromOtherText, 0, small.dim));
    assert.deepEqual(row(fromTopics, TOPIC_VOCAB, small.dim), row(fromOtherText, TOPIC_VOCAB, small.dim));
  });

  it('scales trained rows to the per-component spread of uniform[-1, 1]', () => {
    const dim = 16;
    const vectors = trainSkipGram(twoTopicCorpus(200, 6), TOPIC_VOCAB, { ...small, dim });
    const trained = vectors.subarray(2 * dim);
    const rms = Math.sqrt(trained.reduce((sum, v) => sum + v * v, 0) / trained.length);
    assert.ok(Math.abs(rms - SKIPGRAM_TARGET_STD) < 1e-3, `rms ${rms}`);
  });

  it('reports non-decreasing progress ending at 1', () => {
    const fractions: number[] = [];
    trainSkipGram(twoTopicCorpus(2000, 7), TOPIC_VOCAB, { ...small, onProgress: (f) => fractions.push(f) });
    assert.ok(fractions.length > 10, `${fractions.length} progress calls`);
    assert.equal(fractions[fractions.length - 1], 1);
    fractions.forEach((f, i) =>
      assert.ok(f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]), `fraction ${i}: ${f}`),
    );
  });

  it('stops at the next check with an AbortError when the signal is aborted during training', () => {
    const controller = new AbortController();
    let callsAfterAbort = 0;
    const train = (): Float32Array =>
      trainSkipGram(twoTopicCorpus(2000, 8), TOPIC_VOCAB, {
        ...small,
        signal: controller.signal,
        onProgress: () => {
          if (controller.signal.aborted) callsAfterAbort++;
          controller.abort();
        },
      });
    assert.throws(train, (error: Error) => error.name === 'AbortError');
    assert.equal(callsAfterAbort, 0);
  });

  it('throws an AbortError before any work when the signal is already aborted', () => {
    let progressCalls = 0;
    const options = { ...small, signal: AbortSignal.abort(), onProgress: () => progressCalls++ };
    assert.throws(
      () => trainSkipGram(twoTopicCorpus(10, 9), TOPIC_VOCAB, options),
      (error: Error) => error.name === 'AbortError',
    );
    assert.equal(progressCalls, 0);
  });

  it('rejects invalid options and ids with a RangeError', () => {
    const corpus = twoTopicCorpus(10, 10);
    const invalid: Partial<SkipGramOptions>[] = [
      { dim: 0 },
      { dim: 1.5 },
      { window: 0 },
      { negatives: 0 },
      { epochs: 0 },
      { learningRate: 0 },
      { learningRate: Number.NaN },
      { subsample: -1 },
      { minCount: 0 },
      { seed: 0.5 },
    ];
    for (const override of invalid) {
      assert.throws(
        () => trainSkipGram(corpus, TOPIC_VOCAB, { ...small, ...override }),
        RangeError,
        JSON.stringify(override),
      );
    }
    assert.throws(() => trainSkipGram(corpus, 1, small), RangeError);
    assert.throws(() => trainSkipGram(corpus, 17.5, small), RangeError);
    assert.throws(() => trainSkipGram([Int32Array.from([2, TOPIC_VOCAB])], TOPIC_VOCAB, small), /position 1/);
    assert.throws(() => trainSkipGram([Int32Array.from([-1])], TOPIC_VOCAB, small), RangeError);
  });

  it('does not change its input sequences', () => {
    const corpus = twoTopicCorpus(50, 11);
    const copy = corpus.map((seq) => seq.slice());
    trainSkipGram(corpus, TOPIC_VOCAB, small);
    assert.deepEqual(corpus, copy);
  });
});
