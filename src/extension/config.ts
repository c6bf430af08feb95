import * as vscode from 'vscode';
import type { ColourMode } from '../core/scoring';

/** How highlighted words are marked. */
export type HighlightStyle = 'background' | 'underline';

/** Severity names as the settings spell them. */
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

/** A typed, frozen snapshot of the `sentimentLens.*` settings this extension reads. */
export interface SentimentLensConfig {
  readonly highlight: {
    readonly colorBy: ColourMode;
    readonly style: HighlightStyle;
    readonly sentenceAnnotations: boolean;
    readonly maxSelectionLength: number;
  };
  readonly comments: {
    readonly threshold: number;
    readonly severity: vscode.DiagnosticSeverity;
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
      threshold: number('comments.threshold', 0.8, 0.5, 1),
      severity: SEVERITIES[oneOf<SeverityName>('comments.severity', ['error', 'warning', 'information', 'hint'], 'information')],
      live: c.get<boolean>('comments.live', false) === true,
      liveLanguages: Object.freeze(Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : []),
      liveDelayMs: number('comments.liveDelay', 600, 100, 10_000),
      checkInputBoxes: c.get<boolean>('comments.checkInputBoxes', true) !== false,
      maxFileSize: number('comments.maxFileSize', 1_000_000, 1_000, 50_000_000),
      maxWorkspaceFiles: number('comments.maxWorkspaceFiles', 5_000, 1, 100_000),
    }),
  });
}
