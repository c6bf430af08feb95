/**
 * Forward pass, loss and backpropagation through time of the network described in
 * ../model/architecture.ts, over a packed batch (see packing.ts) in a WebAssembly workspace.
 * Matrix products run in the SIMD gemm kernel; each layer's cell (cells/: GRU, LSTM, simple RNN)
 * does its gate arithmetic step by step, while this file owns the loop over time steps.
 *
 * Internal layout: every matrix's width is padded to a multiple of 8 (Hp = roundUp8(units),
 * Dp = roundUp8(inputDim)); gate block g of a [*, G * units] Keras matrix lives at columns
 * g * Hp .. g * Hp + units - 1. Padding entries of weight matrices are zero.
 */
import { LexiconRole, type Batch } from '../model/batching';
import { gatesPerCell, type Architecture, type NetworkWeights, type RecurrentWeights } from '../model/architecture';
import {
  createCell,
  type CellScratch,
  type LayerGradientMatrices,
  type LayerMatrices,
  type RecurrentCell,
} from './cells';
import { roundUp8, Workspace, type Matrix } from './kernels';
import { packBatch, type Packing } from './packing';
import { quantizationLimit, quantizeColumns, type ColumnQuantized, type QuantizedRecurrence } from './quantized';
import { mixSeed, Random, randomState } from './random';

/**
 * Which dropout masks a training pass draws. Each sentence's mask of layer l comes from its own
 * stream, seeded by (seed, step, l, sentence index in the whole batch), so the masks do not depend
 * on how a batch is split across threads, nor on the order of its rows.
 */
export interface DropoutKey {
  readonly seed: number;
  /** Training step (the trainer's Adam step count before the update). */
  readonly step: number;
  /**
   * Index in the whole batch of each row of the batch being computed [batchSize], when that batch
   * is part of a larger one; default: the row index itself.
   */
  readonly sentences?: Int32Array;
}

/**
 * Loss positions of a training batch: its sentences (final-token loss), or its labelled real
 * steps (label >= 0 at t < length) when batch.stepLabels is set.
 */
export function countLossPositions(batch: Batch): number {
  if (!batch.stepLabels) return batch.batchSize;
  const T = batch.timeSteps;
  let count = 0;
  for (let b = 0; b < batch.batchSize; b++) {
    const len = Math.max(0, Math.min(T, batch.lengths[b] | 0));
    for (let t = 0; t < len; t++) if (batch.stepLabels[b * T + t] >= 0) count++;
  }
  return count;
}

/** Gradient of the embedding for the rows a batch touched (each row once). */
export interface SparseEmbeddingGradient {
  /** Embedding row ids, ascending order not guaranteed. [U] */
  rows: Int32Array;
  /** Gradient rows, [U, embeddingDim] row-major. */
  values: Float32Array;
}

/** Gradients of every weight, Keras layout; the embedding's is sparse (null if not computed). */
export interface EngineGradients {
  embedding: SparseEmbeddingGradient | null;
  rnn: RecurrentWeights[];
  dense: { kernel: Float32Array; bias: Float32Array };
}

/** What a training-mode pass returns. */
export interface LossAndGradients {
  /** Mean softmax cross-entropy over the loss positions (0 when there are none). */
  loss: number;
  /** Loss positions whose argmax equals the label. */
  correct: number;
  /** Loss positions: sentences (final-token loss) or labelled real steps (per-step loss). */
  count: number;
  gradients: EngineGradients;
}

/** Inference outputs. */
export interface Probabilities {
  /** [B, T, C]; zero at steps >= length. */
  stepProbabilities: Float32Array;
  /** [B, C]: softmax at step length-1 (the dense bias alone for length 0). */
  finalProbabilities: Float32Array;
}

/** One recurrent layer in the workspace (N = packed rows). */
interface LayerState extends LayerMatrices {
  readonly inputDim: number;
  /** Input [N, Dp] (embeddings, or the previous layer's output after dropout). */
  readonly x: Matrix;
  readonly w: Matrix; // [Dp, G*Hp]
  readonly bias: Float32Array; // [G*Hp]
  /** The layer's cell, owning the buffers only its type needs. */
  readonly cell: RecurrentCell;
  /** Dropout mask [N, Hp]; null without dropout. */
  readonly mask: Matrix | null;
  /** Output after dropout (== h when no dropout). */
  readonly y: Matrix;
  /** The backward pass's matrices; null for inference. */
  readonly backward: BackwardMatrices | null;
}

/** One layer's matrices of the backward pass. */
interface BackwardMatrices extends LayerGradientMatrices {
  readonly wT: Matrix; // [G*Hp, Dp]
  readonly dX: Matrix; // [N, Dp]
  readonly dW: Matrix; // [Dp, G*Hp]
  /** The bias gradient's column sums in float64 [G*Hp] (2 f32 elements each). */
  readonly biasSums: Matrix;
}

/** The workspace layout of one pass. */
interface Pass {
  readonly layers: LayerState[];
  /** Per-row carries of dh through time and their next values, [B, Hp] each. */
  readonly carryH: Matrix;
  readonly nextH: Matrix;
  /** Step scratch of the cells' backward steps. */
  readonly cellScratch: CellScratch;
  /** Gradient w.r.t. the top layer's output (after dropout) [N, Hp]; null for inference. */
  readonly dYTop: Matrix | null;
}

/**
 * The first layer's input projection (embedding row x W + b, [G * Hp] per token id) of the token
 * ids seen so far, filled in lazily by {@link NetworkEngine.predict}: a token's pre-activations
 * then cost one row copy instead of a product with W. Rows come from the same gemm as the
 * uncached path, so results are bit-identical. Valid only while the weights do not change.
 */
export class InputProjectionCache {
  /** slotOfId[id] = row of the table holding id's projection, -1 if not computed yet. */
  readonly slotOfId: Int32Array;
  /** Rows of the table in use. */
  rows = 0;
  /**
   * The engine whose workspace holds the table ([rows, G * Hp] at its start, where the kernels
   * read it in place); another engine starts the cache afresh.
   */
  holder: NetworkEngine | null = null;

  constructor(vocabSize: number) {
    this.slotOfId = new Int32Array(vocabSize).fill(-1);
  }

  /** Forgets every row (the table's holder no longer keeps them). */
  clear(): void {
    this.slotOfId.fill(-1);
    this.rows = 0;
    this.holder = null;
  }
}

/**
 * The engine's computation, owning one WebAssembly workspace (reused across calls). Not for
 * concurrent use; create one per thread / trainer / predictor.
 */
export class NetworkEngine {
  private readonly ws: Workspace;
  private slotOfRow: Int32Array = new Int32Array(0);
  /** The projection cache whose table lies at the start of the workspace, if any. */
  private projectionHeld: InputProjectionCache | null = null;
  /** Four mulberry32 states for the keep_mask kernel (laid out by every forward pass). */
  private maskStates: Matrix = { offset: 0, rows: 0, cols: 0, ld: 0 };
  /** Whether inference runs the recurrent products on integer kernels. */
  readonly integerKernels: boolean;
  /** Each recurrent kernel quantized for the integer products, computed once per weights array. */
  private readonly quantizedKernels = new WeakMap<Float32Array, ColumnQuantized>();

  /**
   * @param options.relaxedSimd relaxed-SIMD gemm where the runtime has it (inference only; see Workspace).
   * @param options.integerKernels inference computes the recurrent products with int16 operands
   *   and exact int32 sums (quantized.ts) instead of float gemm; training passes never do. The
   *   weights must then not change while this engine is in use (their quantized copy is kept).
   */
  constructor(options: { relaxedSimd?: boolean; integerKernels?: boolean } = {}) {
    this.ws = new Workspace(options);
    this.integerKernels = options.integerKernels === true;
  }

  /**
   * Inference (no dropout). The dense layer and softmax of every real step run in WebAssembly:
   * one gemm of all packed top-layer rows [N, Hp] x the padded dense kernel [Hp, Cp], then
   * softmax_rows over the N rows of logits, scattered into [B, T, C].
   */
  predict(arch: Architecture, weights: NetworkWeights, batch: Batch, projection?: InputProjectionCache): Probabilities {
    const packing = packBatch(batch);
    const { layers } = this.forward(arch, weights, batch, packing, false, undefined, projection);
    const { batchSize: B, timeSteps: T } = batch;
    const C = arch.numClasses;
    const H = arch.units;
    const N = packing.tokens;
    const stepProbabilities = new Float32Array(B * T * C);
    const finalProbabilities = new Float32Array(B * C);
    const top = layers[layers.length - 1];
    const ws = this.ws;
    const Cp = roundUp8(C);
    const denseKernel = ws.alloc(H, Cp);
    const denseBias = ws.alloc(1, Cp);
    const logits = ws.alloc(N, Cp);
    ws.commit();
    const data = ws.data;
    const { kernel, bias } = weights.dense;
    data.fill(0, denseKernel.offset, denseBias.offset + Cp);
    for (let j = 0; j < H; j++) for (let k = 0; k < C; k++) data[denseKernel.offset + j * Cp + k] = kernel[j * C + k];
    for (let k = 0; k < C; k++) data[denseBias.offset + k] = bias[k];
    if (N > 0) {
      ws.gemm(N, Cp, H, top.y.offset, top.y.ld, false, denseKernel.offset, Cp, logits.offset, Cp, false);
      ws.kernels.softmax_rows(N, C, Cp, logits.offset * 4, denseBias.offset * 4);
    }
    const { order, sortedLengths, offsets } = packing;
    for (let p = 0; p < B; p++) {
      const b = order[p];
      const len = sortedLengths[p];
      for (let t = 0; t < len; t++) {
        const from = logits.offset + (offsets[t] + p) * Cp;
        const to = (b * T + t) * C;
        for (let k = 0; k < C; k++) stepProbabilities[to + k] = data[from + k];
      }
      if (len > 0) {
        const from = (b * T + len - 1) * C;
        for (let k = 0; k < C; k++) finalProbabilities[b * C + k] = stepProbabilities[from + k];
      } else {
        const biasLogits = Float64Array.from(bias);
        softmaxInto(biasLogits, finalProbabilities, b * C);
      }
    }
    return { stepProbabilities, finalProbabilities };
  }

  /**
   * Loss and gradients of one batch. Final-token loss uses batch.labels; if batch.stepLabels is
   * given, the per-step masked loss is used instead. Dropout is applied when `dropout` is
   * given and arch.dropout > 0. The embedding gradient is skipped when `embeddingGradient` is false.
   * The loss and gradients are divided by `lossCount` (default: this batch's loss positions); a
   * part of a larger batch passes the whole batch's count, so that the parts' losses and
   * gradients add up to the whole batch's mean.
   */
  lossAndGradients(
    arch: Architecture,
    weights: NetworkWeights,
    batch: Batch,
    dropout: DropoutKey | undefined,
    embeddingGradient = true,
    lossCount?: number,
  ): LossAndGradients {
    if (!batch.labels && !batch.stepLabels) throw new Error('training batch needs labels or stepLabels');
    const packing = packBatch(batch);
    const pass = this.forward(arch, weights, batch, packing, true, dropout);
    const { layers, dYTop } = pass;
    if (!dYTop) throw new Error('a training pass lays out dYTop');
    const data = this.ws.data;
    const { batchSize: B, timeSteps: T } = batch;
    const C = arch.numClasses;
    const H = arch.units;
    const top = layers[layers.length - 1];
    const Hp = top.y.ld;
    // Gradient w.r.t. the top layer's output (after dropout); only loss rows get non-zeros.
    data.fill(0, dYTop.offset, dYTop.offset + dYTop.rows * dYTop.ld);

    const kernel = weights.dense.kernel;
    const denseKernelGrad = new Float32Array(kernel.length);
    const denseBiasGrad = new Float32Array(C);
    const logits = new Float64Array(C);
    const probs = new Float64Array(C);

    // Collect loss positions: (packed row or -1 for the zero state, label).
    const positionRows: number[] = [];
    const positionLabels: number[] = [];
    const positionSentences: number[] = [];
    // Where each position's target distribution starts in the soft targets, if the batch has any.
    const positionTargets: number[] = [];
    if (batch.stepLabels) {
      for (let p = 0; p < B; p++) {
        const b = packing.order[p];
        for (let t = 0; t < packing.sortedLengths[p]; t++) {
          const label = batch.stepLabels[b * T + t];
          if (label >= 0) {
            positionRows.push(packing.offsets[t] + p);
            positionLabels.push(label);
            positionSentences.push(b);
            positionTargets.push((b * T + t) * C);
          }
        }
      }
    } else {
      for (let p = 0; p < B; p++) {
        const len = packing.sortedLengths[p];
        positionRows.push(len > 0 ? packing.offsets[len - 1] + p : -1);
        positionLabels.push(batch.labels![packing.order[p]]);
        positionSentences.push(packing.order[p]);
      }
    }
    const stepSoft = batch.stepSoftTargets;
    if (stepSoft) {
      if (!batch.stepLabels) throw new Error('stepSoftTargets need stepLabels');
      if (batch.softTargets) throw new Error('a batch has softTargets or stepSoftTargets, not both');
      if (stepSoft.length !== B * T * C)
        throw new Error(`stepSoftTargets has ${stepSoft.length} values, expected ${B * T * C}`);
    }
    const soft = stepSoft ?? batch.softTargets;
    if (soft && !stepSoft && soft.length !== B * C)
      throw new Error(`softTargets has ${soft.length} values, expected ${B * C}`);
    const count = positionRows.length;
    const normalizer = lossCount ?? count;
    // With lexicon terms, each packed row's logits as the loss computes them, for the terms' scores.
    const rowLogits = batch.lexicon ? new Float64Array(packing.tokens * C) : undefined;
    const rowLogitsKnown = batch.lexicon ? new Uint8Array(packing.tokens) : undefined;
    let lossSum = 0;
    let correct = 0;
    for (let q = 0; q < count; q++) {
      const packedRow = positionRows[q];
      const label = positionLabels[q];
      if (label < 0 || label >= C) throw new Error(`label ${label} out of range [0, ${C})`);
      const yRow = packedRow >= 0 ? top.y.offset + packedRow * Hp : -1;
      if (yRow >= 0) {
        denseLogits(data, yRow, H, kernel, weights.dense.bias, C, logits);
        if (rowLogits) {
          rowLogits.set(logits, packedRow * C);
          rowLogitsKnown![packedRow] = 1;
        }
      } else for (let k = 0; k < C; k++) logits[k] = weights.dense.bias[k];
      let max = -Infinity;
      let argmax = 0;
      for (let k = 0; k < C; k++)
        if (logits[k] > max) {
          max = logits[k];
          argmax = k;
        }
      let sum = 0;
      for (let k = 0; k < C; k++) {
        probs[k] = Math.exp(logits[k] - max);
        sum += probs[k];
      }
      if (argmax === label) correct++;
      if (soft) {
        const at = stepSoft ? positionTargets[q] : positionSentences[q] * C;
        for (let k = 0; k < C; k++) {
          const target = soft[at + k];
          if (target > 0) lossSum += target * (Math.log(sum) + max - logits[k]);
          probs[k] = (probs[k] / sum - target) / normalizer;
        }
      } else {
        lossSum += Math.log(sum) + max - logits[label];
        for (let k = 0; k < C; k++) probs[k] = (probs[k] / sum - (k === label ? 1 : 0)) / normalizer;
      }
      for (let k = 0; k < C; k++) denseBiasGrad[k] += probs[k];
      if (yRow >= 0 && C === 2) {
        // The loop below for two classes: the same float32 and float64 roundings in the same order.
        const dRow = dYTop.offset + packedRow * Hp;
        const p0 = probs[0];
        const p1 = probs[1];
        for (let j = 0; j < H; j++) {
          const yj = data[yRow + j];
          denseKernelGrad[2 * j] += yj * p0;
          denseKernelGrad[2 * j + 1] += yj * p1;
          data[dRow + j] += 0 + kernel[2 * j] * p0 + kernel[2 * j + 1] * p1;
        }
      } else if (yRow >= 0) {
        const dRow = dYTop.offset + packedRow * Hp;
        for (let j = 0; j < H; j++) {
          const yj = data[yRow + j];
          let acc = 0;
          for (let k = 0; k < C; k++) {
            denseKernelGrad[j * C + k] += yj * probs[k];
            acc += kernel[j * C + k] * probs[k];
          }
          data[dRow + j] += acc;
        }
      }
    }

    if (batch.lexicon) {
      lossSum += this.addLexiconTerms(
        batch,
        packing,
        top.y,
        weights,
        dYTop,
        denseKernelGrad,
        denseBiasGrad,
        normalizer,
        H,
        C,
        { logits: rowLogits!, known: rowLogitsKnown! },
      );
    }

    const rnnGrads: RecurrentWeights[] = new Array(arch.layers);
    let dOut = dYTop; // gradient w.r.t. the current layer's output after dropout
    let dX0: Matrix | undefined;
    for (let l = arch.layers - 1; l >= 0; l--) {
      const layer = layers[l];
      const grads = layer.backward;
      if (!grads) throw new Error("a training pass lays out every layer's gradients");
      const needInputGrad = l > 0 || embeddingGradient;
      if (layer.mask) {
        const m = layer.mask.offset;
        const d = dOut.offset;
        this.ws.kernels.mul(packing.tokens * Hp, d * 4, d * 4, m * 4);
      }
      this.backwardLayer(H, layer, grads, pass, dOut, packing, needInputGrad);
      rnnGrads[l] = this.readLayerGradients(arch, layer, grads, packing.tokens);
      if (needInputGrad) dOut = grads.dX;
      if (l === 0) dX0 = grads.dX;
    }

    let embeddingGrad: SparseEmbeddingGradient | null = null;
    if (embeddingGradient && dX0) embeddingGrad = this.scatterEmbeddingGradient(arch, batch, packing, dX0);

    return {
      loss: count > 0 ? lossSum / normalizer : 0,
      correct,
      count,
      gradients: { embedding: embeddingGrad, rnn: rnnGrads, dense: { kernel: denseKernelGrad, bias: denseBiasGrad } },
    };
  }

  /**
   * The lexicon terms of the loss (batch.lexicon; see LexiconTargets): for each sentence, the score
   * s_t = logit[positive] - logit[negative] after every real step (s before the first step: the dense
   * bias), the hinge terms of its tokens' roles, and their gradients added into the dense layer's
   * gradients and into dYTop. Returns the terms' weighted sum (to be divided by `normalizer` like the
   * cross-entropy's); the gradients are already divided. `computed`: the logits the cross-entropy
   * already computed, per packed row (where `known` is set), used instead of computing them again.
   */
  private addLexiconTerms(
    batch: Batch,
    packing: Packing,
    y: Matrix,
    weights: NetworkWeights,
    dYTop: Matrix,
    kernelGrad: Float32Array,
    biasGrad: Float32Array,
    normalizer: number,
    H: number,
    C: number,
    computed: { readonly logits: Float64Array; readonly known: Uint8Array },
  ): number {
    const lexicon = batch.lexicon!;
    const { roles, moves, positiveClass: P, negativeClass: N } = lexicon;
    const data = this.ws.data;
    const T = batch.timeSteps;
    const Hp = y.ld;
    const kernel = weights.dense.kernel;
    const bias = weights.dense.bias;
    const logits = new Float64Array(C);
    const scores = new Float64Array(T);
    const grads = new Float64Array(T + 1); // grads[0]: the score before the first step; grads[t + 1]: step t
    const scale = lexicon.weight / normalizer;
    const initial = bias[P] - bias[N];
    let total = 0;
    for (let p = 0; p < batch.batchSize; p++) {
      const b = packing.order[p];
      const len = packing.sortedLengths[p];
      let any = false;
      for (let t = 0; t < len && !any; t++) any = roles[b * T + t] !== LexiconRole.None;
      if (!any) continue;
      for (let t = 0; t < len; t++) {
        const packedRow = packing.offsets[t] + p;
        if (computed.known[packedRow]) {
          scores[t] = computed.logits[packedRow * C + P] - computed.logits[packedRow * C + N];
          continue;
        }
        denseLogits(data, y.offset + packedRow * Hp, H, kernel, bias, C, logits);
        scores[t] = logits[P] - logits[N];
      }
      grads.fill(0, 0, len + 1);
      for (let t = 0; t < len; t++) {
        const role = roles[b * T + t];
        if (role === LexiconRole.None) continue;
        const delta = scores[t] - (t > 0 ? scores[t - 1] : initial);
        if (role === LexiconRole.Neutral) {
          const excess = Math.abs(delta) - lexicon.neutralMargin;
          if (excess > 0) {
            total += excess;
            grads[t + 1] += Math.sign(delta);
            grads[t] -= Math.sign(delta);
          }
        } else if (role === LexiconRole.Rated) {
          const move = moves[b * T + t];
          const shortfall = Math.abs(move) - Math.sign(move) * delta;
          if (shortfall > 0 && move !== 0) {
            total += shortfall;
            grads[t + 1] -= Math.sign(move);
            grads[t] += Math.sign(move);
          }
        } else if (role === LexiconRole.Contrast) {
          const excess = Math.abs(scores[t]) - lexicon.contrastMargin;
          if (excess > 0) {
            total += excess;
            grads[t + 1] += Math.sign(scores[t]);
          }
        }
      }
      if (grads[0] !== 0) {
        biasGrad[P] += grads[0] * scale;
        biasGrad[N] -= grads[0] * scale;
      }
      for (let t = 0; t < len; t++) {
        const g = grads[t + 1] * scale;
        if (g === 0) continue;
        biasGrad[P] += g;
        biasGrad[N] -= g;
        const packedRow = packing.offsets[t] + p;
        const yRow = y.offset + packedRow * Hp;
        const dRow = dYTop.offset + packedRow * Hp;
        for (let j = 0; j < H; j++) {
          const yj = data[yRow + j];
          kernelGrad[j * C + P] += yj * g;
          kernelGrad[j * C + N] -= yj * g;
          data[dRow + j] += (kernel[j * C + P] - kernel[j * C + N]) * g;
        }
      }
    }
    return total * lexicon.weight;
  }

  /** Lays out the workspace, copies weights in, and runs every layer forward. */
  private forward(
    arch: Architecture,
    weights: NetworkWeights,
    batch: Batch,
    packing: Packing,
    training: boolean,
    dropout: DropoutKey | undefined,
    projection?: InputProjectionCache,
  ): Pass {
    const ws = this.ws;
    const { units: H, embeddingDim: E } = arch;
    const G = gatesPerCell(arch.cell);
    const Hp = roundUp8(H);
    const GH = G * Hp;
    const N = Math.max(packing.tokens, 1);
    const B = Math.max(batch.batchSize, 1);
    const useDropout = training && dropout !== undefined && arch.dropout > 0;
    for (let t = 0; t < packing.steps; t++) {
      for (let p = 0; p < packing.active[t]; p++) {
        const id = batch.ids[packing.order[p] * batch.timeSteps + t];
        if (id < 0 || id >= arch.vocabSize) throw new Error(`token id ${id} out of range [0, ${arch.vocabSize})`);
      }
    }
    ws.reset();
    // A projection cache's table comes first, so that it stays in place from call to call.
    if (this.projectionHeld && this.projectionHeld !== projection) this.projectionHeld.holder = null;
    this.projectionHeld = null;
    let fresh: number[] = [];
    let table: Matrix | null = null;
    if (projection) {
      // The cache counts as held only once its new rows are in the table (below).
      if (projection.holder !== this) projection.clear();
      projection.holder = null;
      fresh = missingProjections(batch, packing, projection);
      table = ws.alloc(projection.rows + fresh.length, GH, GH);
    }
    const layers: LayerState[] = [];
    let x = ws.alloc(N, E);
    for (let l = 0; l < arch.layers; l++) {
      const inputDim = l === 0 ? E : H;
      const Dp = roundUp8(inputDim);
      // The allocation order fixes the workspace layout.
      const h = ws.alloc(N, H);
      const mask = useDropout ? ws.alloc(N, H) : null;
      const w = ws.alloc(Dp, GH, GH);
      const u = ws.alloc(Hp, GH, GH);
      const gates = ws.alloc(N, GH, GH);
      const hp = ws.alloc(N, H);
      const cell = createCell(arch.cell, ws, H, N);
      const y = mask ? ws.alloc(N, H) : h;
      const quantized: QuantizedRecurrence | null =
        !training && this.integerKernels
          ? {
              kernel: ws.alloc(Hp / 2, GH, GH),
              kernelScales: ws.alloc(1, GH),
              input: ws.alloc(B, Hp / 2, Hp / 2),
              inputScales: ws.alloc(1, B),
              depth: Hp,
              qmax: quantizationLimit(Hp),
            }
          : null;
      const backward: BackwardMatrices | null = training
        ? {
            wT: ws.alloc(GH, Dp, Dp),
            uT: ws.alloc(GH, Hp, Hp),
            dGates: ws.alloc(N, GH, GH),
            dX: ws.alloc(N, inputDim),
            dW: ws.alloc(Dp, GH, GH),
            dU: ws.alloc(Hp, GH, GH),
            biasSums: ws.alloc(1, 2 * GH),
          }
        : null;
      const layer: LayerState = {
        inputDim,
        x,
        w,
        u,
        quantized,
        bias: new Float32Array(GH),
        gates,
        h,
        hp,
        cell,
        mask,
        y,
        backward,
      };
      layers.push(layer);
      x = layer.y;
    }
    // Step scratch: carries of dh and their next values, and the cells' own (dc carries, r*h gradient).
    const carryH = ws.alloc(B, H);
    const nextH = ws.alloc(B, H);
    const cellScratch: CellScratch = [ws.alloc(B, H), ws.alloc(B, H), ws.alloc(B, H)];
    const dYTop = training ? ws.alloc(N, H) : null;
    this.maskStates = ws.alloc(1, 4);
    // Byte address of each packed row's projection in the table (i32).
    const projectionRows = table ? ws.alloc(1, N) : null;
    ws.commit();
    const data = ws.data;
    const tableEnd = table ? table.offset + table.rows * table.ld : 0;
    // Padding must hold zeros, not what earlier calls left in memory. When the units are not a
    // multiple of 8, the gate kernels work on padded columns of most buffers: zero all of them.
    // When only the embedding size is not (e.g. 100), only layer 0's input carries padding: the
    // columns E..Dp of x and the rows E..Dp of the input kernel (and so of its transpose).
    if (Hp !== H) data.fill(0, tableEnd, ws.allocated);
    else if (roundUp8(E) !== E) zeroInputPadding(data, layers[0], projection ? 0 : undefined);
    layers.forEach((layer, l) => {
      if (layer.quantized) this.loadQuantizedKernel(arch, layer.quantized, weights.rnn[l].recurrentKernel);
    });

    // Embedding gather into packed rows.
    const x0 = layers[0].x;
    let projected: ProjectedInput | undefined;
    if (projection && table && projectionRows) {
      this.loadLayerWeights(arch, layers[0], weights.rnn[0]);
      this.projectFromCache(arch, weights, batch, packing, layers[0], projection, fresh, table, projectionRows);
      projected = { table, rows: projectionRows };
      projection.holder = this;
      this.projectionHeld = projection;
    } else {
      for (let t = 0; t < packing.steps; t++) {
        for (let p = 0; p < packing.active[t]; p++) {
          const id = batch.ids[packing.order[p] * batch.timeSteps + t];
          const dst = x0.offset + (packing.offsets[t] + p) * x0.ld;
          data.set(weights.embedding.subarray(id * E, id * E + E), dst);
        }
      }
    }

    for (let l = 0; l < arch.layers; l++) {
      const layer = layers[l];
      const input = l === 0 ? projected : undefined;
      if (!input) this.loadLayerWeights(arch, layer, weights.rnn[l]);
      this.forwardLayer(H, G, layer, packing, input);
      if (layer.mask) {
        const keep = 1 - arch.dropout;
        const scale = 1 / keep;
        const m = layer.mask.offset;
        const n = packing.tokens * Hp;
        data.fill(0, m, m + n); // padding columns
        this.drawMasks(batch, packing, dropout!, l, layer.mask, H, keep, scale);
        ws.kernels.mul(n, layer.y.offset * 4, layer.h.offset * 4, m * 4);
      }
    }
    return { layers, carryH, nextH, cellScratch, dYTop };
  }

  /**
   * Fills layer l's dropout mask [N, Hp] (real columns; padding is zero): each sentence's rows from
   * its own Random(mixSeed(seed, step, l, sentence)), H values per step in order, `scale` where
   * next() < keep. Four sentences at a time (consecutive packed rows) in the keep_mask kernel, the
   * same draws as Random.fillKeepMask.
   */
  private drawMasks(
    batch: Batch,
    packing: Packing,
    dropout: DropoutKey,
    l: number,
    mask: Matrix,
    H: number,
    keep: number,
    scale: number,
  ): void {
    const Hp = mask.ld;
    const threshold = Math.ceil(keep * 4294967296); // next() < keep exactly when the uint32 draw is below this
    const B = batch.batchSize;
    const streamOf = (p: number) => {
      const row = packing.order[p];
      return mixSeed(dropout.seed, dropout.step, l, dropout.sentences ? dropout.sentences[row] : row);
    };
    if (threshold > 0xffffffff) {
      for (let p = 0; p < B; p++) {
        const rng = new Random(streamOf(p));
        for (let t = 0; t < packing.sortedLengths[p]; t++)
          rng.fillKeepMask(this.ws.data, mask.offset + (packing.offsets[t] + p) * Hp, H, keep, scale);
      }
      return;
    }
    const states = new Uint32Array(this.ws.data.buffer, this.maskStates.offset * 4, 4);
    const kernels = this.ws.kernels;
    for (let p0 = 0; p0 < B; p0 += 4) {
      for (let q = 0; q < 4; q++) states[q] = p0 + q < B ? randomState(streamOf(p0 + q)) : 0;
      let lanes = Math.min(4, B - p0);
      for (let t = 0; t < packing.sortedLengths[p0]; t++) {
        while (packing.sortedLengths[p0 + lanes - 1] <= t) lanes--;
        const out = mask.offset + (packing.offsets[t] + p0) * Hp;
        kernels.keep_mask(this.maskStates.offset * 4, lanes, H, Hp * 4, out * 4, threshold | 0, scale);
      }
    }
  }

  /** Copies a recurrent kernel's integer form into the workspace (quantizing it on first use). */
  private loadQuantizedKernel(arch: Architecture, q: QuantizedRecurrence, recurrentKernel: Float32Array): void {
    let quantized = this.quantizedKernels.get(recurrentKernel);
    if (!quantized) {
      const H = arch.units;
      const G = gatesPerCell(arch.cell);
      const Hp = roundUp8(H);
      const GH = G * Hp;
      if (recurrentKernel.length !== H * G * H)
        throw new Error(`weight size ${recurrentKernel.length}, expected ${H * G * H}`);
      const padded = new Float32Array(Hp * GH);
      for (let r = 0; r < H; r++) {
        for (let g = 0; g < G; g++)
          padded.set(recurrentKernel.subarray((r * G + g) * H, (r * G + g + 1) * H), r * GH + g * Hp);
      }
      quantized = quantizeColumns(padded, Hp, GH, GH, q.qmax);
      this.quantizedKernels.set(recurrentKernel, quantized);
    }
    const buffer = this.ws.data.buffer;
    new Int16Array(buffer, q.kernel.offset * 4, quantized.pairs.length).set(quantized.pairs);
    this.ws.data.set(quantized.scales, q.kernelScales.offset);
  }

  /** Copies one layer's Keras weights into the padded internal layout (and transposes them for a training pass). */
  private loadLayerWeights(arch: Architecture, layer: LayerState, src: RecurrentWeights): void {
    const data = this.ws.data;
    const H = arch.units;
    const G = gatesPerCell(arch.cell);
    const Hp = roundUp8(H);
    const GH = G * Hp;
    const copyKernel = (m: Matrix, from: Float32Array, rows: number) => {
      if (from.length !== rows * G * H) throw new Error(`weight size ${from.length}, expected ${rows * G * H}`);
      for (let r = 0; r < rows; r++) {
        for (let g = 0; g < G; g++) {
          data.set(from.subarray(r * G * H + g * H, r * G * H + g * H + H), m.offset + r * GH + g * Hp);
        }
      }
    };
    copyKernel(layer.w, src.kernel, layer.inputDim);
    copyKernel(layer.u, src.recurrentKernel, H);
    if (src.bias.length !== G * H) throw new Error(`bias size ${src.bias.length}, expected ${G * H}`);
    for (let g = 0; g < G; g++) layer.bias.set(src.bias.subarray(g * H, g * H + H), g * Hp);
    if (layer.backward) {
      transposeInto(data, layer.w, layer.backward.wT);
      transposeInto(data, layer.u, layer.backward.uT);
    }
  }

  /**
   * Adds the projections of `fresh` (the batch's token ids missing from the cache, in slot order)
   * to the table (their embeddings gathered into the first rows of x, one gemm into the table's
   * new rows) and writes the byte address of each packed row's projection into `rows`.
   */
  private projectFromCache(
    arch: Architecture,
    weights: NetworkWeights,
    batch: Batch,
    packing: Packing,
    layer: LayerState,
    cache: InputProjectionCache,
    fresh: readonly number[],
    table: Matrix,
    rows: Matrix,
  ): void {
    const ws = this.ws;
    const data = ws.data;
    const E = arch.embeddingDim;
    const GH = table.ld;
    if (fresh.length > 0) {
      const { x } = layer;
      const first = table.offset + cache.rows * GH;
      fresh.forEach((id, k) => {
        data.set(weights.embedding.subarray(id * E, id * E + E), x.offset + k * x.ld);
        data.fill(0, x.offset + k * x.ld + E, x.offset + (k + 1) * x.ld);
        data.set(layer.bias, first + k * GH);
      });
      ws.gemm(fresh.length, GH, layer.inputDim, x.offset, x.ld, false, layer.w.offset, GH, first, GH, true);
      cache.rows += fresh.length;
    }
    const addresses = new Int32Array(data.buffer, rows.offset * 4, packing.tokens);
    for (let t = 0; t < packing.steps; t++) {
      for (let p = 0; p < packing.active[t]; p++) {
        const slot = cache.slotOfId[batch.ids[packing.order[p] * batch.timeSteps + t]];
        addresses[packing.offsets[t] + p] = (table.offset + slot * GH) * 4;
      }
    }
  }

  /**
   * One layer forward over every time step: the input projection (or, given `projected`, the
   * cached projection rows: copied into a step's gates, or read in place by cells that can), then
   * each step's cell.
   */
  private forwardLayer(H: number, G: number, layer: LayerState, packing: Packing, projected?: ProjectedInput): void {
    const ws = this.ws;
    const data = ws.data;
    const Hp = roundUp8(H);
    const GH = G * Hp;
    const N = packing.tokens;
    const { x, w, gates, h, hp, cell } = layer;
    // Input projection of every token at once: gates = X W + b (unless already filled from a cache).
    if (!projected) {
      for (let row = 0; row < N; row++) data.set(layer.bias, gates.offset + row * GH);
      ws.gemm(N, GH, layer.inputDim, x.offset, x.ld, false, w.offset, GH, gates.offset, GH, true);
    }

    // Backpropagation reads every row's previous state from hp; inference reads it in place.
    const keepPrevious = layer.backward !== null;
    for (let t = 0; t < packing.steps; t++) {
      const n = packing.active[t];
      const r0 = packing.offsets[t];
      const p0 = t > 0 ? packing.offsets[t - 1] : 0;
      // The previous states of this step's rows = h rows of the previous step (a prefix of them), zeros at t = 0.
      let previous = hp.offset + r0 * Hp;
      if (t === 0) data.fill(0, previous, previous + n * Hp);
      else if (keepPrevious) data.copyWithin(previous, h.offset + p0 * Hp, h.offset + (p0 + n) * Hp);
      else previous = h.offset + p0 * Hp;
      let projection: number | undefined;
      if (projected && t > 0 && layer.quantized && cell.readsProjectionInPlace) {
        projection = (projected.rows.offset + r0) * 4;
      } else if (projected) {
        const addresses = new Int32Array(data.buffer, (projected.rows.offset + r0) * 4, n);
        for (let i = 0; i < n; i++) {
          const from = addresses[i] >> 2;
          data.copyWithin(gates.offset + (r0 + i) * GH, from, from + GH);
        }
      }
      cell.forwardStep(layer, { t, n, r0, p0 }, previous, projection);
    }
  }

  /** BPTT of one layer given dOut = dLoss/dh [N, Hp]; fills dGates, dW, dU and (optionally) dX. */
  private backwardLayer(
    H: number,
    layer: LayerState,
    grads: BackwardMatrices,
    pass: Pass,
    dOut: Matrix,
    packing: Packing,
    needInputGrad: boolean,
  ): void {
    const ws = this.ws;
    const data = ws.data;
    const { dGates: dG, dW, dU } = grads;
    const GH = dG.ld;
    const N = packing.tokens;
    const cell = layer.cell;
    let carryH = pass.carryH.offset; // dh carried from step t+1, rows < active[t+1]
    let nextH = pass.nextH.offset; // dh w.r.t. h_{t-1} being computed
    cell.beginBackward(pass.cellScratch);
    for (let t = packing.steps - 1; t >= 0; t--) {
      const n = packing.active[t];
      const nNext = t + 1 < packing.steps ? packing.active[t + 1] : 0;
      const r0 = packing.offsets[t];
      const p0 = t > 0 ? packing.offsets[t - 1] : 0;
      cell.backwardStep(layer, grads, { t, n, r0, p0 }, nNext, dOut.offset, carryH, nextH);
      const swapH = carryH;
      carryH = nextH;
      nextH = swapH;
    }

    // Weight gradients as whole-sequence products.
    if (N === 0) {
      data.fill(0, dW.offset, dW.offset + dW.rows * dW.ld);
      data.fill(0, dU.offset, dU.offset + dU.rows * dU.ld);
    } else {
      cell.recurrentKernelGradient(layer, grads, N);
      ws.gemm(dW.rows, GH, N, layer.x.offset, layer.x.ld, true, dG.offset, GH, dW.offset, GH, false);
    }
    if (needInputGrad && N > 0) {
      const { dX, wT } = grads;
      ws.gemm(N, dX.ld, GH, dG.offset, GH, false, wT.offset, wT.ld, dX.offset, dX.ld, false);
    }
  }

  /** Copies a layer's gradients out of the padded layout into Keras-layout arrays. */
  private readLayerGradients(
    arch: Architecture,
    layer: LayerState,
    grads: BackwardMatrices,
    tokens: number,
  ): RecurrentWeights {
    const data = this.ws.data;
    const H = arch.units;
    const G = gatesPerCell(arch.cell);
    const Hp = roundUp8(H);
    const GH = G * Hp;
    const read = (m: Matrix, rows: number) => {
      const out = new Float32Array(rows * G * H);
      for (let r = 0; r < rows; r++) {
        for (let g = 0; g < G; g++) {
          out.set(data.subarray(m.offset + r * GH + g * Hp, m.offset + r * GH + g * Hp + H), r * G * H + g * H);
        }
      }
      return out;
    };
    const bias = new Float32Array(G * H);
    // Column sums of dGates over the tokens, in float64 and row order (column_sums kernel).
    const sumsAt = grads.biasSums.offset;
    data.fill(0, sumsAt, sumsAt + 2 * GH);
    this.ws.kernels.column_sums(tokens, GH, grads.dGates.offset * 4, GH, sumsAt * 4);
    const sums = new Float64Array(data.buffer, sumsAt * 4, GH);
    for (let g = 0; g < G; g++) for (let j = 0; j < H; j++) bias[g * H + j] = sums[g * Hp + j];
    return { kernel: read(grads.dW, layer.inputDim), recurrentKernel: read(grads.dU, H), bias };
  }

  /** Sums the packed input gradient into one row per distinct token id. */
  private scatterEmbeddingGradient(
    arch: Architecture,
    batch: Batch,
    packing: Packing,
    dX: Matrix,
  ): SparseEmbeddingGradient {
    const data = this.ws.data;
    const E = arch.embeddingDim;
    if (this.slotOfRow.length !== arch.vocabSize) this.slotOfRow = new Int32Array(arch.vocabSize).fill(-1);
    const slot = this.slotOfRow;
    const rows: number[] = [];
    for (let t = 0; t < packing.steps; t++) {
      for (let p = 0; p < packing.active[t]; p++) {
        const id = batch.ids[packing.order[p] * batch.timeSteps + t];
        if (slot[id] < 0) {
          slot[id] = rows.length;
          rows.push(id);
        }
      }
    }
    const values = new Float32Array(rows.length * E);
    for (let t = 0; t < packing.steps; t++) {
      for (let p = 0; p < packing.active[t]; p++) {
        const id = batch.ids[packing.order[p] * batch.timeSteps + t];
        const dst = slot[id] * E;
        const src = dX.offset + (packing.offsets[t] + p) * dX.ld;
        for (let e = 0; e < E; e++) values[dst + e] += data[src + e];
      }
    }
    for (const id of rows) slot[id] = -1;
    return { rows: Int32Array.from(rows), values };
  }
}

/**
 * Zeros the padding of a layer's input: columns inputDim.. of x (of its first `xRows` rows), rows
 * inputDim.. of w (and of dW when training). With an input-projection cache, x holds only the
 * tokens not cached yet, whose padding projectFromCache zeros itself (xRows = 0).
 */
/** Layer 0's input projections read from a projection cache's table (see projectFromCache). */
interface ProjectedInput {
  /** The table [rows, G * Hp]. */
  readonly table: Matrix;
  /** [1, N] i32: byte address of each packed row's projection in the table. */
  readonly rows: Matrix;
}

/**
 * The batch's token ids missing from the cache, in order of first appearance; gives each the
 * slot it will have once the table holds it (cache.rows + its index).
 */
function missingProjections(batch: Batch, packing: Packing, cache: InputProjectionCache): number[] {
  const fresh: number[] = [];
  for (let t = 0; t < packing.steps; t++) {
    for (let p = 0; p < packing.active[t]; p++) {
      const id = batch.ids[packing.order[p] * batch.timeSteps + t];
      if (cache.slotOfId[id] < 0) {
        cache.slotOfId[id] = cache.rows + fresh.length;
        fresh.push(id);
      }
    }
  }
  return fresh;
}

function zeroInputPadding(data: Float32Array, layer: LayerState, xRows = layer.x.rows): void {
  const { x, w, inputDim } = layer;
  for (let r = 0; r < xRows; r++) data.fill(0, x.offset + r * x.ld + inputDim, x.offset + (r + 1) * x.ld);
  for (const m of layer.backward ? [w, layer.backward.dW] : [w])
    data.fill(0, m.offset + inputDim * m.ld, m.offset + m.rows * m.ld);
}

/** dst (a Matrix [cols, rows] of src) = src^T, over the padded extents. */
function transposeInto(data: Float32Array, src: Matrix, dst: Matrix): void {
  for (let r = 0; r < src.rows; r++) {
    const s = src.offset + r * src.ld;
    for (let c = 0; c < src.ld && c < dst.rows; c++) data[dst.offset + c * dst.ld + r] = data[s + c];
  }
}

function denseLogits(
  data: Float32Array,
  row: number,
  H: number,
  kernel: Float32Array,
  bias: Float32Array,
  C: number,
  out: Float64Array,
): void {
  if (C === 2) {
    // The same sums in the same order, in two locals (two classes: every model with lexicon terms).
    let l0 = bias[0];
    let l1 = bias[1];
    for (let j = 0; j < H; j++) {
      const v = data[row + j];
      l0 += v * kernel[2 * j];
      l1 += v * kernel[2 * j + 1];
    }
    out[0] = l0;
    out[1] = l1;
    return;
  }
  for (let k = 0; k < C; k++) out[k] = bias[k];
  for (let j = 0; j < H; j++) {
    const v = data[row + j];
    for (let k = 0; k < C; k++) out[k] += v * kernel[j * C + k];
  }
}

function softmaxInto(logits: Float64Array, out: Float32Array, at: number): void {
  const C = logits.length;
  let max = -Infinity;
  for (let k = 0; k < C; k++) if (logits[k] > max) max = logits[k];
  let sum = 0;
  for (let k = 0; k < C; k++) sum += Math.exp(logits[k] - max);
  for (let k = 0; k < C; k++) out[at + k] = Math.exp(logits[k] - max) / sum;
}
