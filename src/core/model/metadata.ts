/**
 * metadata.json: everything about a saved model besides its weights (vocabulary, labels, tokenizer,
 * architecture, training provenance, metrics, quantization), its validation, and its cross-check
 * against the weight shapes listed in model.json.
 */
import type { TokenizerSettings } from '../text/tokenizer';
import type { Metrics } from './metrics';
import { OOV_TOKEN, PAD_TOKEN } from '../text/vocabulary';
import { MAX_MODEL_MEMBERS } from '../files/limits';
import { Architecture, CellType, gatesPerCell } from './architecture';

/** The metadata format this code writes; loading accepts this version only. */
export const METADATA_FORMAT_VERSION = 1;

/** How weights.bin stores the weights: 'none' is float32; the others are tfjs weightsManifest quantizations. */
export type QuantizationKind = 'none' | 'float16' | 'uint16' | 'uint8';

/** Quantization of the saved weights. */
export interface QuantizationInfo {
  readonly dtype: QuantizationKind;
  /**
   * Largest absolute difference between a saved (dequantized) weight and the float32 weight it
   * came from, over all weights; 0 for 'none'.
   */
  readonly maxAbsError: number;
}

/** Provenance of the training run. */
export interface TrainingInfo {
  /** sha256 (lower-case hex) of the training data, to tell which data a model was trained on. */
  readonly dataFingerprint: string;
  /** Human-readable description of the data (file names, source, filters). */
  readonly dataDescription: string;
  /** Number of training examples. */
  readonly examples: number;
  /** Free-form hyperparameters (learning rate, epochs, batch size, ...). */
  readonly hyperparameters: Readonly<Record<string, unknown>>;
  readonly durationSeconds: number;
  /** Whether the embedding was initialised from skip-gram vectors. */
  readonly skipGram: boolean;
}

/** The contents of metadata.json. */
export interface ModelMetadata {
  readonly formatVersion: number;
  readonly name: string;
  readonly description: string;
  /** Class names in output-unit order. */
  readonly labels: readonly string[];
  /** Token of every id, in id order: '<pad>', '<unk>', then the vocabulary. Its length is architecture.vocabSize. */
  readonly vocabulary: readonly string[];
  readonly tokenizer: TokenizerSettings;
  /** Sentences are cut to this many tokens. */
  readonly maxLength: number;
  readonly architecture: Architecture;
  readonly training: TrainingInfo;
  readonly metrics: { readonly validation: Metrics };
  /** ISO 8601 time of saving. */
  readonly createdAt: string;
  readonly quantization: QuantizationInfo;
  /**
   * Networks of the model, for a seed ensemble (absent for one network): each has the architecture
   * above and shares the vocabulary, labels, tokenizer and maxLength; their probabilities are
   * averaged. Network 1 is model.json + weights.bin, network K model-K.json + the weights file its
   * manifest names (weights-K.bin when saved by Sentiment Lens). The metrics are the ensemble's.
   */
  readonly members?: number;
}

/** A weight as listed in model.json's weightsManifest. */
export interface WeightShapeEntry {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Checks that `raw` (parsed JSON) is a complete ModelMetadata. Returns the metadata when there is
 * no problem, and every problem found (missing or mistyped field, by its path), never throwing.
 */
export function validateMetadata(raw: unknown): { metadata?: ModelMetadata; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(raw)) {
    return { problems: [`metadata.json must hold a JSON object, found ${describe(raw)}`] };
  }
  const check = new FieldChecker(problems);
  if (check.number(raw, 'formatVersion') && raw.formatVersion !== METADATA_FORMAT_VERSION) {
    problems.push(`formatVersion is ${raw.formatVersion}; this version of Sentiment Lens reads format ${METADATA_FORMAT_VERSION}`);
  }
  check.string(raw, 'name');
  check.string(raw, 'description');
  if (check.stringArray(raw, 'labels')) {
    const labels = raw.labels as string[];
    if (labels.length < 2) problems.push(`labels must name at least 2 classes, found ${labels.length}`);
    if (new Set(labels).size !== labels.length) problems.push('labels contains a name twice');
  }
  if (check.stringArray(raw, 'vocabulary')) {
    const vocabulary = raw.vocabulary as string[];
    if (vocabulary[0] !== PAD_TOKEN || vocabulary[1] !== OOV_TOKEN) {
      problems.push(`vocabulary must start with "${PAD_TOKEN}" and "${OOV_TOKEN}"`);
    }
  }
  if (check.record(raw, 'tokenizer')) {
    const tokenizer = raw.tokenizer as Record<string, unknown>;
    if (tokenizer.kind !== 'english' && tokenizer.kind !== 'developer') {
      problems.push(`tokenizer.kind must be "english" or "developer", found ${describe(tokenizer.kind)}`);
    }
    check.boolean(tokenizer, 'lowercase', 'tokenizer.');
  }
  if (check.number(raw, 'maxLength') && !((raw.maxLength as number) >= 1)) problems.push('maxLength must be >= 1');
  if (check.record(raw, 'architecture')) validateArchitecture(raw.architecture as Record<string, unknown>, check, problems);
  if (check.record(raw, 'training')) {
    const training = raw.training as Record<string, unknown>;
    if (check.string(training, 'dataFingerprint', 'training.') && !/^[0-9a-f]{64}$/.test(training.dataFingerprint as string)) {
      problems.push('training.dataFingerprint must be a sha256 in lower-case hex (64 characters)');
    }
    check.string(training, 'dataDescription', 'training.');
    check.number(training, 'examples', 'training.');
    check.record(training, 'hyperparameters', 'training.');
    check.number(training, 'durationSeconds', 'training.');
    check.boolean(training, 'skipGram', 'training.');
  }
  if (check.record(raw, 'metrics') && check.record(raw.metrics as Record<string, unknown>, 'validation', 'metrics.')) {
    validateMetrics((raw.metrics as Record<string, Record<string, unknown>>).validation, check, problems);
  }
  if (check.string(raw, 'createdAt') && Number.isNaN(Date.parse(raw.createdAt as string))) {
    problems.push(`createdAt is not an ISO date: "${raw.createdAt}"`);
  }
  if (check.record(raw, 'quantization')) {
    const quantization = raw.quantization as Record<string, unknown>;
    if (!['none', 'float16', 'uint16', 'uint8'].includes(quantization.dtype as string)) {
      problems.push(`quantization.dtype must be none, float16, uint16 or uint8, found ${describe(quantization.dtype)}`);
    }
    check.number(quantization, 'maxAbsError', 'quantization.');
  }
  if (raw.members !== undefined && !(Number.isInteger(raw.members) && (raw.members as number) >= 1 && (raw.members as number) <= MAX_MODEL_MEMBERS)) {
    problems.push(`members must be an integer from 1 to ${MAX_MODEL_MEMBERS} (the number of networks), found ${describe(raw.members)}`);
  }
  if (problems.length === 0) {
    const architecture = raw.architecture as unknown as Architecture;
    const labels = raw.labels as string[];
    const vocabulary = raw.vocabulary as string[];
    if (labels.length !== architecture.numClasses) {
      problems.push(`metadata.json lists ${labels.length} labels but architecture.numClasses is ${architecture.numClasses}`);
    }
    if (vocabulary.length !== architecture.vocabSize) {
      problems.push(`metadata.json lists ${vocabulary.length} vocabulary entries but architecture.vocabSize is ${architecture.vocabSize}`);
    }
  }
  return problems.length === 0 ? { metadata: raw as unknown as ModelMetadata, problems } : { problems };
}

/**
 * Cross-checks metadata against the weights listed in model.json (in weightShapes() order:
 * embedding, per layer kernel / recurrent kernel / bias, dense kernel / bias). Returns one specific
 * message per mismatch (vocabulary vs embedding rows, labels vs output units, embeddingDim, units,
 * layers, cell); empty when they agree.
 */
export function checkAgainstWeights(metadata: ModelMetadata, weights: readonly WeightShapeEntry[]): string[] {
  const problems: string[] = [];
  const arch = metadata.architecture;
  const shapeText = (entry: WeightShapeEntry) => `"${entry.name}" [${entry.shape.join(', ')}]`;
  const expectedCount = 3 + 3 * arch.layers;
  if (weights.length < 5 || (weights.length - 3) % 3 !== 0) {
    return [`model.json lists ${weights.length} weights; an embedding + recurrent layers + dense model has 3 + 3 per layer (expected ${expectedCount} for ${arch.layers} layer(s))`];
  }
  const embedding = weights[0];
  const dense = weights[weights.length - 2];
  const denseBias = weights[weights.length - 1];
  const recurrentLayers = (weights.length - 3) / 3;
  if (embedding.shape.length !== 2) {
    problems.push(`the first weight should be the embedding [vocabSize, embeddingDim] but is ${shapeText(embedding)}`);
  } else {
    if (embedding.shape[0] !== metadata.vocabulary.length) {
      problems.push(`metadata.json lists ${metadata.vocabulary.length} vocabulary entries but the embedding has ${embedding.shape[0]} rows`);
    }
    if (embedding.shape[0] !== arch.vocabSize && metadata.vocabulary.length === embedding.shape[0]) {
      // Only reachable for metadata that skipped validateMetadata (which ties vocabulary to vocabSize).
      problems.push(`architecture.vocabSize is ${arch.vocabSize} but the embedding has ${embedding.shape[0]} rows`);
    }
    if (embedding.shape[1] !== arch.embeddingDim) {
      problems.push(`architecture.embeddingDim is ${arch.embeddingDim} but the embedding has ${embedding.shape[1]} columns`);
    }
  }
  if (dense.shape.length !== 2 || denseBias.shape.length !== 1) {
    problems.push(`the last two weights should be the output kernel [units, classes] and bias [classes] but are ${shapeText(dense)} and ${shapeText(denseBias)}`);
  } else {
    if (dense.shape[1] !== metadata.labels.length) {
      problems.push(`metadata.json lists ${metadata.labels.length} labels but the output layer has ${dense.shape[1]} units`);
    }
    if (dense.shape[0] !== arch.units) {
      problems.push(`architecture.units is ${arch.units} but the output kernel has ${dense.shape[0]} input rows`);
    }
  }
  if (recurrentLayers !== arch.layers) {
    problems.push(`architecture.layers is ${arch.layers} but model.json has ${recurrentLayers} recurrent layer(s)`);
  }
  for (let layer = 0; layer < recurrentLayers; layer++) {
    const [kernel, recurrentKernel, bias] = weights.slice(1 + 3 * layer, 4 + 3 * layer);
    if (recurrentKernel.shape.length !== 2 || kernel.shape.length !== 2) {
      problems.push(`recurrent layer ${layer}: expected 2-D kernel and recurrent kernel, found ${shapeText(kernel)} and ${shapeText(recurrentKernel)}`);
      continue;
    }
    const units = recurrentKernel.shape[0];
    if (units !== arch.units) {
      problems.push(`architecture.units is ${arch.units} but recurrent layer ${layer} has ${units} units (recurrent kernel ${shapeText(recurrentKernel)})`);
    }
    const gates = units > 0 ? recurrentKernel.shape[1] / units : NaN;
    const cell = cellOfGates(gates);
    if (cell === undefined) {
      problems.push(`recurrent layer ${layer}: recurrent kernel ${shapeText(recurrentKernel)} is not [units, 1|3|4 x units]`);
    } else if (cell !== arch.cell) {
      problems.push(`architecture.cell is "${arch.cell}" but recurrent layer ${layer} has ${gates} gate block(s), which is a ${cell.toUpperCase()} layer`);
    }
    const inputDim = layer === 0 ? arch.embeddingDim : arch.units;
    if (kernel.shape[0] !== inputDim || kernel.shape[1] !== recurrentKernel.shape[1]) {
      problems.push(`recurrent layer ${layer}: kernel is ${shapeText(kernel)}, expected [${inputDim}, ${recurrentKernel.shape[1]}]`);
    }
    if (bias.shape.length === 2 && bias.shape[0] === 2 && cell === 'gru') {
      problems.push(`recurrent layer ${layer}: bias ${shapeText(bias)} comes from a Keras GRU with reset_after=True, which tfjs does not support; retrain with reset_after=False`);
    } else if (bias.shape.length !== 1 || bias.shape[0] !== recurrentKernel.shape[1]) {
      problems.push(`recurrent layer ${layer}: bias is ${shapeText(bias)}, expected [${recurrentKernel.shape[1]}]`);
    }
  }
  return problems;
}

function cellOfGates(gates: number): CellType | undefined {
  return (['gru', 'lstm', 'simple'] as const).find((cell) => gatesPerCell(cell) === gates);
}

function validateArchitecture(arch: Record<string, unknown>, check: FieldChecker, problems: string[]): void {
  if (arch.cell !== 'gru' && arch.cell !== 'lstm' && arch.cell !== 'simple') {
    problems.push(`architecture.cell must be "gru", "lstm" or "simple", found ${describe(arch.cell)}`);
  }
  for (const key of ['vocabSize', 'embeddingDim', 'units', 'layers', 'numClasses'] as const) {
    if (check.number(arch, key, 'architecture.') && !(Number.isInteger(arch[key]) && (arch[key] as number) >= 1)) {
      problems.push(`architecture.${key} must be a positive integer, found ${arch[key]}`);
    }
  }
  if (check.number(arch, 'dropout', 'architecture.') && !((arch.dropout as number) >= 0 && (arch.dropout as number) < 1)) {
    problems.push(`architecture.dropout must be in [0, 1), found ${arch.dropout}`);
  }
}

function validateMetrics(metrics: Record<string, unknown>, check: FieldChecker, problems: string[]): void {
  const prefix = 'metrics.validation.';
  check.number(metrics, 'n', prefix);
  check.number(metrics, 'accuracy', prefix);
  check.number(metrics, 'macroF1', prefix);
  check.stringArray(metrics, 'labels', prefix);
  if (check.record(metrics, 'perClass', prefix)) {
    for (const [label, figures] of Object.entries(metrics.perClass as Record<string, unknown>)) {
      if (!isRecord(figures)) {
        problems.push(`${prefix}perClass["${label}"] must be an object, found ${describe(figures)}`);
        continue;
      }
      for (const key of ['precision', 'recall', 'f1', 'support']) check.number(figures, key, `${prefix}perClass["${label}"].`);
    }
  }
  const confusion = metrics.confusion;
  if (!Array.isArray(confusion) || !confusion.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
    problems.push(`${prefix}confusion must be an array of arrays of numbers, found ${describe(confusion)}`);
  }
}

/** Records "missing" / "must be a ..." problems for fields, by path. */
class FieldChecker {
  constructor(private readonly problems: string[]) {}

  private present(obj: Record<string, unknown>, key: string, prefix: string): boolean {
    if (obj[key] === undefined) {
      this.problems.push(`${prefix}${key} is missing`);
      return false;
    }
    return true;
  }

  private typed(ok: boolean, obj: Record<string, unknown>, key: string, prefix: string, what: string): boolean {
    if (!this.present(obj, key, prefix)) return false;
    if (!ok) this.problems.push(`${prefix}${key} must be ${what}, found ${describe(obj[key])}`);
    return ok;
  }

  string(obj: Record<string, unknown>, key: string, prefix = ''): boolean {
    return this.typed(typeof obj[key] === 'string', obj, key, prefix, 'a string');
  }

  number(obj: Record<string, unknown>, key: string, prefix = ''): boolean {
    return this.typed(typeof obj[key] === 'number' && Number.isFinite(obj[key]), obj, key, prefix, 'a finite number');
  }

  boolean(obj: Record<string, unknown>, key: string, prefix = ''): boolean {
    return this.typed(typeof obj[key] === 'boolean', obj, key, prefix, 'true or false');
  }

  record(obj: Record<string, unknown>, key: string, prefix = ''): boolean {
    return this.typed(isRecord(obj[key]), obj, key, prefix, 'an object');
  }

  stringArray(obj: Record<string, unknown>, key: string, prefix = ''): boolean {
    const value = obj[key];
    return this.typed(Array.isArray(value) && value.every((v) => typeof v === 'string'), obj, key, prefix, 'an array of strings');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
