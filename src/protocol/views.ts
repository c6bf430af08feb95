/**
 * What the training panel shows, as plain JSON-able data. The host owns the authoritative copy
 * (a `PanelSnapshot`) and sends it whole in `init` and by section afterwards; the webview renders
 * it and keeps it with `setState`, so the panel survives being hidden and a window reload.
 */
import type { LabelledFormat, Problem, ProblemCode, TextEncoding } from '../core/readers/types';
import type { Feature } from './features';
import type { PanelTrainingSettings } from './trainingSettings';

/** How to read the data: one file (format and columns optional: detected), or a .pos/.neg pair. */
export type DataSource =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly format?: LabelledFormat;
      readonly hasHeader?: boolean;
      /** CSV/TSV: 0-based column index; JSONL: field name. */
      readonly textColumn?: number | string;
      readonly labelColumn?: number | string;
    }
  | { readonly kind: 'pair'; readonly positivePath: string; readonly negativePath: string };

/** The files a data source reads, in order. */
export function sourceFiles(source: DataSource): string[] {
  return source.kind === 'pair' ? [source.positivePath, source.negativePath] : [source.path];
}

/** A path's last part, after the last '/' or '\\' (no Node APIs: the webview uses it too). */
export function fileName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** Short name of a data source for titles: the file name, or "a.pos + a.neg". */
export function sourceTitle(source: DataSource): string {
  return sourceFiles(source).map(fileName).join(' + ');
}

/** A problem as the panel lists it (capped in number; `total` says how many there were). */
export interface ProblemView {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  readonly severity: Problem['severity'];
  readonly code: ProblemCode;
}

/** The loaded file: what was detected, a preview, label counts and problems. */
export interface SourceView {
  readonly source: DataSource;
  /** `sourceTitle(source)`. */
  readonly title: string;
  readonly format: LabelledFormat;
  readonly encoding: TextEncoding;
  readonly columns?: readonly string[];
  readonly hasHeader?: boolean;
  readonly textColumn?: number;
  readonly labelColumn?: number;
  readonly textField?: string;
  readonly labelField?: string;
  readonly examples: number;
  readonly labelCounts: Readonly<Record<string, number>>;
  /** The first rows: line, label, text. */
  readonly preview: readonly { readonly line: number; readonly label: string; readonly text: string }[];
  readonly problems: readonly ProblemView[];
  readonly problemsTotal: number;
  /** Set when the data cannot be trained on (empty, one class, binary, too large, ...): the main reason. */
  readonly blocker?: string;
}

/** One point of the live charts. `x` is in epochs (1.5 = half-way through epoch 2). */
export interface ChartPoint {
  readonly x: number;
  readonly loss: number;
  readonly accuracy: number;
}

/** One validated epoch. */
export interface EpochPoint {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
}

/** A word of a validation sentence with the probability of each label after reading it. */
export interface TrajectoryToken {
  readonly text: string;
  /** In label order. */
  readonly probabilities: readonly number[];
}

/** A validation sentence for the report. */
export interface SampleView {
  readonly text: string;
  readonly gold: string;
  readonly predicted: string;
  readonly tokens: readonly TrajectoryToken[];
}

/** The result of a finished run. */
export interface ReportView {
  readonly labels: readonly string[];
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClass: Readonly<
    Record<
      string,
      { readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }
    >
  >;
  /** confusion[gold][predicted], in `labels` order. */
  readonly confusion: readonly (readonly number[])[];
  readonly bestEpoch: number;
  /** For a seed ensemble: every network's best epoch, in network order (the first is `bestEpoch`). */
  readonly bestEpochs?: readonly number[];
  readonly trainingExamples: number;
  readonly validationExamples: number;
  readonly seconds: number;
  readonly samples: readonly SampleView[];
  /** The name the model was saved under, once saved. */
  readonly savedAs?: string;
  /** False after a window reload: the trained weights lived in the worker and are gone. */
  readonly saveable: boolean;
}

/** "best epoch 4", or for a seed ensemble "2 networks, best epochs 4 and 6". */
export function bestEpochText(report: Pick<ReportView, 'bestEpoch' | 'bestEpochs'>): string {
  const epochs = report.bestEpochs;
  if (!epochs || epochs.length < 2) return `best epoch ${report.bestEpoch}`;
  return `${epochs.length} networks, best epochs ${epochs.slice(0, -1).join(', ')} and ${epochs[epochs.length - 1]}`;
}

/** The state of a run. */
export type RunStatus = 'idle' | 'starting' | 'pretraining' | 'training' | 'done' | 'cancelled' | 'failed' | 'crashed';

/** The statuses of a run that is going on. */
export const RUNNING_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(['starting', 'pretraining', 'training']);

/** Everything about the current (or last) run. */
export interface RunView {
  readonly status: RunStatus;
  /** What happened, in one sentence (for cancelled / failed / crashed, and notes). */
  readonly message?: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /**
   * For a seed ensemble: the network being trained (from 1) and how many there are; the epoch,
   * batch and charts are that network's.
   */
  readonly member?: number;
  readonly members?: number;
  readonly elapsedSeconds: number;
  readonly remainingSeconds?: number;
  /** Running training loss/accuracy during epochs. */
  readonly points: readonly ChartPoint[];
  readonly epochPoints: readonly EpochPoint[];
  readonly report?: ReportView;
}

/** A model in the list. */
export interface ModelView {
  readonly name: string;
  readonly origin: 'bundled' | 'user';
  readonly accuracy?: number;
  readonly macroF1?: number;
  readonly createdAt?: string;
  readonly description?: string;
  readonly labels?: readonly string[];
  /** Features that use it now. */
  readonly activeFor: readonly Feature[];
  /** Set when the folder cannot be read. */
  readonly problem?: string;
}

/** The whole panel. */
export interface PanelSnapshot {
  readonly source?: SourceView;
  readonly settings: PanelTrainingSettings;
  /** Default of every setting, for "reset" and for the explanations. */
  readonly defaults: PanelTrainingSettings;
  readonly run: RunView;
  readonly models: readonly ModelView[];
  /** The size limit of a training file, stated in the panel. */
  readonly maxFileBytes: number;
  /** A transient note (e.g. "Loading..."), or an error about the file. */
  readonly notice?: string;
}

/** A run that has not started. */
export const IDLE_RUN: RunView = Object.freeze({
  status: 'idle',
  epoch: 0,
  epochs: 0,
  batch: 0,
  batches: 0,
  elapsedSeconds: 0,
  points: [],
  epochPoints: [],
});
