// Bundles the suites that run inside VS Code, one file per entry: out/integration/ (test/integration/*.ts,
// against the extension's source folder) and out/package/ (test/package/*.ts, against the installed .vsix),
// each with index.js (the extensionTestsPath runner, test/integration/index.ts) and one *.test.js per test file.
// `vscode` comes from the extension host and mocha from node_modules at run time.
// Usage: node scripts/buildTests.mjs
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

for (const suite of ['integration', 'package']) {
  const entryPoints = [
    { in: 'test/integration/index.ts', out: 'index' },
    ...readdirSync(`test/${suite}`)
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => ({ in: `test/${suite}/${file}`, out: file.slice(0, -3) })),
  ];
  rmSync(`out/${suite}`, { recursive: true, force: true }); // no stale tests from renamed files
  await esbuild.build({
    entryPoints,
    outdir: `out/${suite}`,
    bundle: true,
    sourcemap: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  console.log(`built ${entryPoints.length} ${suite} entries into out/${suite}/`);
}
