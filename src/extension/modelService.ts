import * as vscode from 'vscode';
import { Classifier } from '../core/classifier';
import { LoadedClassifierModel, loadClassifierModel } from '../core/modelFiles';
import { ModelStore } from './modelStore';

/** The features that each use a model of their own choosing (settings sentimentLens.<feature>.model). */
export type ModelFeature = 'highlight' | 'comments';

/** The bundled model each feature falls back to when its configured model cannot be used. */
export const FALLBACK_MODEL = 'movie-reviews';

/** A ready classifier and the model it came from. */
export interface ActiveModel {
  readonly name: string;
  readonly model: LoadedClassifierModel;
  readonly classifier: Classifier;
}

/**
 * Loads models lazily (on first use, never during activation), caches them by folder, and falls
 * back to the bundled movie-review model with a warning when the configured model is missing or
 * broken. The cache is dropped when settings or the user's models change.
 */
export class ModelService implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<ActiveModel>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly warned = new Set<string>();

  constructor(
    private readonly store: ModelStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      store.onDidChange(() => this.clearCache()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sentimentLens')) this.clearCache();
      }),
    );
  }

  /** Name of the model configured for a feature. */
  configuredName(feature: ModelFeature): string {
    const fallback = feature === 'comments' ? 'review-tone' : FALLBACK_MODEL;
    return vscode.workspace.getConfiguration('sentimentLens').get<string>(`${feature}.model`, fallback) || fallback;
  }

  /** The model for a feature, loading it on first use. */
  async get(feature: ModelFeature): Promise<ActiveModel> {
    const name = this.configuredName(feature);
    try {
      return await this.load(name);
    } catch (error) {
      if (name === FALLBACK_MODEL) throw error;
      // Logged and shown once per model name: checks that run as the user types would repeat it endlessly.
      if (!this.warned.has(name)) {
        this.warned.add(name);
        this.log.warn(`the model "${name}" configured for ${feature} cannot be used; using the bundled "${FALLBACK_MODEL}" model instead:`, error);
        if (this.warned.size === 1) {
          void vscode.window.showWarningMessage(`Sentiment Lens: the model "${name}" is not available; using "${FALLBACK_MODEL}" instead. See the Sentiment Lens output for details.`);
        }
      }
      return this.load(FALLBACK_MODEL);
    }
  }

  private load(name: string): Promise<ActiveModel> {
    const entry = this.store.find(name);
    if (!entry) return Promise.reject(new Error(`no model named "${name}" is installed`));
    let pending = this.cache.get(entry.dir);
    if (!pending) {
      const started = Date.now();
      pending = loadClassifierModel(entry.dir).then((model) => {
        this.log.info(`loaded model "${name}" from ${entry.dir} in ${Date.now() - started} ms`);
        return { name, model, classifier: new Classifier(model) };
      });
      pending.catch(() => this.cache.delete(entry.dir));
      this.cache.set(entry.dir, pending);
    }
    return pending;
  }

  /** Drops the loaded models, ending their helper threads (each holds a copy of its model's weights). */
  private clearCache(): void {
    for (const pending of this.cache.values()) {
      pending.then((active) => active.classifier.dispose()).catch(() => undefined);
    }
    this.cache.clear();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.clearCache();
  }
}
