import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../../src/core/model/tfBackend';
import { padBatch } from '../../src/core/model/batching';
import {
  Architecture,
  NetworkWeights,
  flattenWeights,
  unflattenWeights,
  weightShapes,
} from '../../src/core/model/architecture';
import {
  buildLayersModel,
  getNetworkWeights,
  predictWithLayers,
  setNetworkWeights,
} from '../../src/core/model/tfjsModel';

/** Deterministic weights in [-0.6, 0.6) (mulberry32), so tests do not depend on tfjs's initialisers. */
function seededWeights(arch: Architecture, seed: number): NetworkWeights {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const arrays = weightShapes(arch).map(({ shape }) =>
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (next() - 0.5) * 1.2),
  );
  return unflattenWeights(arch, arrays);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Plain-JS forward pass written from the formulas in architecture.ts: softmax at every step, [T][C]. */
function referenceForward(arch: Architecture, weights: NetworkWeights, ids: number[]): number[][] {
  const G = arch.cell === 'gru' ? 3 : arch.cell === 'lstm' ? 4 : 1;
  const U = arch.units;
  let inputs = ids.map((id) =>
    Array.from(weights.embedding.subarray(id * arch.embeddingDim, (id + 1) * arch.embeddingDim)),
  );
  weights.rnn.forEach(({ kernel, recurrentKernel, bias }) => {
    const inputDim = inputs[0].length;
    let h = new Array<number>(U).fill(0);
    let c = new Array<number>(U).fill(0);
    const outputs: number[][] = [];
    // x W + b for gate block g, unit j (bias optional) and h U for the same block.
    const xw = (x: number[], g: number, j: number) =>
      x.reduce((s, v, i) => s + v * kernel[i * G * U + g * U + j], bias[g * U + j]);
    const hu = (hv: number[], g: number, j: number) =>
      hv.reduce((s, v, i) => s + v * recurrentKernel[i * G * U + g * U + j], 0);
    for (const x of inputs) {
      assert.equal(x.length, inputDim);
      if (arch.cell === 'gru') {
        const z = h.map((_, j) => sigmoid(xw(x, 0, j) + hu(h, 0, j)));
        const r = h.map((_, j) => sigmoid(xw(x, 1, j) + hu(h, 1, j)));
        const rh = h.map((v, j) => r[j] * v);
        const hh = h.map((_, j) => Math.tanh(xw(x, 2, j) + hu(rh, 2, j)));
        h = h.map((v, j) => z[j] * v + (1 - z[j]) * hh[j]);
      } else if (arch.cell === 'lstm') {
        const gate = (g: number, f: (v: number) => number) => h.map((_, j) => f(xw(x, g, j) + hu(h, g, j)));
        const [i, f, cc, o] = [gate(0, sigmoid), gate(1, sigmoid), gate(2, Math.tanh), gate(3, sigmoid)];
        c = c.map((v, j) => f[j] * v + i[j] * cc[j]);
        h = c.map((v, j) => o[j] * Math.tanh(v));
      } else {
        h = h.map((_, j) => Math.tanh(xw(x, 0, j) + hu(h, 0, j)));
      }
      outputs.push(h);
    }
    inputs = outputs;
  });
  return inputs.map((hv) => {
    const logits = Array.from({ length: arch.numClasses }, (_, k) =>
      hv.reduce((s, v, j) => s + v * weights.dense.kernel[j * arch.numClasses + k], weights.dense.bias[k]),
    );
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  });
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const arch = (cell: Architecture['cell'], layers: number): Architecture => ({
  cell,
  vocabSize: 12,
  embeddingDim: 5,
  units: 6,
  layers,
  numClasses: 3,
  dropout: 0.3,
});

describe('tfjsModel', () => {
  before(async () => {
    await ensureBackend();
  });

  it('builds the layers with stable names and weights in weightShapes() order', () => {
    const a = arch('lstm', 2);
    const model = buildLayersModel(a);
    try {
      assert.deepEqual(
        model.layers.map((layer) => layer.name),
        ['token_ids', 'embedding', 'rnn_0', 'dropout_0', 'rnn_1', 'dropout_1', 'softmax'],
      );
      assert.deepEqual(
        model.weights.map((w) => w.shape),
        weightShapes(a).map((w) => w.shape),
      );
      assert.deepEqual(model.inputs[0].shape, [null, null]);
      assert.equal(model.inputs[0].dtype, 'int32');
      assert.deepEqual(model.outputs[0].shape, [null, null, 3]);
    } finally {
      model.dispose();
    }
  });

  for (const cell of ['gru', 'lstm', 'simple'] as const) {
    it(`matches the ${cell} formulas of architecture.ts (2 layers, every step)`, () => {
      const a = arch(cell, 2);
      const weights = seededWeights(a, 7);
      const model = buildLayersModel(a);
      try {
        setNetworkWeights(model, weights);
        const ids = [3, 7, 1, 11, 2];
        const { stepProbabilities } = predictWithLayers(model, padBatch([Int32Array.from(ids)]));
        assertClose(stepProbabilities, referenceForward(a, weights, ids).flat(), 1e-5, `${cell} step probabilities`);
      } finally {
        model.dispose();
      }
    });
  }

  it('setNetworkWeights / getNetworkWeights round-trip by copy', () => {
    const a = arch('gru', 2);
    const weights = seededWeights(a, 3);
    const model = buildLayersModel(a);
    try {
      setNetworkWeights(model, weights);
      const expected = flattenWeights(weights).map((w) => Float32Array.from(w));
      weights.embedding[0] = 42; // changing the input afterwards must not reach the model
      const read = getNetworkWeights(model, a);
      assert.deepEqual(flattenWeights(read), expected);
      read.dense.bias[0] = 42; // nor changing what was read
      assert.deepEqual(flattenWeights(getNetworkWeights(model, a)), expected);
    } finally {
      model.dispose();
    }
  });

  for (const cell of ['gru', 'lstm'] as const) {
    it(`padding with extra zeros changes neither the final prediction nor the trajectory (${cell}, 2 layers)`, () => {
      const a = arch(cell, 2);
      const model = buildLayersModel(a);
      try {
        setNetworkWeights(model, seededWeights(a, 11));
        const sentence = Int32Array.from([4, 9, 2, 6]);
        const alone = predictWithLayers(model, padBatch([sentence]));
        // The same sentence beside a longer one, so it gets 6 padding steps.
        const padded = predictWithLayers(model, padBatch([Int32Array.from([5, 5, 3, 8, 10, 1, 7, 2, 9, 4]), sentence]));
        const C = a.numClasses;
        const T = 10;
        assertClose(padded.finalProbabilities.subarray(C, 2 * C), alone.finalProbabilities, 1e-6, 'final');
        assertClose(
          padded.stepProbabilities.subarray(T * C, T * C + 4 * C),
          alone.stepProbabilities,
          1e-6,
          'trajectory',
        );
        assert.ok(
          padded.stepProbabilities.subarray(T * C + 4 * C, 2 * T * C).every((v) => v === 0),
          'padding steps are zeroed',
        );
        assertClose(
          alone.finalProbabilities,
          alone.stepProbabilities.subarray(3 * C, 4 * C),
          0,
          'final = step length-1',
        );
      } finally {
        model.dispose();
      }
    });
  }

  it('gives an empty sentence all-zero probabilities', () => {
    const a = arch('gru', 1);
    const model = buildLayersModel(a);
    try {
      const result = predictWithLayers(model, padBatch([Int32Array.from([3, 4]), new Int32Array(0)]));
      assert.ok(result.finalProbabilities.subarray(3).every((v) => v === 0));
      assert.ok(result.stepProbabilities.subarray(6).every((v) => v === 0));
      assert.ok(Math.abs(result.finalProbabilities.subarray(0, 3).reduce((s, v) => s + v, 0) - 1) < 1e-5);
    } finally {
      model.dispose();
    }
  });

  it('leaks no tensors across repeated predictions', () => {
    const a = arch('lstm', 2);
    const model = buildLayersModel(a);
    try {
      const batch = padBatch([Int32Array.from([2, 3, 4]), Int32Array.from([5])]);
      predictWithLayers(model, batch);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) predictWithLayers(model, batch);
      assert.equal(tf.memory().numTensors, before);
    } finally {
      model.dispose();
    }
  });
});
