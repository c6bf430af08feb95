// Bundles the integration suite (test/integration/*.ts) into out/integration/, one file per entry:
// index.js (the extensionTestsPath runner) and one *.test.js per test file.
// `vscode` comes from the extension host and mocha from node_modules at run time.
// Usage: node scripts/buildTests.mjs
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const entryPoints = readdirSync('test/integration')
  .filter((file) => file === 'index.ts' || file.endsWith('.test.ts'))
  .map((file) => `test/integration/${file}`);

rmSync('out/integration', { recursive: true, force: true });   // no stale tests from renamed files
await esbuild.build({
  entryPoints,
  outdir: 'out/integration',
  bundle: true,
  sourcemap: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} integration entries into out/integration/`);
