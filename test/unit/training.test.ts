import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saveTrainedModel } from '../../src/core/modelFiles';
import { trainClassifier, TrainingOptions } from '../../src/core/training';

const labelled = [
  ...Array.from({ length: 12 }, (_, i) => ({ text: `thanks a lot this works great ${i}`, label: 'positive' })),
  ...Array.from({ length: 12 }, (_, i) => ({ text: `this breaks the build badly ${i}`, label: 'negative' })),
];
const unlabelled = Array.from({ length: 20 }, () => 'a splendid film that works and a dreadful one that breaks');
const tiny: Partial<TrainingOptions> = {
  units: 4, embeddingDim: 8, epochs: 1, batchSize: 8, validationSplit: 0.25, skipGram: true, skipGramEpochs: 1, seed: 3, minCount: 1,
};

describe('training', () => {
  describe('pretrainingTexts', () => {
    it('keep the vocabulary to the labelled training part by default', async () => {
      const result = await trainClassifier(labelled, { ...tiny, pretrainingTexts: unlabelled });
      assert.equal(result.model.vocabulary.tokens.includes('splendid'), false);
    });

    it('add their words to the vocabulary with vocabularySource training+pretraining', async () => {
      const result = await trainClassifier(labelled, { ...tiny, pretrainingTexts: unlabelled, vocabularySource: 'training+pretraining' });
      assert.equal(result.model.vocabulary.tokens.includes('splendid'), true);
    });

    it('change the skip-gram vectors of the training words they share', async () => {
      const row = (embedding: Float32Array, id: number) => Array.from(embedding.subarray(id * 8, (id + 1) * 8));
      const without = await trainClassifier(labelled, { ...tiny, epochs: 1, learningRate: 1e-9 });
      const withTexts = await trainClassifier(labelled, { ...tiny, epochs: 1, learningRate: 1e-9, pretrainingTexts: unlabelled });
      const id = without.model.vocabulary.tokens.indexOf('works');
      assert.deepEqual(withTexts.model.vocabulary.tokens, without.model.vocabulary.tokens);
      assert.notDeepEqual(row(withTexts.model.weights.embedding, id), row(without.model.weights.embedding, id));
    });

    it('are not written to metadata.json, only their number', async () => {
      const result = await trainClassifier(labelled, { ...tiny, pretrainingTexts: unlabelled });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-training-'));
      try {
        await saveTrainedModel(path.join(dir, 'm'), result, { name: 'm', dataFingerprint: '0'.repeat(64), dataDescription: 'test' });
        const metadata = JSON.parse(fs.readFileSync(path.join(dir, 'm', 'metadata.json'), 'utf8'));
        assert.equal(metadata.training.hyperparameters.pretrainingTexts, unlabelled.length);
        assert.equal(JSON.stringify(metadata).includes('splendid'), false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
