/** Access to the full datasets (scripts/dataDir.ts) for unit tests: a test that needs one skips, naming it, when it is absent. */
import { existsSync } from 'node:fs';
import { dataPath } from '../../scripts/dataDir';

export { dataPath };

/**
 * Skips the running test when `file` does not exist, adding the reason to its title so the report
 * names the missing file (mocha's skip() takes no message). Call as `needsData(this, FILE)`.
 */
export function needsData(context: Mocha.Context, file: string): void {
  if (existsSync(file)) return;
  if (context.test) context.test.title += ` [needs ${file}, not found: set SENTIMENT_LENS_DATA to the datasets folder]`;
  context.skip();
}
