/** Inference with the fast engine. */
import type { Batch } from '../batching';
import type { Architecture, NetworkWeights } from '../model/architecture';
import { InputProjectionCache, NetworkEngine, type Probabilities } from './network';

/**
 * Weights that change in place (a Trainer's own copy): never given an input-projection cache,
 * whose rows would go stale. Per thread, like every module-level value.
 */
const mutableWeights = new WeakSet<NetworkWeights>();

/** Marks weights as updated in place, so that inference never caches anything derived from them. */
export function markWeightsMutable(weights: NetworkWeights): void {
  mutableWeights.add(weights);
}

/** Predictors reused by {@link predict}, one per weights object (dropped with the weights). */
const predictors = new WeakMap<NetworkWeights, Predictor>();

/**
 * Per-step and final class probabilities of a padded batch, no dropout.
 * Returns stepProbabilities [B, T, C] (0 at steps >= length) and finalProbabilities [B, C]
 * (softmax at step length-1; for length 0 the softmax of the dense bias alone).
 * Reuses one {@link Predictor} per weights object (its workspace and, for weights that no
 * Trainer updates in place, its input-projection cache), so repeated calls with a loaded model
 * get faster as its vocabulary is seen; weights given here must not be changed afterwards
 * except by a Trainer.
 */
export function predict(arch: Architecture, weights: NetworkWeights, batch: Batch): Probabilities {
  let predictor = predictors.get(weights);
  if (!predictor || predictor.arch !== arch) {
    predictor = new Predictor(arch, weights);
    predictors.set(weights, predictor);
  }
  return predictor.predict(batch);
}

/**
 * Reusable inference: keeps its WebAssembly workspace between calls. Does not copy weights.
 * Unless the weights belong to a Trainer, it caches each token id's first-layer input
 * projection (embedding x W + b; up to vocabSize x 3H floats for a GRU), which halves the work
 * per token with bit-identical results; the weights must then not change while it is in use.
 */
export class Predictor {
  private readonly engine = new NetworkEngine();
  private readonly projection: InputProjectionCache | undefined;

  constructor(
    readonly arch: Architecture,
    private readonly weights: NetworkWeights,
  ) {
    this.projection = mutableWeights.has(weights) ? undefined : new InputProjectionCache(arch.vocabSize);
  }

  /** Same as {@link predict}. */
  predict(batch: Batch): Probabilities {
    return this.engine.predict(this.arch, this.weights, batch, this.projection);
  }
}
