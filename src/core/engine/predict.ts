/** Inference with the fast engine. */
import type { Batch } from '../batching';
import type { Architecture, NetworkWeights } from '../model/architecture';
import { NetworkEngine, type Probabilities } from './network';

/**
 * Per-step and final class probabilities of a padded batch, no dropout.
 * Returns stepProbabilities [B, T, C] (0 at steps >= length) and finalProbabilities [B, C]
 * (softmax at step length-1; for length 0 the softmax of the dense bias alone). Creates a
 * fresh workspace per call; for repeated calls keep a {@link Predictor}.
 */
export function predict(arch: Architecture, weights: NetworkWeights, batch: Batch): Probabilities {
  return new NetworkEngine().predict(arch, weights, batch);
}

/** Reusable inference: keeps its WebAssembly workspace between calls. Does not copy weights. */
export class Predictor {
  private readonly engine = new NetworkEngine();

  constructor(
    private readonly arch: Architecture,
    private readonly weights: NetworkWeights,
  ) {}

  /** Same as {@link predict}. */
  predict(batch: Batch): Probabilities {
    return this.engine.predict(this.arch, this.weights, batch);
  }
}
