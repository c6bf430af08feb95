/**
 * Messages between the extension host and the training worker (worker_threads): one union per
 * direction, keyed on `type`, checked on arrival. Every request carries a `requestId` and every
 * answer repeats it. A training request is answered by any number of `progress` messages, then
 * exactly one of `done`, `cancelled` or `error`.
 */
import type { TrainingProgress } from '../core/training/training';
import { isNonEmptyString, isNumber, isOneOf, isRecord, isRequestId, isString, optional } from './guards';
import { isPanelTrainingSettings, LABELLED_FORMATS } from './panelMessages';
import type { PanelTrainingSettings } from './trainingSettings';
import type { DataSource, ReportView, SourceView } from './views';

/** Host -> worker. */
export type HostToWorker =
  /** Read and check a file; answered by `loaded` (bad data is described in the view, not an error). */
  | { readonly type: 'load'; readonly requestId: number; readonly source: DataSource; readonly maxBytes: number }
  /** Train on a file; `pretrainedModelDir`: copy embedding rows of shared words from that model. */
  | {
      readonly type: 'train';
      readonly requestId: number;
      readonly source: DataSource;
      readonly maxBytes: number;
      readonly settings: PanelTrainingSettings;
      readonly pretrainedModelDir?: string;
    }
  /** Stop the run with that id at the next batch. */
  | { readonly type: 'cancel'; readonly requestId: number }
  /** Save the last finished run's model into `dir` (atomically), named `name`. */
  | { readonly type: 'save'; readonly requestId: number; readonly dir: string; readonly name: string };

/** Worker -> host. */
export type WorkerToHost =
  | { readonly type: 'loaded'; readonly requestId: number; readonly view: SourceView }
  | { readonly type: 'progress'; readonly requestId: number; readonly progress: TrainingProgress }
  /** Something the user may want to know that does not stop the run (e.g. training fell back to one thread). */
  | { readonly type: 'warning'; readonly requestId: number; readonly message: string }
  | { readonly type: 'done'; readonly requestId: number; readonly report: ReportView }
  | { readonly type: 'cancelled'; readonly requestId: number }
  | { readonly type: 'saved'; readonly requestId: number; readonly dir: string; readonly accuracy: number }
  | { readonly type: 'error'; readonly requestId: number; readonly message: string; readonly detail?: string };

/** A well-formed data source. */
export function isDataSource(value: unknown): value is DataSource {
  if (!isRecord(value)) return false;
  if (value.kind === 'pair') return isNonEmptyString(value.positivePath) && isNonEmptyString(value.negativePath);
  const isColumn = (v: unknown) =>
    v === undefined || isNonEmptyString(v) || (isNumber(v) && Number.isInteger(v) && v >= 0);
  return (
    value.kind === 'file' &&
    isNonEmptyString(value.path) &&
    (value.format === undefined || isOneOf(value.format, LABELLED_FORMATS)) &&
    (value.hasHeader === undefined || typeof value.hasHeader === 'boolean') &&
    isColumn(value.textColumn) &&
    isColumn(value.labelColumn)
  );
}

/** Checks a message from the host (run in the worker). */
export function isHostToWorker(value: unknown): value is HostToWorker {
  if (!isRecord(value) || !isRequestId(value.requestId)) return false;
  switch (value.type) {
    case 'load':
      return isDataSource(value.source) && isNumber(value.maxBytes);
    case 'train':
      return (
        isDataSource(value.source) &&
        isNumber(value.maxBytes) &&
        isPanelTrainingSettings(value.settings) &&
        optional(value.pretrainedModelDir, isNonEmptyString)
      );
    case 'cancel':
      return true;
    case 'save':
      return isNonEmptyString(value.dir) && isNonEmptyString(value.name);
    default:
      return false;
  }
}

const isProgress = (v: unknown): v is TrainingProgress =>
  isRecord(v) &&
  isOneOf(v.phase, ['pretraining', 'training', 'validated'] as const) &&
  isNumber(v.epoch) &&
  isNumber(v.epochs) &&
  isNumber(v.elapsedSeconds) &&
  optional(v.member, isNumber) &&
  optional(v.members, isNumber);

/** Checks a message from the worker (run in the host). */
export function isWorkerToHost(value: unknown): value is WorkerToHost {
  if (!isRecord(value) || !isRequestId(value.requestId)) return false;
  switch (value.type) {
    case 'loaded':
      return isRecord(value.view) && isRecord(value.view.source) && Array.isArray(value.view.preview);
    case 'progress':
      return isProgress(value.progress);
    case 'warning':
      return isString(value.message);
    case 'done':
      return isRecord(value.report) && Array.isArray(value.report.labels) && isNumber(value.report.accuracy);
    case 'cancelled':
      return true;
    case 'saved':
      return isNonEmptyString(value.dir) && isNumber(value.accuracy);
    case 'error':
      return isString(value.message) && optional(value.detail, isString);
    default:
      return false;
  }
}
