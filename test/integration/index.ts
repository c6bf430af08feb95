// extensionTestsPath entry: VS Code loads this file in the extension host and awaits run();
// a rejected promise makes the host exit with status 1. Used by both the offline harness
// (scripts/vscodeHost/run.mjs) and desktop VS Code (scripts/vscodeHost/electron.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Runs every `*.test.js` bundled next to this file and ends with the line CI reads: "N passed, N failed". */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  const testFiles = fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of testFiles) mocha.addFile(path.join(__dirname, file));

  return new Promise((resolve, reject) => {
    const runner = mocha.run(() => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      console.log(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (passes === 0)
        reject(new Error(`no integration tests ran (test files: ${testFiles.join(', ') || 'none'})`));
      else resolve();
    });
  });
}
