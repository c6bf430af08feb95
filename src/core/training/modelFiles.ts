/**
 * Between training results, classifiers and model folders: save a training run with its
 * metadata, load a folder as a ready-to-use classifier model.
 */
import { ClassifierModel } from '../classify/classifier';
import { loadModel } from '../model/modelIO';
import { ModelMetadata, QuantizationKind } from '../model/metadata';
import { saveModel } from '../model/modelIO';
import { TrainingResult } from './training';
import { Vocabulary } from '../text/vocabulary';

/** How weights are stored on disk. */
export type QuantizationChoice = QuantizationKind;

/** A classifier model read from a folder, with its metadata. */
export interface LoadedClassifierModel extends ClassifierModel {
  readonly metadata: ModelMetadata;
  readonly dir: string;
}

/** Loads a model folder (throws ModelLoadError listing every problem). */
export async function loadClassifierModel(dir: string): Promise<LoadedClassifierModel> {
  const loaded = await loadModel(dir);
  return {
    dir,
    arch: loaded.arch,
    weights: loaded.weights,
    otherMembers: loaded.otherMembers,
    vocabulary: new Vocabulary(loaded.metadata.vocabulary),
    labels: loaded.metadata.labels,
    tokenizer: loaded.metadata.tokenizer,
    metadata: loaded.metadata,
  };
}

/** Where the data came from and how to store the weights. */
export interface SaveInfo {
  readonly name: string;
  readonly description?: string;
  readonly dataFingerprint: string;
  readonly dataDescription: string;
  readonly quantize?: QuantizationChoice;
  /** Which pretrained word vectors the embedding started from, if any (recorded in the hyperparameters). */
  readonly pretrainedVectors?: string;
  /** Told about problems that do not stop the save (see saveModel). */
  readonly onWarning?: (message: string) => void;
}

/**
 * Saves a training run's best model with its metadata (atomically; see saveModel). A seed ensemble's
 * networks are saved together; its hyperparameters hold each network's seed, best epoch, accuracy and
 * history under `members` in place of `bestEpoch` and `history`. A distilled run saves its student
 * alone, with the student's `bestEpoch` and `history`, `distill: true`, `ensembleMembers` (the
 * teachers) and under `distillation` the teachers' records, their ensemble's accuracy and the student's.
 * With learned transforms, `learnedTransforms` holds each saved network's fitted negation factors and
 * degree increments, per word with its occurrences (see core/lexicon/learnedTransforms.ts).
 */
export async function saveTrainedModel(dir: string, result: TrainingResult, info: SaveInfo): Promise<ModelMetadata> {
  const { model, options } = result;
  // The pretraining texts themselves would bloat metadata.json; their number is enough to describe the run.
  // A single network's hyperparameters are written as they were before ensembles existed (no ensembleMembers,
  // and no distill unless the run distilled).
  const {
    tokenizer,
    labels: _labels,
    pretrainingTexts,
    ensembleMembers,
    distill: _distill,
    ...hyperparameters
  } = options;
  return saveModel(
    dir,
    {
      arch: model.arch,
      weights: model.weights,
      otherMembers: model.otherMembers,
      metadata: {
        name: info.name,
        description:
          info.description ?? `${model.arch.cell.toUpperCase()} sentiment classifier (${model.labels.join(' / ')})`,
        labels: model.labels,
        vocabulary: model.vocabulary.tokens,
        tokenizer,
        maxLength: model.maxLength,
        training: {
          dataFingerprint: info.dataFingerprint,
          dataDescription: info.dataDescription,
          examples: result.trainingExamples,
          hyperparameters: {
            ...hyperparameters,
            ...(pretrainingTexts ? { pretrainingTexts: pretrainingTexts.length } : {}),
            ...(info.pretrainedVectors ? { pretrainedVectors: info.pretrainedVectors } : {}),
            ...(result.members
              ? { ensembleMembers, validationExamples: result.validationExamples, members: result.members }
              : {
                  bestEpoch: result.bestEpoch,
                  validationExamples: result.validationExamples,
                  history: result.history,
                }),
            ...(result.distillation ? { ensembleMembers, distill: true, distillation: result.distillation } : {}),
            ...(result.learnedTransforms ? { learnedTransforms: result.learnedTransforms } : {}),
          },
          durationSeconds: Math.round(result.seconds * 10) / 10,
          skipGram: result.skipGramPretrained,
        },
        metrics: { validation: result.metrics },
      },
    },
    { quantize: info.quantize ?? 'none', onWarning: info.onWarning },
  );
}

/** The validation split a model was trained with, from its metadata (defaults if absent). */
export function trainingSplit(metadata: ModelMetadata): { seed: number; validationSplit: number } {
  const h = metadata.training.hyperparameters;
  return {
    seed: typeof h.seed === 'number' ? h.seed : 42,
    validationSplit: typeof h.validationSplit === 'number' ? h.validationSplit : 0.1,
  };
}
