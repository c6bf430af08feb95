/**
 * Seed ensembles: a model of several networks of one architecture (trained with different seeds on
 * the same vocabulary) whose class probabilities are averaged, step by step, so that the trajectory
 * and the label are the ensemble's.
 */
import type { NetworkWeights } from '../model/architecture';
import type { Batch } from '../model/batching';
import type { Predictor, Probabilities } from '../engine';

/** A model's networks: the first one's weights and, for an ensemble, the others'. */
export interface EnsembleWeights {
  /** The (first) network's weights. */
  readonly weights: NetworkWeights;
  /** A seed ensemble's other networks (2, 3, ...), each of the same architecture; absent or empty for one network. */
  readonly otherMembers?: readonly NetworkWeights[];
}

/** Every network of a model, the first first. */
export function networksOf(model: EnsembleWeights): NetworkWeights[] {
  return [model.weights, ...(model.otherMembers ?? [])];
}

/**
 * The arithmetic mean of several networks' probabilities of one batch: stepProbabilities [B, T, C]
 * and finalProbabilities [B, C], each entry the mean of the parts' entries (summed in the parts'
 * order in float64, rounded once to float32). One part is returned as it is. The parts are not changed.
 * @throws Error when there is no part or their sizes differ.
 */
export function averageProbabilities(parts: readonly Probabilities[]): Probabilities {
  if (parts.length === 0) throw new Error('averageProbabilities needs at least one network');
  if (parts.length === 1) return parts[0];
  return {
    stepProbabilities: meanOf(parts.map((part) => part.stepProbabilities)),
    finalProbabilities: meanOf(parts.map((part) => part.finalProbabilities)),
  };
}

/** Per-step and final probabilities of a padded batch under every predictor (one per network), averaged. */
export function predictEnsemble(predictors: readonly Predictor[], batch: Batch): Probabilities {
  return averageProbabilities(predictors.map((predictor) => predictor.predict(batch)));
}

function meanOf(arrays: readonly Float32Array[]): Float32Array {
  const length = arrays[0].length;
  if (arrays.some((values) => values.length !== length))
    throw new Error(`the networks' probabilities differ in size (${arrays.map((values) => values.length).join(', ')})`);
  const sum = new Float64Array(length);
  for (const values of arrays) for (let i = 0; i < length; i++) sum[i] += values[i];
  const mean = new Float32Array(length);
  for (let i = 0; i < length; i++) mean[i] = sum[i] / arrays.length;
  return mean;
}
