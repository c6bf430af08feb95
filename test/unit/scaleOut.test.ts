import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { padBatch } from '../../src/core/model/batching';
import { predict } from '../../src/core/engine';
import type { Architecture, CellType } from '../../src/core/model/architecture';
import { loadModel } from '../../src/core/model/modelIO';
import { buildLayersModel } from '../../src/core/model/tfjsModel';
import { encodeNpy, shardSplit } from '../../src/core/training/preparedData';
import { readLabelledFile } from '../../src/core/readers';
import { ensureBackend } from '../../src/core/model/tfBackend';
import { prepareTrainingData, resolveTrainingOptions } from '../../src/core/training/training';

const root = path.resolve(__dirname, '..', '..');
const reviews = path.join(root, 'test', 'fixtures', 'cli', 'reviews.tsv');
const PREPARE_FLAGS = ['--validation-split', '0.25', '--seed', '7'];

function cli(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(root, 'src', 'cli', 'main.ts'), ...args],
    { cwd: root, encoding: 'utf8', timeout: 120000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A 1-D int32 .npy file's values (the only kind prepare writes). */
function readNpy(file: string): Int32Array {
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  assert.match(header, /'descr': '<i4', 'fortran_order': False, 'shape': \(\d+,\)/);
  assert.equal((10 + headerLength) % 64, 0, 'data starts at a multiple of 64');
  const data = bytes.subarray(10 + headerLength);
  return Int32Array.from({ length: data.length / 4 }, (_, i) => data.readInt32LE(i * 4));
}

/** Debian's packages for the distributed trainer: PyTorch (with NumPy) and the BLAS it runs fastest with. */
const TORCH_PACKAGES = ['python3-torch', 'libopenblas0-pthread'];

/** The Python interpreter with torch and numpy (SENTIMENT_LENS_PYTHON, else Debian's, else python3 on PATH), or why there is none. */
function findTorch(): { python: string } | { reason: string } {
  const chosen = process.env.SENTIMENT_LENS_PYTHON;
  const candidates = chosen ? [chosen] : ['/usr/bin/python3', 'python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 120000,
    });
    if (probe.status === 0) return { python };
  }
  return {
    reason: `${candidates.join(' / ')}: no Python with PyTorch and NumPy (Debian: apt-get install ${TORCH_PACKAGES.join(' ')})`,
  };
}

/**
 * findTorch, after installing Debian's PyTorch the way the test set-up installs its other system packages
 * (apt-get as root or with passwordless sudo) when no interpreter was chosen; the reason it cannot otherwise.
 */
async function findOrInstallTorch(): Promise<{ python: string } | { reason: string }> {
  const found = findTorch();
  if (!('reason' in found) || process.env.SENTIMENT_LENS_PYTHON) return found;
  try {
    const { ensureSystemPackages } = await import('../../scripts/vscodeHost/systemPackages.mjs');
    ensureSystemPackages(TORCH_PACKAGES);
  } catch (error) {
    return { reason: `${found.reason}; could not install it: ${(error as Error).message.split('\n')[0]}` };
  }
  return findTorch();
}

/** What tfjs itself writes as modelTopology for the network of `arch`. */
async function tfjsTopology(arch: Architecture): Promise<unknown> {
  await ensureBackend();
  const model = buildLayersModel(arch);
  try {
    let topology: unknown;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        topology = artifacts.modelTopology;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return topology;
  } finally {
    model.dispose();
  }
}

describe('scale-out: prepare, DistributedDataParallel training, loading the result', () => {
  let work: string;
  let prepared: string;

  before(function () {
    this.timeout(120000);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-scale-'));
    prepared = path.join(work, 'prepared');
    const run = cli(['prepare', '--file', reviews, '--out', prepared, '--shards', '2', ...PREPARE_FLAGS]);
    assert.equal(run.code, 0, run.stderr);
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('prepare writes the split, vocabulary and ids of train (prepareTrainingData) as .npy shards and a metadata template', () => {
    const options = resolveTrainingOptions({ validationSplit: 0.25, seed: 7 });
    const expected = prepareTrainingData(readLabelledFile(reviews).examples, options);
    const manifest = JSON.parse(fs.readFileSync(path.join(prepared, 'dataset.json'), 'utf8'));
    assert.deepEqual(manifest.labels, expected.labels);
    assert.equal(manifest.vocabSize, expected.vocabulary.size);
    for (const [split, ids, labels] of [
      ['train', expected.trainIds, expected.trainLabels],
      ['validation', expected.validationIds, expected.validationLabels],
    ] as const) {
      const shards = manifest.splits[split].shards as { name: string; examples: number }[];
      assert.equal(shards.length, 2);
      const read = shards.map((shard) => ({
        ids: readNpy(path.join(prepared, `${shard.name}.ids.npy`)),
        lengths: readNpy(path.join(prepared, `${shard.name}.lengths.npy`)),
        labels: readNpy(path.join(prepared, `${shard.name}.labels.npy`)),
      }));
      // Example k is in shard k mod 2, at position floor(k / 2).
      ids.forEach((sentence, k) => {
        const shard = read[k % 2];
        const position = Math.floor(k / 2);
        const offset = shard.lengths.subarray(0, position).reduce((a, b) => a + b, 0);
        assert.deepEqual(
          shard.ids.subarray(offset, offset + shard.lengths[position]),
          sentence,
          `${split} example ${k}`,
        );
        assert.equal(shard.labels[position], labels[k]);
      });
      assert.equal(
        read.reduce((sum, shard) => sum + shard.lengths.length, 0),
        ids.length,
      );
    }
    const metadata = JSON.parse(fs.readFileSync(path.join(prepared, 'metadata.json'), 'utf8'));
    assert.deepEqual(metadata.vocabulary, expected.vocabulary.tokens);
    assert.deepEqual(metadata.tokenizer, options.tokenizer);
    assert.equal(metadata.architecture.vocabSize, expected.vocabulary.size);
    assert.equal(metadata.architecture.units, null, 'left for the trainer');
    assert.equal(metadata.training.hyperparameters.seed, 7, 'the split seed, which eval --split validation reads');
  });

  it('encodeNpy pads the header to 64 bytes and stores little-endian int32; shardSplit deals examples round-robin', () => {
    const file = path.join(work, 'values.npy');
    fs.writeFileSync(file, encodeNpy(Int32Array.from([0, -1, 2 ** 31 - 1, 5])));
    assert.deepEqual(readNpy(file), Int32Array.from([0, -1, 2 ** 31 - 1, 5]));
    const parts = shardSplit(
      'train',
      [Int32Array.of(1), Int32Array.of(2, 3), Int32Array.of(), Int32Array.of(4)],
      Int32Array.of(0, 1, 0, 1),
      3,
    );
    assert.deepEqual(
      parts.map((p) => p.entry),
      [
        { name: 'train-00000-of-00003', examples: 2, tokens: 2 },
        { name: 'train-00001-of-00003', examples: 1, tokens: 2 },
        { name: 'train-00002-of-00003', examples: 1, tokens: 0 },
      ],
    );
    assert.deepEqual(parts[0].ids, Int32Array.of(1, 4));
    assert.deepEqual(parts[0].labels, Int32Array.of(0, 1));
  });

  it('prepare refuses to write into a folder that holds other files', () => {
    const other = path.join(work, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine');
    const run = cli(['prepare', '--file', reviews, '--out', other]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /not a prepared folder/);
    assert.equal(fs.readFileSync(path.join(other, 'notes.txt'), 'utf8'), 'mine');
  });

  it("prepare --vocabulary-from encodes with a model's vocabulary, labels, tokenizer and max length", async () => {
    const bundled = path.join(root, 'model', 'movie-reviews');
    const out = path.join(work, 'with-bundled-vocabulary');
    const run = cli(['prepare', '--file', reviews, '--out', out, '--vocabulary-from', bundled, ...PREPARE_FLAGS]);
    assert.equal(run.code, 0, run.stderr);
    const model = await loadModel(bundled);
    const metadata = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'));
    assert.deepEqual(metadata.vocabulary, model.metadata.vocabulary);
    assert.deepEqual(metadata.labels, model.metadata.labels);
    assert.equal(metadata.maxLength, model.metadata.maxLength);
    const refused = cli([
      'prepare',
      '--file',
      reviews,
      '--out',
      path.join(work, 'refused'),
      '--vocabulary-from',
      bundled,
      '--max-length',
      '10',
    ]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--vocabulary-from takes --max-length from the model/);
  });

  describe('torchrun --nproc_per_node 2 (gloo, CPU)', function () {
    this.timeout(600000);
    const configurations: [CellType, number][] = [
      ['gru', 1],
      ['gru', 2],
      ['lstm', 1],
      ['lstm', 2],
    ];
    const trained = new Map<string, { dir: string; probe: string; log: string }>();
    let python: string | undefined;

    before(async function () {
      const found = await findOrInstallTorch();
      if ('reason' in found) {
        console.log(`      skipped: ${found.reason}`);
        this.skip();
        return;
      }
      python = found.python;
      for (const [cell, layers] of configurations) {
        const key = `${cell}-${layers}`;
        const dir = path.join(work, `model-${key}`);
        const probe = path.join(work, `probe-${key}.json`);
        // --redirects/--tee 1: torch 1.13's torchrun cannot parse its default "0" under Python 3.11.
        const run: SpawnSyncReturns<string> = spawnSync(
          found.python,
          [
            '-m',
            'torch.distributed.run',
            '--redirects',
            '1',
            '--tee',
            '1',
            '--nproc_per_node',
            '2',
            '--master_port',
            String(29500 + Math.floor(Math.random() * 1000)),
            path.join(root, 'scale', 'train_ddp.py'),
            '--data',
            prepared,
            '--out',
            dir,
            '--cell',
            cell,
            '--layers',
            String(layers),
            '--units',
            '16',
            '--embedding-dim',
            '12',
            '--epochs',
            '2',
            '--batch-size',
            '8',
            '--learning-rate',
            '0.01',
            '--probe',
            probe,
            '--checkpoint-dir',
            path.join(work, `checkpoints-${key}`),
          ],
          { cwd: root, encoding: 'utf8', timeout: 300000, env: { ...process.env, OMP_NUM_THREADS: '1' } },
        );
        assert.equal(run.status, 0, `${key}: ${run.stderr}`);
        trained.set(key, { dir, probe, log: run.stderr });
      }
    });

    for (const [cell, layers] of configurations) {
      const key = `${cell}-${layers}`;

      it(`${key}: the engine loads the exported folder and gives PyTorch's per-step probabilities on the same ids (max abs diff <= 1e-4)`, async () => {
        const { dir, probe } = trained.get(key)!;
        const model = await loadModel(dir);
        assert.equal(model.arch.cell, cell);
        assert.equal(model.arch.layers, layers);
        assert.match(String(model.metadata.training.hyperparameters.trainer), /2 process\(es\), gloo/);
        const { sentences } = JSON.parse(fs.readFileSync(probe, 'utf8')) as {
          sentences: { ids: number[]; probabilities: number[][] }[];
        };
        assert.ok(sentences.length >= 10, `probe holds ${sentences.length} sentences`);
        const batch = padBatch(sentences.map((s) => Int32Array.from(s.ids)));
        const { stepProbabilities } = predict(model.arch, model.weights, batch);
        const C = model.arch.numClasses;
        let maxDiff = 0;
        sentences.forEach((sentence, b) => {
          sentence.probabilities.forEach((row, t) =>
            row.forEach((p, k) => {
              maxDiff = Math.max(maxDiff, Math.abs(p - stepProbabilities[(b * batch.timeSteps + t) * C + k]));
            }),
          );
        });
        assert.ok(maxDiff <= 1e-4, `max abs diff ${maxDiff}`);
        // The probabilities moved away from uniform: the comparison is not between two untrained networks' near-0.5 outputs.
        const spread = Math.max(...sentences.flatMap((s) => s.probabilities.flat().map((p) => Math.abs(p - 1 / C))));
        assert.ok(spread > 1e-3, `largest |p - 1/C| is ${spread}`);
        model.dispose();
      });

      it(`${key}: model.json holds the topology tfjs writes for this architecture, and float32 weights in the engine's order`, async () => {
        const { dir } = trained.get(key)!;
        const modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
        const metadata = JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8'));
        assert.deepEqual(modelJson.modelTopology, await tfjsTopology(metadata.architecture));
        assert.equal(modelJson.format, 'layers-model');
        const names = modelJson.weightsManifest[0].weights.map((w: { name: string }) => w.name);
        assert.deepEqual(names, [
          'embedding/embeddings',
          ...Array.from({ length: layers }, (_, l) => [
            `rnn_${l}/kernel`,
            `rnn_${l}/recurrent_kernel`,
            `rnn_${l}/bias`,
          ]).flat(),
          'softmax/kernel',
          'softmax/bias',
        ]);
      });
    }

    it("classify --model loads the folder and gives PyTorch's final probabilities for the validation texts", () => {
      const { dir, probe } = trained.get('gru-1')!;
      const expected = prepareTrainingData(
        readLabelledFile(reviews).examples,
        resolveTrainingOptions({ validationSplit: 0.25, seed: 7 }),
      );
      const { labels, sentences } = JSON.parse(fs.readFileSync(probe, 'utf8')) as {
        labels: string[];
        sentences: { ids: number[]; probabilities: number[][] }[];
      };
      // Find each probed sentence's text by its ids (the probe lists ids only).
      const texts = sentences.map((s) => {
        const k = expected.validationIds.findIndex(
          (ids) => ids.length === s.ids.length && ids.every((id, i) => id === s.ids[i]),
        );
        assert.ok(k >= 0, 'the probed ids are a validation sentence of the prepared data');
        return expected.validation[k].text;
      });
      const run = cli(['classify', '--model', dir, '--json', ...texts]);
      assert.equal(run.code, 0, run.stderr);
      const results = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.equal(results.length, texts.length);
      results.forEach((result, i) => {
        const last = sentences[i].probabilities[sentences[i].probabilities.length - 1];
        assert.equal(result.tokens.length, sentences[i].ids.length);
        labels.forEach((label, k) =>
          assert.ok(
            Math.abs(result.probabilities[label] - last[k]) <= 1e-4,
            `${texts[i]}: ${label} ${result.probabilities[label]} vs ${last[k]}`,
          ),
        );
      });
    });

    it('--init-model starts from an exported folder: with a learning rate of 1e-12 the result is the same model', async () => {
      const { dir } = trained.get('lstm-2')!;
      const finetuneData = path.join(work, 'prepared-finetune');
      assert.equal(
        cli([
          'prepare',
          '--file',
          reviews,
          '--out',
          finetuneData,
          '--vocabulary-from',
          dir,
          '--validation-split',
          '0.25',
          '--seed',
          '7',
        ]).code,
        0,
      );
      const out = path.join(work, 'finetuned');
      const probe = path.join(work, 'probe-finetuned.json');
      const run = spawnSync(
        python!,
        [
          path.join(root, 'scale', 'train_ddp.py'),
          '--data',
          finetuneData,
          '--out',
          out,
          '--init-model',
          dir,
          '--epochs',
          '1',
          '--learning-rate',
          '1e-12',
          '--weight-averaging',
          '0',
          '--threads',
          '1',
          '--probe',
          probe,
        ],
        { cwd: root, encoding: 'utf8', timeout: 300000 },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /starting from the weights of/);
      const before = await loadModel(dir);
      const after = await loadModel(out);
      assert.deepEqual(after.arch, before.arch);
      const { sentences } = JSON.parse(fs.readFileSync(probe, 'utf8')) as {
        sentences: { ids: number[]; probabilities: number[][] }[];
      };
      const batch = padBatch(sentences.map((s) => Int32Array.from(s.ids)));
      const engine = predict(before.arch, before.weights, batch).stepProbabilities;
      const C = before.arch.numClasses;
      let maxDiff = 0;
      sentences.forEach((sentence, b) =>
        sentence.probabilities.forEach((row, t) =>
          row.forEach((p, k) => {
            maxDiff = Math.max(maxDiff, Math.abs(p - engine[(b * batch.timeSteps + t) * C + k]));
          }),
        ),
      );
      assert.ok(maxDiff <= 1e-4, `max abs diff ${maxDiff}`);
    });

    it('--init-model refuses data prepared with another vocabulary', () => {
      const { dir } = trained.get('gru-1')!;
      const other = path.join(work, 'prepared-other-vocabulary');
      assert.equal(cli(['prepare', '--file', reviews, '--out', other, '--min-count', '1']).code, 0);
      const run = spawnSync(
        python!,
        [
          path.join(root, 'scale', 'train_ddp.py'),
          '--data',
          other,
          '--out',
          path.join(work, 'never'),
          '--init-model',
          dir,
          '--threads',
          '1',
        ],
        { cwd: root, encoding: 'utf8', timeout: 300000 },
      );
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /was not prepared with the vocabulary and labels of .*--vocabulary-from/s);
      assert.ok(!fs.existsSync(path.join(work, 'never')));
    });

    it('writes a checkpoint after every epoch and logs one line per epoch from rank 0 only', () => {
      const { log } = trained.get('lstm-2')!;
      assert.ok(fs.existsSync(path.join(work, 'checkpoints-lstm-2', 'last.pt')));
      assert.equal((log.match(/^epoch 1\/2 /gm) ?? []).length, 1, log);
      assert.equal((log.match(/^epoch 2\/2 /gm) ?? []).length, 1, log);
    });
  });
});
