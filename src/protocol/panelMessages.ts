/**
 * Messages between the training panel (webview) and the extension host: one union per direction,
 * keyed on `type`, with a type guard each side runs on arrival. The panel says `ready` first; the
 * host answers with `init`. Requests that expect an answer carry a `requestId`.
 */
import type { LabelledFormat } from '../core/readers/types';
import {
  isArrayOf,
  isBoolean,
  isNonEmptyString,
  isNumber,
  isOneOf,
  isRecord,
  isRequestId,
  isString,
  optional,
} from './guards';
import { Feature, FEATURE_IDS } from './features';
import { hasSettingType, PANEL_SETTINGS, PanelTrainingSettings } from './trainingSettings';
import type { ModelView, PanelSnapshot, RunView, SourceView } from './views';

export const LABELLED_FORMATS: readonly LabelledFormat[] = ['csv', 'tsv', 'jsonl', 'labeltab', 'polarity-pair'];

/** Panel -> host. */
export type PanelToHost =
  /** The script is running and listening; the host answers with `init`. */
  | { readonly type: 'ready' }
  /** Open the file dialog to choose a training file. */
  | { readonly type: 'browse' }
  /** Re-read the file with a corrected format / header / columns (undefined = detect). */
  | {
      readonly type: 'reparse';
      readonly requestId: number;
      readonly format?: LabelledFormat;
      readonly hasHeader?: boolean;
      readonly textColumn?: number | string;
      readonly labelColumn?: number | string;
    }
  /** Show the file at a problem's line. */
  | { readonly type: 'openLocation'; readonly file: string; readonly line: number }
  /** The user changed a setting (kept so that it survives hide/show). */
  | { readonly type: 'settings'; readonly settings: PanelTrainingSettings }
  | { readonly type: 'start'; readonly requestId: number; readonly settings: PanelTrainingSettings }
  | { readonly type: 'cancel' }
  /** Save the finished run's model under a name, optionally making it active. */
  | {
      readonly type: 'save';
      readonly requestId: number;
      readonly name: string;
      readonly activateFor: readonly Feature[];
    }
  | { readonly type: 'activateModel'; readonly name: string; readonly feature: Feature }
  | { readonly type: 'renameModel'; readonly name: string }
  | { readonly type: 'deleteModel'; readonly name: string }
  | { readonly type: 'exportModel'; readonly name: string }
  | { readonly type: 'importModel' };

/** Host -> panel. */
export type HostToPanel =
  /** Everything, after `ready`. */
  | { readonly type: 'init'; readonly snapshot: PanelSnapshot }
  /** The loaded file changed (or was cleared). */
  | { readonly type: 'source'; readonly source: SourceView | undefined; readonly notice?: string }
  | { readonly type: 'settings'; readonly settings: PanelTrainingSettings }
  /** The run changed: progress, end, report. */
  | { readonly type: 'run'; readonly run: RunView }
  | { readonly type: 'models'; readonly models: readonly ModelView[] }
  /** The answer to a request that carried `requestId`. */
  | {
      readonly type: 'result';
      readonly requestId: number;
      readonly outcome: 'ok' | 'failed';
      readonly message: string;
    };

/** A complete, well-typed settings object: every row of PANEL_SETTINGS (ranges are checked by resolveTrainingOptions). */
export function isPanelTrainingSettings(value: unknown): value is PanelTrainingSettings {
  return isRecord(value) && PANEL_SETTINGS.every((row) => hasSettingType(row, value[row.key]));
}

const isColumnRef = (v: unknown): v is number | string =>
  (isNumber(v) && Number.isInteger(v) && v >= 0) || isNonEmptyString(v);
const isFeature = (v: unknown): v is Feature => isOneOf(v, FEATURE_IDS);

/** Checks a message from the panel; anything else is logged and ignored by the caller. */
export function isPanelToHost(value: unknown): value is PanelToHost {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'browse':
    case 'cancel':
    case 'importModel':
      return true;
    case 'reparse':
      return (
        isRequestId(value.requestId) &&
        optional(value.format, (v): v is LabelledFormat => isOneOf(v, LABELLED_FORMATS)) &&
        optional(value.hasHeader, isBoolean) &&
        optional(value.textColumn, isColumnRef) &&
        optional(value.labelColumn, isColumnRef)
      );
    case 'openLocation':
      return isNonEmptyString(value.file) && isNumber(value.line) && Number.isInteger(value.line) && value.line >= 0;
    case 'settings':
      return isPanelTrainingSettings(value.settings);
    case 'start':
      return isRequestId(value.requestId) && isPanelTrainingSettings(value.settings);
    case 'save':
      return isRequestId(value.requestId) && isString(value.name) && isArrayOf(value.activateFor, isFeature);
    case 'activateModel':
      return isNonEmptyString(value.name) && isFeature(value.feature);
    case 'renameModel':
    case 'deleteModel':
    case 'exportModel':
      return isNonEmptyString(value.name);
    default:
      return false;
  }
}

const isRun = (v: unknown): v is RunView =>
  isRecord(v) && isString(v.status) && Array.isArray(v.points) && Array.isArray(v.epochPoints);
const isSource = (v: unknown): v is SourceView =>
  isRecord(v) &&
  isRecord(v.source) &&
  isString(v.format) &&
  Array.isArray(v.preview) &&
  Array.isArray(v.problems) &&
  isRecord(v.labelCounts);
const isModels = (v: unknown): v is ModelView[] =>
  isArrayOf(v, (m): m is ModelView => isRecord(m) && isString(m.name) && Array.isArray(m.activeFor));

/** Checks a message from the host (run by the webview). */
export function isHostToPanel(value: unknown): value is HostToPanel {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'init': {
      const s = value.snapshot;
      return (
        isRecord(s) &&
        isPanelTrainingSettings(s.settings) &&
        isPanelTrainingSettings(s.defaults) &&
        isRun(s.run) &&
        isModels(s.models) &&
        optional(s.source, isSource)
      );
    }
    case 'source':
      return optional(value.source, isSource) && optional(value.notice, isString);
    case 'settings':
      return isPanelTrainingSettings(value.settings);
    case 'run':
      return isRun(value.run);
    case 'models':
      return isModels(value.models);
    case 'result':
      return (
        isRequestId(value.requestId) && isOneOf(value.outcome, ['ok', 'failed'] as const) && isString(value.message)
      );
    default:
      return false;
  }
}
