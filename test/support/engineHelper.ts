/**
 * The engine helper thread's entry script for code run from source (unit tests, scripts/), which
 * they pass as `helperScript` where the extension, the CLI and the training worker pass
 * dist/engineHelper.js.
 */
import * as path from 'node:path';
import {
  trainClassifier,
  type LabelledText,
  type TrainingHooks,
  type TrainingOptions,
  type TrainingResult,
} from '../../src/core/training/training';

/** A JavaScript file that registers tsx and runs src/worker/engineHelper.ts. */
export const ENGINE_HELPER_SCRIPT = path.join(__dirname, 'engineHelperFromSource.cjs');

/** trainClassifier with {@link ENGINE_HELPER_SCRIPT} as its helper script (given hooks are added). */
export function trainFromSource(
  data: readonly LabelledText[],
  options?: Partial<TrainingOptions>,
  hooks: TrainingHooks = {},
): Promise<TrainingResult> {
  return trainClassifier(data, options, { helperScript: ENGINE_HELPER_SCRIPT, ...hooks });
}
