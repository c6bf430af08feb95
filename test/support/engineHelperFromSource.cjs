// The engine helper thread's entry when running from source under mocha or tsx: a worker thread
// does not inherit their TypeScript loader, so it registers tsx itself before loading the entry.
require('tsx/cjs');
require('../../src/worker/engineHelper.ts');
