/**
 * Where the engine helper thread's entry (engineHelper.ts) is, for the entry points that run the
 * engine (the extension, the CLI, the training worker), which pass it down to Predictors and
 * trainers: the engine itself never looks for it.
 */
import * as path from 'node:path';

/**
 * The helper's entry script. Bundled, this code is part of an entry in dist/ (extension.js,
 * cli.js, trainingWorker.js) and the helper is dist/engineHelper.js beside it (scripts/build.mjs).
 * Run from source under `node --require tsx/cjs` (as the unit tests run the CLI and the training
 * worker), it is engineHelper.ts in this folder: a worker thread inherits the --require. Under
 * mocha or `tsx`, which do not pass their loader on, tests and scripts give test/support's script instead.
 */
export function engineHelperScript(): string {
  return path.join(__dirname, __filename.endsWith('.ts') ? 'engineHelper.ts' : 'engineHelper.js');
}
