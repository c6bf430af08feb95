import * as vscode from 'vscode';
import {
  CHECK_SETTING_KEYS,
  FINDING_KINDS,
  FindingKind,
  MANIFEST_SETTING_KEYS,
  manifestSetting,
  SeverityName,
} from '../core/comments/checkSettings';
import type { ColourMode } from '../core/classify/scoring';
import type { Feature } from '../protocol/features';
import { ConfigSection, MODEL_SETTING_KEYS, ModelRole, sectionOf } from './configSections';

/** How highlighted words are marked. */
export type HighlightStyle = 'background' | 'underline';

export type { SeverityName } from '../core/comments/checkSettings';
export type { ConfigSection, ModelRole } from './configSections';

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
  /** The model name each role is set to use (its default when unset or empty). */
  readonly models: Readonly<Record<ModelRole, string>>;
}

const SEVERITIES: Record<SeverityName, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The section all settings live under. */
export const CONFIG_SECTION = 'sentimentLens';

/**
 * Reads the settings (for a resource, when given) into a frozen snapshot. Defaults, bounds and
 * allowed values come from package.json's `contributes.configuration`; a bad value falls back to the
 * default, a number out of bounds is clamped. `cap` bounds numbers package.json leaves unbounded.
 */
function readConfig(scope?: vscode.Uri): SentimentLensConfig {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const oneOf = <T extends string>(key: string): T => {
    const { enum: allowed = [], default: fallback } = manifestSetting(key);
    const value = c.get<string>(key);
    return (allowed.includes(value as T) ? value : fallback) as T;
  };
  const number = (key: string, cap = Number.POSITIVE_INFINITY): number => {
    const { default: fallback, minimum = Number.NEGATIVE_INFINITY, maximum = cap } = manifestSetting(key);
    const value = c.get<number>(key);
    return typeof value === 'number' && Number.isFinite(value)
      ? Math.min(maximum, Math.max(minimum, value))
      : Number(fallback);
  };
  const flag = (key: string): boolean => {
    const value = c.get<unknown>(key);
    return typeof value === 'boolean' ? value : manifestSetting(key).default === true;
  };
  const modelName = (key: string): string => c.get<string>(key) || String(manifestSetting(key).default);
  const languages = c.get<unknown>('comments.liveLanguages');
  return Object.freeze({
    highlight: Object.freeze({
      colorBy: oneOf<ColourMode>('highlight.colorBy'),
      style: oneOf<HighlightStyle>('highlight.style'),
      sentenceAnnotations: flag('highlight.sentenceAnnotations'),
      maxSelectionLength: number('highlight.maxSelectionLength', 1_000_000),
    }),
    comments: Object.freeze({
      findings: Object.freeze(
        Object.fromEntries(
          FINDING_KINDS.map((kind) => {
            const keys = CHECK_SETTING_KEYS[kind];
            return [
              kind,
              Object.freeze({
                threshold: number(keys.threshold),
                severity: SEVERITIES[oneOf<SeverityName>(keys.severity)],
              }),
            ];
          }),
        ) as Record<FindingKind, FindingSettings>,
      ),
      live: flag('comments.live'),
      liveLanguages: Object.freeze(
        Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : [],
      ),
      liveDelayMs: number('comments.liveDelay'),
      checkInputBoxes: flag('comments.checkInputBoxes'),
      maxFileSize: number('comments.maxFileSize', 50_000_000),
      maxWorkspaceFiles: number('comments.maxWorkspaceFiles', 100_000),
    }),
    models: Object.freeze(
      Object.fromEntries(Object.entries(MODEL_SETTING_KEYS).map(([role, key]) => [role, modelName(key)])) as Record<
        ModelRole,
        string
      >,
    ),
  });
}

/** Snapshots kept at most (one per resource read); past this the cache starts again. */
const MAX_SNAPSHOTS = 256;

/**
 * The one reader of the `sentimentLens.*` settings: a frozen snapshot per scope, read once and kept
 * until a setting changes, and one change event per section, so that each consumer reacts to the
 * sections it uses (a colour style does not reload models; a model name does not repaint).
 */
export class ConfigService implements vscode.Disposable {
  private readonly snapshots = new Map<string, SentimentLensConfig>();
  private readonly changed = new vscode.EventEmitter<ReadonlySet<ConfigSection>>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(CONFIG_SECTION)) return;
      this.snapshots.clear();
      const sections = new Set(
        MANIFEST_SETTING_KEYS.filter((key) => e.affectsConfiguration(`${CONFIG_SECTION}.${key}`)).map(sectionOf),
      );
      if (sections.size) this.changed.fire(sections);
    });
  }

  /** The settings for a resource (or the window's, without one). */
  get(scope?: vscode.Uri): SentimentLensConfig {
    const key = scope?.toString() ?? '';
    let snapshot = this.snapshots.get(key);
    if (!snapshot) {
      if (this.snapshots.size >= MAX_SNAPSHOTS) this.snapshots.clear();
      snapshot = readConfig(scope);
      this.snapshots.set(key, snapshot);
    }
    return snapshot;
  }

  /** Calls `listener` with the window's new settings of `section` after any of them changed. */
  onDidChange<S extends ConfigSection>(
    section: S,
    listener: (settings: SentimentLensConfig[S]) => void,
  ): vscode.Disposable {
    return this.changed.event((sections) => {
      if (sections.has(section)) listener(this.get()[section]);
    });
  }

  /** Sets the model a feature uses, user-wide (undefined: back to the default). */
  async setModel(feature: Feature, name: string | undefined): Promise<void> {
    await vscode.workspace
      .getConfiguration(CONFIG_SECTION)
      .update(MODEL_SETTING_KEYS[feature], name, vscode.ConfigurationTarget.Global);
    this.snapshots.clear();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
