import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { classifyInChunks } from '../../src/core/classify/chunkedClassify';
import { Classifier } from '../../src/core/classify/classifier';
import { highlightText, highlightTextInChunks } from '../../src/core/classify/highlightData';
import { loadClassifierModel } from '../../src/core/training/modelFiles';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

const fixtureModel = path.join(__dirname, '..', 'fixtures', 'models', 'keras-converted-gru');

describe('highlightData', () => {
  let classifier: Classifier;
  before(async () => {
    classifier = new Classifier(await loadClassifierModel(fixtureModel), { helperScript: ENGINE_HELPER_SCRIPT });
  });

  it('classifies each sentence on its own, words at their ranges in the whole text', () => {
    const text = 'A wonderful film. The ending is lazy!';
    const sentences = highlightText(classifier, text, { mode: 'trajectory' });
    assert.deepEqual(
      sentences.map((s) => text.slice(s.start, s.end)),
      ['A wonderful film.', 'The ending is lazy!'],
    );
    const second = classifier.classify('The ending is lazy!');
    assert.deepEqual(
      sentences[1].words.map((w) => text.slice(w.start, w.end)),
      ['The', 'ending', 'is', 'lazy', '!'],
    );
    sentences[1].words.forEach((w, i) => {
      const p = second.tokens[i].probabilities;
      assert.ok(Math.abs(w.score - (p.positive - p.negative)) < 1e-6);
    });
    assert.equal(sentences[1].label, second.label);
  });

  it('treats the whole text as one unit when asked (a comment)', () => {
    const sentences = highlightText(classifier, 'Fine. Really fine.', { mode: 'contribution', wholeText: true });
    assert.equal(sentences.length, 1);
    assert.equal(sentences[0].words.length, classifier.classify('Fine. Really fine.').tokens.length);
  });

  it('gives the same sentences in chunks as in one call', async () => {
    const text = 'Good. Bad. Not bad at all. A mess. Lovely work, thanks.';
    const chunked = await highlightTextInChunks(classifier, text, { mode: 'trajectory' }, { firstChunkTokens: 1 });
    assert.ok(chunked);
    const direct = highlightText(classifier, text, { mode: 'trajectory' });
    assert.deepEqual(
      chunked.sentences.map((s) => s.words.map((w) => w.score.toFixed(6))),
      direct.map((s) => s.words.map((w) => w.score.toFixed(6))),
    );
  });
});

describe('chunkedClassify', () => {
  let classifier: Classifier;
  before(async () => {
    classifier = new Classifier(await loadClassifierModel(fixtureModel), { helperScript: ENGINE_HELPER_SCRIPT });
  });

  it('classifies every text in order, yielding between chunks', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `comment number ${i} is ${i % 2 ? 'great' : 'awful'}`);
    let yields = 0;
    const result = await classifyInChunks(classifier, texts, {
      firstChunkTokens: 20,
      yieldToEventLoop: async () => void yields++,
    });
    assert.equal(result.classifications.length, texts.length);
    assert.equal(result.cancelled, false);
    assert.equal(yields, result.chunks - 1);
    assert.ok(result.chunks > 1);
    texts.forEach((text, i) =>
      assert.deepEqual(result.classifications[i].probabilities, classifier.classify(text).probabilities),
    );
  });

  it('stops when cancelled and says so', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `text ${i} here`);
    let calls = 0;
    const result = await classifyInChunks(classifier, texts, { firstChunkTokens: 5, isCancelled: () => ++calls > 2 });
    assert.equal(result.cancelled, true);
    assert.ok(result.classifications.length < texts.length);
  });
});
