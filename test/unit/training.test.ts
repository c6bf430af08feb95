import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saveTrainedModel } from '../../src/core/training/modelFiles';
import { SKIP_GRAM_COVERAGE_LIMIT, TrainingOptions } from '../../src/core/training/training';
import { trainFromSource } from '../support/engineHelper';

const labelled = [
  ...Array.from({ length: 12 }, (_, i) => ({ text: `thanks a lot this works great ${i}`, label: 'positive' })),
  ...Array.from({ length: 12 }, (_, i) => ({ text: `this breaks the build badly ${i}`, label: 'negative' })),
];
const unlabelled = Array.from({ length: 20 }, () => 'a splendid film that works and a dreadful one that breaks');
const tiny: Partial<TrainingOptions> = {
  units: 4,
  embeddingDim: 8,
  epochs: 1,
  batchSize: 8,
  validationSplit: 0.25,
  skipGram: true,
  skipGramEpochs: 1,
  seed: 3,
  minCount: 1,
};

describe('training', () => {
  describe('pretrainingTexts', () => {
    it('keep the vocabulary to the labelled training part by default', async () => {
      const result = await trainFromSource(labelled, { ...tiny, pretrainingTexts: unlabelled });
      assert.equal(result.model.vocabulary.tokens.includes('splendid'), false);
    });

    it('add their words to the vocabulary with vocabularySource training+pretraining', async () => {
      const result = await trainFromSource(labelled, {
        ...tiny,
        pretrainingTexts: unlabelled,
        vocabularySource: 'training+pretraining',
      });
      assert.equal(result.model.vocabulary.tokens.includes('splendid'), true);
    });

    it('change the skip-gram vectors of the training words they share', async () => {
      const row = (embedding: Float32Array, id: number) => Array.from(embedding.subarray(id * 8, (id + 1) * 8));
      const without = await trainFromSource(labelled, { ...tiny, epochs: 1, learningRate: 1e-9 });
      const withTexts = await trainFromSource(labelled, {
        ...tiny,
        epochs: 1,
        learningRate: 1e-9,
        pretrainingTexts: unlabelled,
      });
      const id = without.model.vocabulary.tokens.indexOf('works');
      assert.deepEqual(withTexts.model.vocabulary.tokens, without.model.vocabulary.tokens);
      assert.notDeepEqual(row(withTexts.model.weights.embedding, id), row(without.model.weights.embedding, id));
    });

    it('are not written to metadata.json, only their number', async () => {
      const result = await trainFromSource(labelled, { ...tiny, pretrainingTexts: unlabelled });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-training-'));
      try {
        await saveTrainedModel(path.join(dir, 'm'), result, {
          name: 'm',
          dataFingerprint: '0'.repeat(64),
          dataDescription: 'test',
        });
        const metadata = JSON.parse(fs.readFileSync(path.join(dir, 'm', 'metadata.json'), 'utf8'));
        assert.equal(metadata.training.hyperparameters.pretrainingTexts, unlabelled.length);
        assert.equal(JSON.stringify(metadata).includes('splendid'), false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('training: the initial embedding hook and skip-gram', () => {
  const words = (result: { model: { vocabulary: { tokens: readonly string[] } } }) => result.model.vocabulary.tokens;
  /** A hook that sets the rows of the first `share` of the vocabulary (PAD excepted) to 0.5. */
  const hookSetting =
    (share: number) => (vocabulary: { tokens: readonly string[] }, embedding: Float32Array, dim: number) => {
      const out = embedding.slice();
      const rows = Math.ceil(share * vocabulary.tokens.length);
      for (let row = 1; row < rows; row++) out.fill(0.5, row * dim, (row + 1) * dim);
      return out;
    };

  it(`skips skip-gram when the hook sets at least ${SKIP_GRAM_COVERAGE_LIMIT} of the rows, as if skipGram were off`, async () => {
    const phases: string[] = [];
    const skipped = await trainFromSource(labelled, tiny, {
      initialEmbedding: hookSetting(1),
      onProgress: (p) => phases.push(p.phase),
    });
    const off = await trainFromSource(labelled, { ...tiny, skipGram: false }, { initialEmbedding: hookSetting(1) });
    assert.equal(skipped.skipGramPretrained, false);
    assert.equal(phases.includes('pretraining'), false);
    assert.deepEqual(words(skipped), words(off));
    assert.deepEqual(skipped.model.weights.embedding, off.model.weights.embedding);
  });

  it('runs skip-gram when the hook sets fewer rows, and the rows it set start the run', async () => {
    const phases: string[] = [];
    const result = await trainFromSource(
      labelled,
      { ...tiny, learningRate: 1e-9 },
      { initialEmbedding: hookSetting(0.5), onProgress: (p) => phases.push(p.phase) },
    );
    assert.equal(result.skipGramPretrained, true);
    assert.equal(phases.includes('pretraining'), true);
    const row1 = Array.from(result.model.weights.embedding.subarray(8, 16));
    row1.forEach((value) => assert.ok(Math.abs(value - 0.5) < 1e-4, `row 1 starts from the hook's 0.5, got ${value}`));
  });

  it('runs skip-gram without a hook and records it', async () => {
    assert.equal((await trainFromSource(labelled, tiny)).skipGramPretrained, true);
    assert.equal((await trainFromSource(labelled, { ...tiny, skipGram: false })).skipGramPretrained, false);
  });
});
