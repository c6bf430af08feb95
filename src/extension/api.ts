import type { Classification } from '../core/classifier';
import type { ModelFeature } from './modelService';

/**
 * The API `activate` returns: what other extensions and the integration tests get from
 * `vscode.extensions.getExtension('sentiment-lens.sentiment-lens').exports`.
 * Grows member by member; existing members keep their meaning.
 */
export interface SentimentLensApi {
  /** The extension's version, from its package.json. */
  readonly version: string;
  /**
   * Classifies a text with the model configured for a feature (default 'highlight'): label,
   * probabilities and the per-word trajectory with character ranges.
   */
  classify(text: string, feature?: ModelFeature): Promise<Classification & { readonly model: string }>;
}
