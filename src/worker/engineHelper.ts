/**
 * worker_threads entry of the engine's helper thread (bundled to dist/engineHelper.js): computes
 * half of every training batch for a ParallelTrainer (src/core/engine/parallelTrainer.ts), or
 * half of every large inference batch for a Predictor (src/core/engine/predict.ts).
 */
import { workerData } from 'node:worker_threads';
import { runEngineHelper, type HelperData } from '../core/engine/helperThread';

runEngineHelper(workerData as HelperData);
