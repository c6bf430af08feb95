import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const src = path.join(__dirname, '..', '..', 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Runtime (non-type) imports of a file: `import x from 'y'` and `import 'y'`, not `import type`. */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const imports = [...text.matchAll(/^import\s+(?!type\s)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  return imports;
}

describe('module boundaries', () => {
  it('imports vscode only under src/extension/', () => {
    const offenders = filesUnder(src).filter((file) => !file.startsWith(path.join(src, 'extension')) && runtimeImports(file).includes('vscode'));
    assert.deepEqual(offenders.map((f) => path.relative(src, f)), []);
  });

  it('keeps the webview script free of Node APIs and of core runtime code', () => {
    const offenders = filesUnder(path.join(src, 'webview')).flatMap((file) =>
      runtimeImports(file).filter((spec) => spec.startsWith('node:') || spec.includes('/core/') || !spec.startsWith('.')).map((spec) => `${path.relative(src, file)}: ${spec}`));
    assert.deepEqual(offenders, []);
  });

  it('imports no dev dependency and nothing from scripts/ under src/, and never loads the lexicon libraries of npm run compare', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(src, '..', 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const devOnly = new Set(Object.keys(manifest.devDependencies).filter((name) => !name.startsWith('@types/')));
    const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    const offenders = filesUnder(src).flatMap((file) => {
      // require() is checked for the lexicons only: dev-time tools may be required lazily (kernelsWat.ts and wabt).
      const requires = [...fs.readFileSync(file, 'utf8').matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
      return [
        ...runtimeImports(file).filter((spec) => devOnly.has(packageOf(spec)) || spec.includes('/scripts/')),
        ...requires.filter((spec) => spec === 'sentiment' || spec === 'vader-sentiment' || spec.includes('/scripts/')),
      ].map((spec) => `${path.relative(src, file)}: ${spec}`);
    });
    assert.deepEqual(offenders, []);
  });

  it('spreads no array of data-dependent length into a call (push(...x), Math.max(...x): a stack overflow past ~100k items)', () => {
    // Spreads whose length is bounded by the code itself.
    const bounded = new Set([
      'core/readers/encoding.ts: String.fromCharCode(...codes)', // chunks of 8,192 bytes
      'extension/extension.ts: context.subscriptions.push(...registerCommands', // one per command
    ]);
    const offenders = filesUnder(src).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/[\w.]*(?:\.push|\.unshift|Math\.max|Math\.min|fromCharCode)\((?:[^()]*,\s*)?\.\.\.\w+/g)]
        .map((m) => `${path.relative(src, file)}: ${m[0]}`)
        .filter((found) => ![...bounded].some((allowed) => found.startsWith(allowed) || allowed.startsWith(found))));
    assert.deepEqual(offenders, []);
  });

  it('keeps the protocol free of runtime dependencies (type imports and its own guards only)', () => {
    const offenders = filesUnder(path.join(src, 'protocol')).flatMap((file) =>
      runtimeImports(file).filter((spec) => !spec.startsWith('./')).map((spec) => `${path.relative(src, file)}: ${spec}`));
    assert.deepEqual(offenders, []);
  });
});
