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

  it('keeps the protocol free of runtime dependencies (type imports and its own guards only)', () => {
    const offenders = filesUnder(path.join(src, 'protocol')).flatMap((file) =>
      runtimeImports(file).filter((spec) => !spec.startsWith('./')).map((spec) => `${path.relative(src, file)}: ${spec}`));
    assert.deepEqual(offenders, []);
  });
});
