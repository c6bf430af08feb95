import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

/** Every module a file names: imports (type-only ones too), re-exports and require() of relative paths, resolved to files. */
function localDependencies(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm),
    ...text.matchAll(/\b(?:require|import)\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specs.flatMap((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const found = [base, `${base}.ts`, path.join(base, 'index.ts')].find(
      (candidate) => candidate.endsWith('.ts') && fs.existsSync(candidate),
    );
    return found ? [found] : [];
  });
}

/** The import cycles among files, each as the list of files around it (one per strongly connected group). */
export function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((file) => [file, localDependencies(file)]));
  // Tarjan's strongly connected components, iterative so that a long chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const root of files) {
    if (index.has(root)) continue;
    const work: { file: string; next: number }[] = [{ file: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.file) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.file, Math.min(low.get(frame.file)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].file;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.file)!));
      }
      if (low.get(frame.file) === index.get(frame.file)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.file);
        const selfImport = (graph.get(frame.file) ?? []).includes(frame.file);
        if (group.length > 1 || selfImport) cycles.push(group.sort());
      }
    }
  }
  return cycles;
}

describe('module boundaries', () => {
  it('has no import cycles under src/ (type-only imports count too)', () => {
    const cycles = importCycles(filesUnder(src)).map((group) => group.map((f) => path.relative(src, f)).join(' <-> '));
    assert.deepEqual(cycles, []);
  });

  it('finds an import cycle when there is one (the check itself)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "export { c } from './c';\nexport type B = number;\n");
      fs.writeFileSync(path.join(dir, 'c.ts'), "import './a';\nexport const c = 1;\n");
      fs.writeFileSync(path.join(dir, 'd.ts'), "import { c } from './c';\nexport const d = c;\n");
      const cycles = importCycles(['a.ts', 'b.ts', 'c.ts', 'd.ts'].map((f) => path.join(dir, f)));
      assert.deepEqual(
        cycles.map((group) => group.map((f) => path.basename(f))),
        [['a.ts', 'b.ts', 'c.ts']],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports vscode only under src/extension/', () => {
    const offenders = filesUnder(src).filter(
      (file) => !file.startsWith(path.join(src, 'extension')) && runtimeImports(file).includes('vscode'),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(src, f)),
      [],
    );
  });

  it('keeps the webview script free of Node APIs and of core runtime code', () => {
    const offenders = filesUnder(path.join(src, 'webview')).flatMap((file) =>
      runtimeImports(file)
        .filter((spec) => spec.startsWith('node:') || spec.includes('/core/') || !spec.startsWith('.'))
        .map((spec) => `${path.relative(src, file)}: ${spec}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('imports no dev dependency and nothing from scripts/ under src/, and never loads the lexicon libraries of npm run compare', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(src, '..', 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const devOnly = new Set(Object.keys(manifest.devDependencies).filter((name) => !name.startsWith('@types/')));
    const packageOf = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    const offenders = filesUnder(src).flatMap((file) => {
      // require() is checked for the lexicons only: dev-time tools may be required lazily (wabt).
      const requires = [...fs.readFileSync(file, 'utf8').matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
        (m) => m[1],
      );
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
      [
        ...fs
          .readFileSync(file, 'utf8')
          .matchAll(/[\w.]*(?:\.push|\.unshift|Math\.max|Math\.min|fromCharCode)\((?:[^()]*,\s*)?\.\.\.\w+/g),
      ]
        .map((m) => `${path.relative(src, file)}: ${m[0]}`)
        .filter((found) => ![...bounded].some((allowed) => found.startsWith(allowed) || allowed.startsWith(found))),
    );
    assert.deepEqual(offenders, []);
  });

  it('keeps core/ to core/ and protocol/: no import from the other layers, no file looked up beside its own code', () => {
    const core = path.join(src, 'core');
    const offenders = filesUnder(core).flatMap((file) => {
      const outside = localDependencies(file)
        .filter((dependency) => !dependency.startsWith(core) && !dependency.startsWith(path.join(src, 'protocol')))
        .map((dependency) => `imports ${path.relative(src, dependency)}`);
      // Paths of scripts and folders (the engine helper's entry, the bundled models) come from the entry points.
      const lookups = /\b__(?:dirname|filename)\b/.test(fs.readFileSync(file, 'utf8'))
        ? ['uses __dirname/__filename']
        : [];
      return [...outside, ...lookups].map((problem) => `${path.relative(src, file)}: ${problem}`);
    });
    assert.deepEqual(offenders, []);
  });

  it('keeps the protocol free of runtime dependencies (type imports and its own guards only)', () => {
    const offenders = filesUnder(path.join(src, 'protocol')).flatMap((file) =>
      runtimeImports(file)
        .filter((spec) => !spec.startsWith('./'))
        .map((spec) => `${path.relative(src, file)}: ${spec}`),
    );
    assert.deepEqual(offenders, []);
  });
});
