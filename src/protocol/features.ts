/**
 * The features that each use a model of their own choosing (the setting sentimentLens.<feature>.model),
 * as the training panel and the model commands assign them. Imports nothing, so the host, the
 * webview and the protocol's guards all use this one list. `checkedOnSave`: whether the panel's
 * save form offers to make a new model active for the feature.
 */
export const FEATURES = [
  { id: 'highlight', name: 'highlighting', shortName: 'highlighting', checkedOnSave: true },
  { id: 'comments', name: 'comment checks', shortName: 'comments', checkedOnSave: false },
] as const;

/** A feature's id. */
export type Feature = (typeof FEATURES)[number]['id'];

/** Every feature id, in display order. */
export const FEATURE_IDS: readonly Feature[] = Object.freeze(FEATURES.map((feature) => feature.id));

/** What a feature is called in sentences ("used for comment checks"). */
export function featureName(feature: Feature): string {
  return FEATURES.find((f) => f.id === feature)!.name;
}

/** A feature's name where space is short (the models table, button labels). */
export function featureShortName(feature: Feature): string {
  return FEATURES.find((f) => f.id === feature)!.shortName;
}
