import * as vscode from 'vscode';
import { Classifier } from '../core/classify/classifier';
import { LoadedClassifierModel, loadClassifierModel } from '../core/training/modelFiles';
import type { ConfigService, ModelRole } from './config';
import { ModelStore } from './modelStore';

/** The bundled model the highlight and tone features fall back to when their configured model cannot be used. */
export const FALLBACK_MODEL = 'movie-reviews';

/** Per role: the model used when its own cannot be (none: the role is off without its model). */
const FALLBACKS: Readonly<Record<ModelRole, string | undefined>> = Object.freeze({
  highlight: FALLBACK_MODEL,
  comments: FALLBACK_MODEL,
  harshness: undefined,
});

/** A ready classifier and the model it came from. */
export interface ActiveModel {
  readonly name: string;
  readonly model: LoadedClassifierModel;
  readonly classifier: Classifier;
}

/**
 * Loads models lazily (on first use, never during activation), caches them by folder, and falls
 * back to the bundled movie-review model with a warning when the configured highlight or tone model
 * is missing or broken (the harshness model has no fallback: `get('harshness')` throws and the
 * comment check turns harsh findings off). The cache is dropped when a model setting or the user's
 * models change.
 */
export class ModelService implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<ActiveModel>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly warned = new Set<string>();

  constructor(
    private readonly store: ModelStore,
    private readonly config: ConfigService,
    private readonly log: vscode.LogOutputChannel,
    /** The engine helper thread's entry script, for the classifiers' second thread. */
    private readonly helperScript: string,
  ) {
    this.disposables.push(
      store.onDidChange(() => this.clearCache()),
      config.onDidChange('models', () => this.clearCache()),
    );
  }

  /** Name of the model configured for a feature (or the harshness model). */
  configuredName(feature: ModelRole): string {
    return this.config.get().models[feature];
  }

  /** The model for a feature, loading it on first use; throws when neither it nor its fallback can be used. */
  async get(feature: ModelRole): Promise<ActiveModel> {
    const name = this.configuredName(feature);
    const fallback = FALLBACKS[feature];
    try {
      return await this.load(name);
    } catch (error) {
      if (fallback === undefined || name === fallback) throw error;
      // Logged and shown once per model name: checks that run as the user types would repeat it endlessly.
      if (!this.warned.has(name)) {
        this.warned.add(name);
        this.log.warn(
          `the model "${name}" configured for ${feature} cannot be used; using the bundled "${fallback}" model instead:`,
          error,
        );
        if (this.warned.size === 1) {
          void vscode.window.showWarningMessage(
            `Sentiment Lens: the model "${name}" is not available; using "${fallback}" instead. See the Sentiment Lens output for details.`,
          );
        }
      }
      return this.load(fallback);
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
        return { name, model, classifier: new Classifier(model, { helperScript: this.helperScript }) };
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
