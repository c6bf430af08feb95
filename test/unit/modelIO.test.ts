import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ensureBackend } from '../../src/core/model/tfBackend';
import { padBatch } from '../../src/core/model/batching';
import { computeMetrics } from '../../src/core/model/metrics';
import {
  Architecture,
  NetworkWeights,
  flattenWeights,
  unflattenWeights,
  weightShapes,
} from '../../src/core/model/architecture';
import { ModelMetadata, checkAgainstWeights, validateMetadata } from '../../src/core/model/metadata';
import { MetadataToSave, ModelLoadError, loadModel, saveModel, savedWeightsBytes } from '../../src/core/model/modelIO';
import {
  SaveFileSystem,
  SaveTargetError,
  checkSaveTarget,
  isModelFileName,
  memberFileNames,
  nodeSaveFileSystem,
} from '../../src/core/model/modelFolder';
import { MAX_MODEL_WEIGHTS_BYTES } from '../../src/core/files/limits';
import { predictWithLayers } from '../../src/core/model/tfjsModel';
import { KERAS_FIXTURE_ARCH, KERAS_FIXTURE_DIR, kerasFixtureValues } from '../fixtures/models/kerasFixtureWeights';

const ARCH: Architecture = {
  cell: 'gru',
  vocabSize: 30,
  embeddingDim: 8,
  units: 6,
  layers: 2,
  numClasses: 3,
  dropout: 0.2,
};
const LABELS = ['negative', 'neutral', 'positive'];

/** Deterministic weights in [-1, 1) with some exact zeros, so quantization has a real range to cover. */
function seededWeights(arch: Architecture): NetworkWeights {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const arrays = weightShapes(arch).map(({ shape }) =>
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i % 7 === 0 ? 0 : next() * 2 - 1)),
  );
  return unflattenWeights(arch, arrays);
}

function metadataFor(arch: Architecture, labels = LABELS): MetadataToSave {
  return {
    name: 'test-model',
    description: 'round-trip test',
    labels,
    vocabulary: ['<pad>', '<unk>', ...Array.from({ length: arch.vocabSize - 2 }, (_, i) => `word${i}`)],
    tokenizer: { kind: 'english', lowercase: true },
    maxLength: 64,
    training: {
      dataFingerprint: 'ab'.repeat(32),
      dataDescription: 'synthetic',
      examples: 6,
      hyperparameters: { learningRate: 0.01, epochs: 3 },
      durationSeconds: 1.5,
      skipGram: false,
    },
    metrics: { validation: computeMetrics([0, 1, 2, 2, 1, 0], [0, 1, 2, 1, 1, 0], labels) },
  };
}

/** Whether two networks' weights are equal value for value. */
function sameValues(a: NetworkWeights, b: NetworkWeights): boolean {
  const right = flattenWeights(b);
  return flattenWeights(a).every(
    (values, k) => values.length === right[k].length && values.every((v, i) => v === right[k][i]),
  );
}

async function readJson(file: string): Promise<Record<string, any>> {
  return JSON.parse(await fsp.readFile(file, 'utf8'));
}

async function rewriteJson(file: string, change: (json: Record<string, any>) => void): Promise<void> {
  const json = await readJson(file);
  change(json);
  await fsp.writeFile(file, JSON.stringify(json));
}

/** loadModel's rejection, asserting it is a ModelLoadError that names the folder. */
async function loadError(dir: string): Promise<ModelLoadError> {
  try {
    await loadModel(dir);
  } catch (error) {
    assert.ok(error instanceof ModelLoadError, `expected ModelLoadError, got ${error}`);
    assert.ok(error.message.includes(dir), 'the message names the folder');
    return error;
  }
  throw new Error(`loadModel(${dir}) succeeded`);
}

function assertHasProblem(error: ModelLoadError, fragment: string): void {
  assert.ok(
    error.problems.some((p) => p.includes(fragment)),
    `expected a problem containing "${fragment}", got: ${JSON.stringify(error.problems)}`,
  );
}

describe('modelIO', () => {
  let root: string;
  let counter = 0;
  const freshDir = () => path.join(root, `model-${counter++}`);

  before(async () => {
    await ensureBackend();
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sentiment-lens-modelio-'));
  });

  after(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('round-trips weights exactly and metadata unchanged without quantization', async () => {
    const dir = freshDir();
    const weights = seededWeights(ARCH);
    const metadata = metadataFor(ARCH);
    const saved = await saveModel(dir, { arch: ARCH, weights, metadata });
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['metadata.json', 'model.json', 'weights.bin']);
    const loaded = await loadModel(dir);
    assert.deepEqual(loaded.arch, ARCH);
    assert.deepEqual(flattenWeights(loaded.weights), flattenWeights(weights));
    assert.deepEqual(loaded.metadata, saved);
    assert.deepEqual(loaded.metadata.labels, LABELS);
    assert.deepEqual(loaded.metadata.quantization, { dtype: 'none', maxAbsError: 0 });
    assert.equal((await fsp.stat(path.join(dir, 'weights.bin'))).size, savedWeightsBytes(ARCH, 'none'));
  });

  for (const quantize of ['uint8', 'uint16', 'float16'] as const) {
    it(`round-trips ${quantize} weights within the quantization error bound`, async () => {
      const dir = freshDir();
      const weights = seededWeights(ARCH);
      // Tiny values exercise float16's subnormal range and underflow to zero.
      weights.embedding.set([1e-6, -3e-8, 6.1e-5, 2.9e-8, -1e-9], 1);
      await saveModel(dir, { arch: ARCH, weights, metadata: metadataFor(ARCH) }, { quantize });
      const loaded = await loadModel(dir);
      assert.equal(loaded.metadata.quantization.dtype, quantize);
      assert.equal((await fsp.stat(path.join(dir, 'weights.bin'))).size, savedWeightsBytes(ARCH, quantize));
      const shapes = weightShapes(ARCH);
      const originals = flattenWeights(weights);
      let maxError = 0;
      flattenWeights(loaded.weights).forEach((values, k) => {
        const original = originals[k];
        const quantized = shapes[k].shape.length >= 2; // biases stay float32
        let lo = 0;
        let hi = 0;
        original.forEach((v) => ((lo = Math.min(lo, v)), (hi = Math.max(hi, v))));
        const levels = quantize === 'uint8' ? 255 : 65535;
        original.forEach((v, i) => {
          const error = Math.abs(values[i] - v);
          maxError = Math.max(maxError, error);
          // affine: half a step of the (zero-including) range; float16: half an ulp of an 11-bit significand.
          const bound = !quantized
            ? 0
            : quantize === 'float16'
              ? Math.abs(v) * 2 ** -11 + 2 ** -25
              : ((hi - lo) / levels / 2) * (1 + 1e-6) + 1e-7;
          assert.ok(error <= bound, `${shapes[k].name}[${i}]: error ${error} > bound ${bound}`);
          if (v === 0 && quantize !== 'float16') assert.equal(values[i], 0, 'zero stays exactly zero');
        });
      });
      assert.ok(maxError > 0, 'quantization changed something');
      assert.ok(
        Math.abs(loaded.metadata.quantization.maxAbsError - maxError) < 1e-9,
        'metadata records the measured error',
      );
    });
  }

  for (const quantize of ['none', 'uint8'] as const) {
    it(`writes the standard format: tfjs's own loadLayersModel reads it and predicts the same (${quantize})`, async () => {
      const dir = freshDir();
      await saveModel(dir, { arch: ARCH, weights: seededWeights(ARCH), metadata: metadataFor(ARCH) }, { quantize });
      const modelJson = await readJson(path.join(dir, 'model.json'));
      assert.equal(modelJson.format, 'layers-model');
      assert.deepEqual(modelJson.weightsManifest[0].paths, ['weights.bin']);
      const weightData = new Uint8Array(await fsp.readFile(path.join(dir, 'weights.bin'))).buffer;
      const tfjsModel = await tfl.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: modelJson.modelTopology,
          weightSpecs: modelJson.weightsManifest[0].weights,
          weightData,
        }),
      );
      const loaded = await loadModel(dir);
      try {
        const batch = padBatch([Int32Array.from([3, 9, 27, 1]), Int32Array.from([12, 4])]);
        const ours = predictWithLayers(loaded.layersModel(), batch);
        const theirs = predictWithLayers(tfjsModel, batch);
        assert.deepEqual(theirs.stepProbabilities, ours.stepProbabilities);
        assert.deepEqual(
          tfjsModel.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array)),
          flattenWeights(loaded.weights),
        );
      } finally {
        tfjsModel.dispose();
        loaded.dispose();
      }
    });
  }

  it('loads a Keras model converted by the TensorFlow.js converter, mapping weights by order and shape', async () => {
    const loaded = await loadModel(KERAS_FIXTURE_DIR);
    try {
      assert.deepEqual(loaded.arch, KERAS_FIXTURE_ARCH);
      assert.deepEqual(
        flattenWeights(loaded.weights),
        weightShapes(KERAS_FIXTURE_ARCH).map((_, k) => kerasFixtureValues(k)),
      );
      const batch = padBatch([Int32Array.from([2, 6, 4]), Int32Array.from([9])]);
      const ours = predictWithLayers(loaded.layersModel(), batch);
      // The fixture is also a model tfjs itself accepts, and it predicts what we predict.
      const modelJson = await readJson(path.join(KERAS_FIXTURE_DIR, 'model.json'));
      const weightData = new Uint8Array(await fsp.readFile(path.join(KERAS_FIXTURE_DIR, 'group1-shard1of1.bin')))
        .buffer;
      const tfjsModel = await tfl.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: modelJson.modelTopology,
          weightSpecs: modelJson.weightsManifest[0].weights,
          weightData,
        }),
      );
      try {
        const theirs = predictWithLayers(tfjsModel, batch);
        for (let i = 0; i < ours.stepProbabilities.length; i++) {
          assert.ok(Math.abs(ours.stepProbabilities[i] - theirs.stepProbabilities[i]) < 1e-6);
        }
      } finally {
        tfjsModel.dispose();
      }
    } finally {
      loaded.dispose();
    }
  });

  it('leaks no tensors across save and load', async () => {
    const weights = seededWeights(ARCH);
    await saveModel(freshDir(), { arch: ARCH, weights, metadata: metadataFor(ARCH) }, { quantize: 'uint8' });
    const before = tf.memory().numTensors;
    for (const quantize of ['none', 'float16'] as const) {
      const dir = freshDir();
      await saveModel(dir, { arch: ARCH, weights, metadata: metadataFor(ARCH) }, { quantize });
      const loaded = await loadModel(dir);
      predictWithLayers(loaded.layersModel(), padBatch([Int32Array.from([4, 5])]));
      loaded.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  });

  describe('rejects a broken folder with a specific problem', () => {
    let good: string;
    const brokenCopy = async (): Promise<string> => {
      const dir = freshDir();
      await fsp.cp(good, dir, { recursive: true });
      return dir;
    };

    before(async () => {
      good = freshDir();
      await saveModel(good, { arch: ARCH, weights: seededWeights(ARCH), metadata: metadataFor(ARCH) });
    });

    it('vocabulary size that disagrees with the embedding rows', async () => {
      const dir = await brokenCopy();
      await rewriteJson(path.join(dir, 'metadata.json'), (m) => {
        m.vocabulary.push('extra1', 'extra2');
        m.architecture.vocabSize += 2;
      });
      assertHasProblem(await loadError(dir), 'metadata.json lists 32 vocabulary entries but the embedding has 30 rows');
    });

    it('labels that disagree with the output units', async () => {
      const dir = await brokenCopy();
      await rewriteJson(path.join(dir, 'metadata.json'), (m) => {
        m.labels = ['negative', 'positive'];
        m.architecture.numClasses = 2;
      });
      assertHasProblem(await loadError(dir), 'metadata.json lists 2 labels but the output layer has 3 units');
    });

    it('missing weights.bin', async () => {
      const dir = await brokenCopy();
      await fsp.rm(path.join(dir, 'weights.bin'));
      assertHasProblem(await loadError(dir), 'weights.bin is missing');
    });

    it('truncated weights.bin', async () => {
      const dir = await brokenCopy();
      const file = path.join(dir, 'weights.bin');
      const bytes = await fsp.readFile(file);
      await fsp.writeFile(file, bytes.subarray(0, bytes.length - 100));
      assertHasProblem(
        await loadError(dir),
        `weights.bin is truncated: it holds ${bytes.length - 100} bytes but model.json's weightsManifest describes ${bytes.length}`,
      );
    });

    it('corrupt model.json', async () => {
      const dir = await brokenCopy();
      const file = path.join(dir, 'model.json');
      const text = await fsp.readFile(file, 'utf8');
      await fsp.writeFile(file, text.slice(0, text.length / 2));
      assertHasProblem(await loadError(dir), 'model.json is not valid JSON');
    });

    it('missing metadata.json', async () => {
      const dir = await brokenCopy();
      await fsp.rm(path.join(dir, 'metadata.json'));
      assertHasProblem(await loadError(dir), 'metadata.json is missing');
    });

    it('metadata with a missing and a mistyped field, naming both', async () => {
      const dir = await brokenCopy();
      await rewriteJson(path.join(dir, 'metadata.json'), (m) => {
        delete m.tokenizer;
        m.training.skipGram = 'no';
      });
      const error = await loadError(dir);
      assertHasProblem(error, 'metadata.json: tokenizer is missing');
      assertHasProblem(error, 'metadata.json: training.skipGram must be true or false, found the string "no"');
    });

    it('architecture whose cell disagrees with the weight shapes', async () => {
      const dir = await brokenCopy();
      await rewriteJson(path.join(dir, 'metadata.json'), (m) => {
        m.architecture.cell = 'lstm';
      });
      assertHasProblem(
        await loadError(dir),
        'architecture.cell is "lstm" but recurrent layer 0 has 3 gate block(s), which is a GRU layer',
      );
    });

    it('many problems: all in `problems`, the first ten in the message', async () => {
      const dir = freshDir();
      await fsp.mkdir(dir);
      await fsp.writeFile(path.join(dir, 'metadata.json'), '{}');
      const error = await loadError(dir);
      assert.ok(error.problems.length > 10, `${error.problems.length} problems`);
      assert.match(error.message, new RegExp(`; and ${error.problems.length - 10} more problems$`));
      assert.ok(!error.message.includes(error.problems[10]));
    });

    it('a metadata.json with 200,000 malformed perClass entries (a ModelLoadError, not a stack overflow)', async () => {
      const dir = freshDir();
      await saveModel(dir, { arch: ARCH, weights: seededWeights(ARCH), metadata: metadataFor(ARCH) });
      await rewriteJson(path.join(dir, 'metadata.json'), (json) => {
        json.metrics.validation.perClass = Object.fromEntries(
          Array.from({ length: 200_000 }, (_, i) => [`class${i}`, i]),
        );
      });
      const error = await loadError(dir);
      assert.ok(error.problems.length >= 200_000, `${error.problems.length} problems`);
    });

    it('weights over the size limit, before reading them', async () => {
      const dir = freshDir();
      await saveModel(dir, { arch: ARCH, weights: seededWeights(ARCH), metadata: metadataFor(ARCH) });
      await rewriteJson(path.join(dir, 'model.json'), (json) => {
        json.weightsManifest[0].weights[0].shape = [MAX_MODEL_WEIGHTS_BYTES / 4, 2];
      });
      assertHasProblem(
        await loadError(dir),
        `model.json describes 512.0 MB of weights, over the 256.0 MB limit for a model`,
      );
    });

    it('a model file that is a folder, or a symbolic link out of the model folder', async () => {
      const dir = freshDir();
      await saveModel(dir, { arch: ARCH, weights: seededWeights(ARCH), metadata: metadataFor(ARCH) });
      const elsewhere = freshDir();
      await fsp.mkdir(elsewhere);
      await fsp.rename(path.join(dir, 'weights.bin'), path.join(elsewhere, 'weights.bin'));
      await fsp.symlink(path.join(elsewhere, 'weights.bin'), path.join(dir, 'weights.bin'));
      assertHasProblem(
        await loadError(dir),
        `weights.bin cannot be read: it is a symbolic link to ${await fsp.realpath(path.join(elsewhere, 'weights.bin'))}, outside the model folder`,
      );
      await fsp.unlink(path.join(dir, 'weights.bin'));
      await fsp.mkdir(path.join(dir, 'weights.bin'));
      assertHasProblem(await loadError(dir), 'weights.bin cannot be read: it is a folder; only regular files are read');
    });

    it('a folder that does not exist', async () => {
      assertHasProblem(await loadError(path.join(root, 'no-such-model')), 'the folder does not exist');
    });
  });

  describe('seed ensembles', () => {
    const other = (by: number) =>
      unflattenWeights(
        ARCH,
        flattenWeights(seededWeights(ARCH)).map((w) => w.map((v, i) => (i % 3 === 0 ? v : v * by))),
      );
    const saveEnsemble = async (dir: string, quantize: 'none' | 'uint8' = 'none') => {
      const weights = seededWeights(ARCH);
      const otherMembers = [other(0.5), other(-0.25)];
      const saved = await saveModel(
        dir,
        { arch: ARCH, weights, otherMembers, metadata: metadataFor(ARCH) },
        { quantize },
      );
      return { weights, otherMembers, saved };
    };

    it('names member 1 model.json + weights.bin and member K model-K.json + weights-K.bin', () => {
      assert.deepEqual(memberFileNames(1), { model: 'model.json', weights: 'weights.bin' });
      assert.deepEqual(memberFileNames(3), { model: 'model-3.json', weights: 'weights-3.bin' });
      for (const name of ['model.json', 'weights.bin', 'metadata.json', 'model-2.json', 'weights-12.bin'])
        assert.ok(isModelFileName(name), name);
      for (const name of ['model-1.json', 'weights-0.bin', 'model-02.json', 'model-2.bin', 'notes.txt'])
        assert.ok(!isModelFileName(name), name);
    });

    it('round-trips every network exactly, each with its own model.json and weights file, and records the count', async () => {
      const dir = freshDir();
      const { weights, otherMembers, saved } = await saveEnsemble(dir);
      assert.deepEqual((await fsp.readdir(dir)).sort(), [
        'metadata.json',
        'model-2.json',
        'model-3.json',
        'model.json',
        'weights-2.bin',
        'weights-3.bin',
        'weights.bin',
      ]);
      assert.equal(saved.members, 3);
      for (const [file, shard] of [
        ['model.json', 'weights.bin'],
        ['model-2.json', 'weights-2.bin'],
        ['model-3.json', 'weights-3.bin'],
      ]) {
        const json = await readJson(path.join(dir, file));
        assert.equal(json.format, 'layers-model', `${file} is a tfjs Layers model.json`);
        assert.deepEqual(json.weightsManifest[0].paths, [shard]);
        assert.equal((await fsp.stat(path.join(dir, shard))).size, savedWeightsBytes(ARCH, 'none'));
      }
      const loaded = await loadModel(dir);
      assert.deepEqual(flattenWeights(loaded.weights), flattenWeights(weights));
      assert.equal(loaded.otherMembers.length, 2);
      loaded.otherMembers.forEach((member, i) =>
        assert.deepEqual(flattenWeights(member), flattenWeights(otherMembers[i])),
      );
      assert.deepEqual(loaded.metadata, saved);
    });

    it('measures the quantization error over every network', async () => {
      const dir = freshDir();
      const { weights, otherMembers } = await saveEnsemble(dir, 'uint8');
      const loaded = await loadModel(dir);
      let maxError = 0;
      [weights, ...otherMembers].forEach((original, m) => {
        const decoded = flattenWeights([loaded.weights, ...loaded.otherMembers][m]);
        flattenWeights(original).forEach((values, k) =>
          values.forEach((v, i) => (maxError = Math.max(maxError, Math.abs(decoded[k][i] - v)))),
        );
      });
      assert.ok(maxError > 0);
      assert.ok(Math.abs(loaded.metadata.quantization.maxAbsError - maxError) < 1e-9);
    });

    it('writes no `members` for a single network, and loads it with no other networks', async () => {
      const dir = freshDir();
      await saveModel(dir, { arch: ARCH, weights: seededWeights(ARCH), otherMembers: [], metadata: metadataFor(ARCH) });
      assert.equal('members' in (await readJson(path.join(dir, 'metadata.json'))), false);
      assert.deepEqual((await loadModel(dir)).otherMembers, []);
    });

    const ensembleCopy = async (): Promise<string> => {
      const dir = freshDir();
      await saveEnsemble(dir);
      return dir;
    };

    it('a missing member model file is a specific problem', async () => {
      const dir = await ensembleCopy();
      await fsp.rm(path.join(dir, 'model-3.json'));
      const error = await loadError(dir);
      assert.deepEqual(error.problems, [
        'model-3.json is missing (metadata.json says the model has 3 networks; this is network 3)',
      ]);
    });

    it('a missing, truncated or shared member weights file is a specific problem', async () => {
      let dir = await ensembleCopy();
      await fsp.rm(path.join(dir, 'weights-2.bin'));
      assert.deepEqual((await loadError(dir)).problems, [
        'weights-2.bin is missing (model-2.json lists it as a weights file)',
      ]);

      dir = await ensembleCopy();
      const file = path.join(dir, 'weights-3.bin');
      const bytes = await fsp.readFile(file);
      await fsp.writeFile(file, bytes.subarray(0, 10));
      assertHasProblem(
        await loadError(dir),
        `weights-3.bin is truncated: it holds 10 bytes but model-3.json's weightsManifest describes ${bytes.length}`,
      );

      dir = await ensembleCopy();
      await rewriteJson(path.join(dir, 'model-2.json'), (json) => (json.weightsManifest[0].paths = ['weights.bin']));
      assertHasProblem(
        await loadError(dir),
        'model-2.json lists weights.bin as a weights file, which model.json lists too: each network of the model needs its own weights file',
      );
    });

    it('a corrupt member model file, or one of another architecture, is a specific problem', async () => {
      let dir = await ensembleCopy();
      await fsp.writeFile(path.join(dir, 'model-2.json'), '{"format": "layers-mo');
      assertHasProblem(await loadError(dir), 'model-2.json is not valid JSON');

      dir = await ensembleCopy();
      const smaller: Architecture = { ...ARCH, units: 4 };
      const elsewhere = freshDir();
      await saveModel(elsewhere, { arch: smaller, weights: seededWeights(smaller), metadata: metadataFor(smaller) });
      await fsp.copyFile(path.join(elsewhere, 'model.json'), path.join(dir, 'model-2.json'));
      await fsp.copyFile(path.join(elsewhere, 'weights.bin'), path.join(dir, 'weights.bin.tmp'));
      await rewriteJson(
        path.join(dir, 'model-2.json'),
        (json) => (json.weightsManifest[0].paths = ['weights.bin.tmp']),
      );
      assertHasProblem(
        await loadError(dir),
        'model-2.json: architecture.units is 6 but the output kernel has 4 input rows',
      );
    });

    it('a `members` that is not a whole number from 1 to 16 is a problem of metadata.json', async () => {
      for (const members of [0, 2.5, 17, 'two']) {
        const dir = await ensembleCopy();
        await rewriteJson(path.join(dir, 'metadata.json'), (m) => (m.members = members));
        assertHasProblem(await loadError(dir), 'metadata.json: members must be an integer from 1 to 16');
      }
    });
  });

  describe('atomic save', () => {
    it('leaves the previous model intact, and no temporary folder, when writing fails midway', async () => {
      const parent = path.join(root, 'atomic');
      const dir = path.join(parent, 'model');
      const first = seededWeights(ARCH);
      await saveModel(dir, { arch: ARCH, weights: first, metadata: metadataFor(ARCH) });
      const before = await fsp.readFile(path.join(dir, 'weights.bin'));

      // A BigInt passes validation (hyperparameters are free-form) but cannot be written as JSON:
      // metadata.json is written after weights.bin and model.json, so this fails midway.
      const second = unflattenWeights(
        ARCH,
        flattenWeights(first).map((w) => w.map((v) => v + 1)),
      );
      const badMetadata = {
        ...metadataFor(ARCH),
        training: { ...metadataFor(ARCH).training, hyperparameters: { seed: 1n } },
      };
      await assert.rejects(saveModel(dir, { arch: ARCH, weights: second, metadata: badMetadata }), /BigInt/);

      assert.deepEqual(await fsp.readdir(parent), ['model']);
      assert.deepEqual(await fsp.readFile(path.join(dir, 'weights.bin')), before);
      assert.deepEqual(flattenWeights((await loadModel(dir)).weights), flattenWeights(first));
    });

    it('replaces an existing model completely when writing succeeds', async () => {
      const parent = path.join(root, 'replace');
      const dir = path.join(parent, 'model');
      await saveModel(dir, { arch: ARCH, weights: seededWeights(ARCH), metadata: metadataFor(ARCH) });
      await fsp.writeFile(path.join(dir, 'stale.txt'), 'left over from the old model');
      const smaller: Architecture = { ...ARCH, cell: 'lstm', layers: 1 };
      const weights = seededWeights(smaller);
      await saveModel(dir, { arch: smaller, weights, metadata: metadataFor(smaller) }, { quantize: 'float16' });
      assert.deepEqual(await fsp.readdir(parent), ['model']);
      assert.deepEqual((await fsp.readdir(dir)).sort(), ['metadata.json', 'model.json', 'weights.bin']);
      assert.deepEqual((await loadModel(dir)).arch, smaller);
    });

    it('refuses weights that do not fit the architecture before touching the disk', async () => {
      const dir = freshDir();
      const weights = seededWeights(ARCH);
      await assert.rejects(
        saveModel(dir, { arch: { ...ARCH, units: 7 }, weights, metadata: metadataFor(ARCH) }),
        /expected \d+ values/,
      );
      await assert.rejects(fsp.stat(dir), { code: 'ENOENT' });
    });
  });
  describe('save target', () => {
    const save = (dir: string) =>
      saveModel(dir, { arch: ARCH, weights: seededWeights(ARCH), metadata: metadataFor(ARCH) });

    it('refuses to replace a folder that holds no model, leaving its files and sub-folders', async () => {
      const parent = path.join(root, 'user-folder');
      const dir = path.join(parent, 'd');
      await fsp.mkdir(path.join(dir, 'sub'), { recursive: true });
      await fsp.writeFile(path.join(dir, 'thesis.tex'), 'x');
      await assert.rejects(
        save(dir),
        (error: Error) => error instanceof SaveTargetError && /not a Sentiment Lens model/.test(error.message),
      );
      assert.deepEqual((await fsp.readdir(dir)).sort(), ['sub', 'thesis.tex']);
      assert.deepEqual(await fsp.readdir(parent), ['d'], 'no temporary folder is left');
    });

    it('refuses a folder whose metadata.json is not a valid model metadata', async () => {
      const dir = freshDir();
      await fsp.mkdir(dir);
      await fsp.writeFile(path.join(dir, 'metadata.json'), '{"name": "mine"}');
      await assert.rejects(save(dir), SaveTargetError);
      assert.equal(await fsp.readFile(path.join(dir, 'metadata.json'), 'utf8'), '{"name": "mine"}');
    });

    it('refuses a file and a symbolic link, leaving both', async () => {
      const file = freshDir();
      await fsp.writeFile(file, 'notes');
      await assert.rejects(save(file), /it is a file, not a model folder/);
      assert.equal(await fsp.readFile(file, 'utf8'), 'notes');
      const model = freshDir();
      await save(model);
      const link = freshDir();
      await fsp.symlink(model, link);
      await assert.rejects(save(link), /symbolic link/);
      assert.ok((await fsp.lstat(link)).isSymbolicLink());
      await loadModel(model);
    });

    it('names the file in a path that goes through one, and the root', async () => {
      const file = freshDir();
      await fsp.writeFile(file, 'notes');
      await assert.rejects(checkSaveTarget(path.join(file, 'a', 'm')), new RegExp(`${file} is not a folder`));
      await assert.rejects(checkSaveTarget('/dev/null/m'), /\/dev\/null is not a folder/);
      await assert.rejects(checkSaveTarget('/'), /root of the file system/);
    });

    it('saves into an empty folder and below folders that do not exist yet', async () => {
      const empty = freshDir();
      await fsp.mkdir(empty);
      await save(empty);
      await loadModel(empty);
      const deep = path.join(freshDir(), 'a', 'b');
      await checkSaveTarget(deep);
      await save(deep);
      await loadModel(deep);
    });
  });
  describe('interrupted save', () => {
    const stepNames = ['mkdir', 'writeFile', 'syncFolder', 'rename', 'remove'] as const;

    /** node:fs, except that step `failAt` (counted from 0) fails, and with `andLater` every later step too. */
    function failingFileSystem(failAt: number, andLater: boolean): SaveFileSystem & { readonly steps: string[] } {
      const steps: string[] = [];
      const gate = (name: string) => {
        steps.push(name);
        const n = steps.length - 1;
        if (n === failAt || (andLater && n > failAt))
          throw Object.assign(new Error(`injected failure at step ${n} (${name})`), { code: 'EIO' });
      };
      const fileSystem = Object.fromEntries(
        stepNames.map((name) => [
          name,
          async (...args: unknown[]) => {
            gate(name);
            return (nodeSaveFileSystem[name] as (...a: unknown[]) => Promise<void>)(...args);
          },
        ]),
      ) as unknown as SaveFileSystem;
      return Object.assign(fileSystem, { steps });
    }

    const shifted = (by: number) =>
      unflattenWeights(
        ARCH,
        flattenWeights(seededWeights(ARCH)).map((w) => w.map((v) => v + by)),
      );
    const weightsOf = async (dir: string) => flattenWeights((await loadModel(dir)).weights);

    it('leaves the old or the new model, and no stray folder after the next load, when any step fails once or for good', async () => {
      const probe = failingFileSystem(Infinity, false);
      const parent = path.join(root, 'failing-probe');
      await saveModel(path.join(parent, 'model'), { arch: ARCH, weights: shifted(0), metadata: metadataFor(ARCH) });
      await saveModel(
        path.join(parent, 'model'),
        { arch: ARCH, weights: shifted(1), metadata: metadataFor(ARCH) },
        { fileSystem: probe },
      );
      assert.ok(probe.steps.length >= 8, probe.steps.join(','));
      let sawMissingModel = false;
      for (let failAt = 0; failAt < probe.steps.length; failAt++) {
        for (const andLater of [false, true]) {
          const where = `step ${failAt} (${probe.steps[failAt]})${andLater ? ' and later' : ''}`;
          const dir = path.join(root, `failing-${failAt}-${andLater}`, 'model');
          const old = shifted(0);
          await saveModel(dir, { arch: ARCH, weights: old, metadata: metadataFor(ARCH) });
          const warnings: string[] = [];
          const saved = await saveModel(
            dir,
            { arch: ARCH, weights: shifted(1), metadata: metadataFor(ARCH) },
            {
              fileSystem: failingFileSystem(failAt, andLater),
              onWarning: (message) => warnings.push(message),
            },
          ).then(
            () => true,
            () => false,
          );
          if (
            !(await fsp.stat(dir).then(
              () => true,
              () => false,
            ))
          )
            sawMissingModel = true;
          const loaded = await weightsOf(dir);
          const isOld = loaded.every((w, i) => w.every((v, j) => v === flattenWeights(old)[i][j]));
          const isNew = loaded.every((w, i) => w.every((v, j) => v === flattenWeights(shifted(1))[i][j]));
          assert.ok(isOld || isNew, `${where}: neither the old nor the new model`);
          if (saved) assert.ok(isNew, `${where}: the save succeeded but the old model is in place`);
          assert.deepEqual(await fsp.readdir(path.dirname(dir)), ['model'], `${where}: stray folders after loading`);
          await saveModel(dir, { arch: ARCH, weights: shifted(2), metadata: metadataFor(ARCH) });
          assert.deepEqual(
            await fsp.readdir(path.dirname(dir)),
            ['model'],
            `${where}: stray folders after the next save`,
          );
        }
      }
      assert.ok(sawMissingModel, 'some step left no folder at the target, so the recovery was exercised');
    });

    it('leaves the old single network or the whole new ensemble when any step of saving an ensemble fails', async () => {
      const probe = failingFileSystem(Infinity, false);
      const probeDir = path.join(root, 'failing-ensemble-probe', 'model');
      await saveModel(probeDir, { arch: ARCH, weights: shifted(0), metadata: metadataFor(ARCH) });
      const ensemble = { arch: ARCH, weights: shifted(1), otherMembers: [shifted(2)], metadata: metadataFor(ARCH) };
      await saveModel(probeDir, ensemble, { fileSystem: probe });
      for (let failAt = 0; failAt < probe.steps.length; failAt++) {
        for (const andLater of [false, true]) {
          const where = `step ${failAt} (${probe.steps[failAt]})${andLater ? ' and later' : ''}`;
          const dir = path.join(root, `failing-ensemble-${failAt}-${andLater}`, 'model');
          await saveModel(dir, { arch: ARCH, weights: shifted(0), metadata: metadataFor(ARCH) });
          const saved = await saveModel(dir, ensemble, { fileSystem: failingFileSystem(failAt, andLater) }).then(
            () => true,
            () => false,
          );
          const loaded = await loadModel(dir);
          const isOld = loaded.otherMembers.length === 0 && sameValues(loaded.weights, shifted(0));
          const isNew =
            loaded.otherMembers.length === 1 &&
            sameValues(loaded.weights, shifted(1)) &&
            sameValues(loaded.otherMembers[0], shifted(2));
          assert.ok(isOld || isNew, `${where}: neither the old nor the new model`);
          if (saved) assert.ok(isNew, `${where}: the save succeeded but the old model is in place`);
          assert.deepEqual(await fsp.readdir(path.dirname(dir)), ['model'], `${where}: stray folders after loading`);
        }
      }
    });

    it('treats a failed removal of the previous model after a successful swap as a warning', async () => {
      const dir = path.join(root, 'cleanup-fails', 'model');
      await saveModel(dir, { arch: ARCH, weights: shifted(0), metadata: metadataFor(ARCH) });
      const warnings: string[] = [];
      const fileSystem = {
        ...nodeSaveFileSystem,
        remove: async () => {
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        },
      };
      await saveModel(
        dir,
        { arch: ARCH, weights: shifted(1), metadata: metadataFor(ARCH) },
        { fileSystem, onWarning: (m) => warnings.push(m) },
      );
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0],
        /the new model is in place, but the previous one could not be removed from .*\.model\.replaced-.*EACCES/,
      );
      assert.deepEqual(await weightsOf(dir), flattenWeights(shifted(1)));
      assert.deepEqual(await fsp.readdir(path.dirname(dir)), ['model'], 'the next load removed it');
    });

    it('removes hidden folders of a process that is gone, but not those of a live one nor folders holding other files', async () => {
      const parent = path.join(root, 'stale');
      const dir = path.join(parent, 'model');
      await saveModel(dir, { arch: ARCH, weights: shifted(0), metadata: metadataFor(ARCH) });
      const gone = 99999999; // above any pid_max, so no such process
      const staleSaving = path.join(parent, `.model.saving-${gone}-0-00000001`);
      const staleReplaced = path.join(parent, `.model.replaced-${gone}-0-00000002`);
      const foreign = path.join(parent, `.model.saving-${gone}-0-00000003`);
      const live = path.join(parent, `.model.saving-${process.ppid}-0-00000004`);
      for (const folder of [staleSaving, staleReplaced, foreign, live]) {
        await fsp.mkdir(folder);
        await fsp.writeFile(path.join(folder, 'weights.bin'), 'partial');
      }
      await fsp.writeFile(path.join(foreign, 'thesis.tex'), 'x');
      await loadModel(dir);
      assert.deepEqual(
        (await fsp.readdir(parent)).sort(),
        [path.basename(foreign), path.basename(live), 'model'].sort(),
      );
    });

    it('leaves a loadable model when the process is killed at any step of a save, and the next load or save cleans up', async function () {
      this.timeout(300_000);
      const script = path.join(__dirname, 'killDuringSave.ts');
      const spec = path.join(root, 'kill-spec.json');
      await fsp.writeFile(spec, JSON.stringify({ arch: ARCH, metadata: metadataFor(ARCH) }));
      const killed = (dir: string, step: number, mode: 'before' | 'torn') =>
        spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), script, dir, spec, String(step), mode], {
          encoding: 'utf8',
          timeout: 120_000,
        });
      const newWeights = flattenWeights(
        unflattenWeights(
          ARCH,
          weightShapes(ARCH).map(({ shape }) => new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.25)),
        ),
      );

      const probeDir = path.join(root, 'kill-probe', 'model');
      await saveModel(probeDir, { arch: ARCH, weights: shifted(0), metadata: metadataFor(ARCH) });
      const probe = killed(probeDir, Number.MAX_SAFE_INTEGER, 'before');
      assert.equal(probe.status, 0, probe.stderr);
      const steps = probe.stdout.trim().split(',');
      assert.deepEqual(await weightsOf(probeDir), newWeights);

      const runs = [
        ...steps.map((_, step) => ({ step, mode: 'before' as const })),
        ...steps.flatMap((name, step) => (name === 'writeFile' ? [{ step, mode: 'torn' as const }] : [])),
      ];
      let sawMissingModel = false;
      for (const [i, { step, mode }] of runs.entries()) {
        const where = `killed ${mode} step ${step} (${steps[step]})`;
        const dir = path.join(root, `kill-${step}-${mode}`, 'model');
        await saveModel(dir, { arch: ARCH, weights: shifted(0), metadata: metadataFor(ARCH) });
        const run = killed(dir, step, mode);
        assert.equal(run.signal, 'SIGKILL', `${where}: ${run.stderr}`);
        if (
          !(await fsp.stat(dir).then(
            () => true,
            () => false,
          ))
        )
          sawMissingModel = true;
        if (i % 2 === 1) {
          // Recovered by the next save instead of a load.
          await saveModel(dir, { arch: ARCH, weights: shifted(2), metadata: metadataFor(ARCH) });
          assert.deepEqual(await weightsOf(dir), flattenWeights(shifted(2)), where);
        } else {
          const loaded = await weightsOf(dir);
          const same = (expected: Float32Array[]) => loaded.every((w, k) => w.every((v, j) => v === expected[k][j]));
          assert.ok(
            same(flattenWeights(shifted(0))) || same(newWeights),
            `${where}: neither the old nor the new model`,
          );
        }
        assert.deepEqual(await fsp.readdir(path.dirname(dir)), ['model'], `${where}: stray folders left`);
      }
      assert.ok(sawMissingModel, 'some kill left no folder at the target, so the recovery was exercised');
    });
  });
});

describe('metadata', () => {
  it('names every missing or mistyped field', () => {
    const { metadata, problems } = validateMetadata({
      formatVersion: 1,
      name: 3,
      labels: ['a', 'b'],
      architecture: { cell: 'rnn' },
    });
    assert.equal(metadata, undefined);
    for (const expected of [
      'name must be a string, found number 3',
      'description is missing',
      'vocabulary is missing',
      'tokenizer is missing',
      'maxLength is missing',
      'architecture.cell must be "gru", "lstm" or "simple", found the string "rnn"',
      'architecture.vocabSize is missing',
      'training is missing',
      'metrics is missing',
      'createdAt is missing',
      'quantization is missing',
    ]) {
      assert.ok(problems.includes(expected), `expected "${expected}" in ${JSON.stringify(problems)}`);
    }
  });

  it('reports each disagreement between metadata and weight shapes', () => {
    const metadata = {
      ...metadataFor(ARCH),
      vocabulary: ['<pad>', '<unk>', ...Array.from({ length: 18000 }, (_, i) => `w${i}`)],
      formatVersion: 1,
      architecture: { ...ARCH, vocabSize: 18002 },
      createdAt: new Date(0).toISOString(),
      quantization: { dtype: 'none', maxAbsError: 0 },
    } as ModelMetadata;
    const shapes = weightShapes({ ...ARCH, vocabSize: 17000, embeddingDim: 16, numClasses: 2 });
    const problems = checkAgainstWeights(metadata, shapes);
    assert.ok(
      problems.includes('metadata.json lists 18002 vocabulary entries but the embedding has 17000 rows'),
      JSON.stringify(problems),
    );
    assert.ok(
      problems.includes('architecture.embeddingDim is 8 but the embedding has 16 columns'),
      JSON.stringify(problems),
    );
    assert.ok(
      problems.includes('metadata.json lists 3 labels but the output layer has 2 units'),
      JSON.stringify(problems),
    );
  });
});
