import * as vscode from 'vscode';
import { CHECK_DEFAULTS, CHECK_SETTING_KEYS, FINDING_KINDS, FindingKind, SEVERITY_NAMES, SeverityName } from '../core/checkSettings';
import type { ColourMode } from '../core/scoring';

/** How highlighted words are marked. */
export type HighlightStyle = 'background' | 'underline';

export type { SeverityName } from '../core/checkSettings';

/** The settings of one kind of comment finding. */
export interface FindingSettings {
  readonly threshold: number;
  readonly severity: vscode.DiagnosticSeverity;
}

/** A typed, frozen snapshot of the `sentimentLens.*` settings this extension reads. */
export interface SentimentLensConfig {
  readonly highlight: {
    readonly colorBy: ColourMode;
    readonly style: HighlightStyle;
    readonly sentenceAnnotations: boolean;
    readonly maxSelectionLength: number;
  };
  readonly comments: {
    /** Threshold and severity per kind: harsh (`comments.harshness.*`), negative tone (`comments.threshold`, `comments.severity`). */
    readonly findings: Readonly<Record<FindingKind, FindingSettings>>;
    readonly live: boolean;
    readonly liveLanguages: readonly string[];
    readonly liveDelayMs: number;
    readonly checkInputBoxes: boolean;
    readonly maxFileSize: number;
    readonly maxWorkspaceFiles: number;
  };
}

const SEVERITIES: Record<SeverityName, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The section all settings live under. */
export const CONFIG_SECTION = 'sentimentLens';

/** Reads the settings (for a resource, when given) into a frozen snapshot; bad values fall back to defaults. */
export function readConfig(scope?: vscode.ConfigurationScope): SentimentLensConfig {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = c.get<string>(key);
    return allowed.includes(value as T) ? (value as T) : fallback;
  };
  const number = (key: string, fallback: number, min: number, max: number): number => {
    const value = c.get<number>(key);
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  };
  const languages = c.get<unknown>('comments.liveLanguages');
  return Object.freeze({
    highlight: Object.freeze({
      colorBy: oneOf<ColourMode>('highlight.colorBy', ['trajectory', 'contribution'], 'trajectory'),
      style: oneOf<HighlightStyle>('highlight.style', ['background', 'underline'], 'background'),
      sentenceAnnotations: c.get<boolean>('highlight.sentenceAnnotations', true) !== false,
      maxSelectionLength: number('highlight.maxSelectionLength', 20_000, 100, 1_000_000),
    }),
    comments: Object.freeze({
      findings: Object.freeze(Object.fromEntries(FINDING_KINDS.map((kind) => {
        const keys = CHECK_SETTING_KEYS[kind];
        const defaults = CHECK_DEFAULTS[kind];
        return [kind, Object.freeze({
          threshold: number(keys.threshold, defaults.threshold, defaults.minimumThreshold, defaults.maximumThreshold),
          severity: SEVERITIES[oneOf<SeverityName>(keys.severity, SEVERITY_NAMES, defaults.severity)],
        })];
      })) as Record<FindingKind, FindingSettings>),
      live: c.get<boolean>('comments.live', false) === true,
      liveLanguages: Object.freeze(Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : []),
      liveDelayMs: number('comments.liveDelay', 600, 100, 10_000),
      checkInputBoxes: c.get<boolean>('comments.checkInputBoxes', true) !== false,
      maxFileSize: number('comments.maxFileSize', 1_000_000, 1_000, 50_000_000),
      maxWorkspaceFiles: number('comments.maxWorkspaceFiles', 5_000, 1, 100_000),
    }),
  });
}
