/**
 * Which settings change together, without VS Code APIs (unit-tested): the settings naming each
 * role's model, and the section of every setting key, so that a change of a colour style repaints
 * highlights without reloading models and a model name reloads models without repainting.
 */
import { CHECK_SETTING_KEYS } from '../core/comments/checkSettings';
import type { Feature } from '../protocol/features';

/** Every use of a model: the features (protocol/features.ts), and the harshness model of the comment check. */
export type ModelRole = Feature | 'harshness';

/** The setting (under `sentimentLens.`) that names each role's model. */
export const MODEL_SETTING_KEYS: Readonly<Record<ModelRole, string>> = Object.freeze({
  highlight: 'highlight.model',
  comments: CHECK_SETTING_KEYS.negative.model,
  harshness: CHECK_SETTING_KEYS.harsh.model,
});

/** A part of the settings that changes as one: the model names, and the other settings of each feature. */
export type ConfigSection = 'highlight' | 'comments' | 'models';

/** The section a setting key (under `sentimentLens.`) belongs to. */
export function sectionOf(key: string): ConfigSection {
  if (Object.values(MODEL_SETTING_KEYS).includes(key)) return 'models';
  return key.startsWith('highlight.') ? 'highlight' : 'comments';
}
