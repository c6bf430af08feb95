/**
 * The API `activate` returns: what other extensions and the integration tests get from
 * `vscode.extensions.getExtension('sentiment-lens.sentiment-lens').exports`.
 * Grows member by member (classification and more come next); existing members keep their meaning.
 */
export interface SentimentLensApi {
  /** The extension's version, from its package.json. */
  readonly version: string;
}
