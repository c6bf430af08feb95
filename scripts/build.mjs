// Bundles the extension, the worker(s), the webview script and the CLI with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  target: 'node20',
  // tfjs's packages list their ESM entry files as side effects (backend and kernel registration);
  // with the CommonJS "main" those registrations would be tree-shaken away.
  mainFields: ['module', 'main'],
};

/** Entry points that exist so far; each is optional until its part of the project lands. */
const targets = [
  {
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  { entryPoints: ['src/worker/trainingWorker.ts'], outfile: 'dist/trainingWorker.js', platform: 'node', format: 'cjs' },
  { entryPoints: ['src/worker/engineHelper.ts'], outfile: 'dist/engineHelper.js', platform: 'node', format: 'cjs' },
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    entryPoints: ['src/webview/panel.ts'],
    outfile: 'dist/webview/panel.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
].filter((t) => existsSync(t.entryPoints[0]));

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context({ ...common, ...t })));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t })));
}
