/** Panel training settings of a small, quick run, shared by the protocol and training-worker tests. */
import type { PanelTrainingSettings } from '../../src/protocol/trainingSettings';

export const SMALL_PANEL_SETTINGS: PanelTrainingSettings = {
  cell: 'gru',
  units: 16,
  layers: 1,
  embeddingDim: 16,
  dropout: 0.2,
  epochs: 3,
  batchSize: 8,
  learningRate: 0.01,
  maxLength: 40,
  validationSplit: 0.2,
  seed: 7,
  ensembleMembers: 1,
  distill: false,
  skipGram: false,
  lexiconWeight: 0,
  linguisticExamples: false,
  learnedTransforms: false,
  startFromBundled: false,
};
