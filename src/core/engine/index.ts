/** The fast training / inference engine over Float32Arrays (no tfjs, no vscode). */
export { initWeights, cloneWeights, orthogonal } from './initWeights';
export { predict, Predictor, defaultInferenceThreads, SPLIT_MIN_TOKENS } from './predict';
export { MissingHelperScriptError } from './helperThread';
export { relaxedSimdAvailable } from './kernels';
export type { PredictorOptions } from './predict';
export { Trainer, computeGradients, clipByGlobalNorm, globalNorm } from './trainer';
export { ParallelTrainer, createTrainer, defaultTrainingThreads } from './parallelTrainer';
export type { TrainerOptions, TrainStepResult, GradientResult } from './trainer';
export type { Probabilities, EngineGradients, SparseEmbeddingGradient, DropoutKey } from './network';
export { Random } from './random';
export { packBatch } from './packing';
export type { Packing } from './packing';
