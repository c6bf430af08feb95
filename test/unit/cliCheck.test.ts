import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const harshModel = path.join(root, 'model', 'review-harshness');
const toneModel = path.join(root, 'model', 'review-tone');

/** Runs the CLI from source (through tsx), as a user would run the built bin. */
function cli(args: string[], input?: string) {
  const result = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(root, 'src', 'cli', 'main.ts'), ...args],
    {
      cwd: root,
      input,
      encoding: 'utf8',
      timeout: 120000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const HARSH = 'Who wrote this crap?';
const REQUEST = 'Please rename this variable';

describe('cli check', () => {
  let dir: string;
  let goFile: string;
  /** A harsh threshold between the two sentences' P(harsh), read from `classify --json`, so the tests do not depend on the model's exact figures. */
  let harshThreshold: string;
  let harshProbability: number;

  before(function () {
    this.timeout(60000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-check-'));
    goFile = path.join(dir, 'cache.go');
    fs.writeFileSync(
      goFile,
      ['package cache', '', `// ${REQUEST}`, `// ${HARSH}`, 'func Get() int { return 1 }', ''].join('\n'),
    );
    const run = cli(['classify', '--model', harshModel, '--json', HARSH, REQUEST]);
    assert.equal(run.code, 0, run.stderr);
    const [harsh, request] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).probabilities.harsh as number);
    assert.ok(harsh > request, `the harshness model ranks "${HARSH}" (${harsh}) above "${REQUEST}" (${request})`);
    harshProbability = harsh;
    harshThreshold = String((harsh + request) / 2);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 2 for usage errors: nothing to check, files and --stdin, a bad format, a threshold outside (0, 1], an unknown language', () => {
    const cases: [string[], RegExp][] = [
      [['check'], /nothing to check/],
      [['check', '--stdin', goFile], /not both/],
      [['check', '--format', 'xml', goFile], /--format must be text, json or sarif/],
      [['check', '--json', '--format', 'sarif', goFile], /--json contradicts --format sarif/],
      [['check', '--harsh-threshold', '1.5', goFile], /--harsh-threshold must be in \(0, 1\]/],
      [['check', '--negative-threshold', 'high', goFile], /--negative-threshold expects a number/],
      [['check', '--language', 'klingon', goFile], /--language "klingon" is not supported/],
    ];
    for (const [args, message] of cases) {
      const run = cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('prints "file:line:col severity kind probability message" for the harsh sentence only, and exits 1', () => {
    const run = cli(['check', '--harsh-threshold', harshThreshold, '--negative-threshold', '1', goFile]);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 1, run.stdout);
    const match = /^(.+):(\d+):(\d+) (\w+) (harsh|negative) (\d\.\d{3}) (Harsh \(\d+%\).*)$/.exec(lines[0]);
    assert.ok(match, lines[0]);
    const [, file, line, column, severity, kind, probability] = match;
    assert.deepEqual([file, line, column, severity, kind], [goFile, '4', '4', 'warning', 'harsh']);
    assert.equal(probability, harshProbability.toFixed(3), 'the probability classify gives the sentence alone');
    assert.match(run.stderr, /1 finding \(1 harsh, 0 negative\) in 1 checked file/);
  });

  it('exits 0 without findings: a file without comments, and ordinary review requests under the default thresholds', () => {
    const plain = path.join(dir, 'plain.py');
    fs.writeFileSync(plain, 'x = 1\n');
    const requests = path.join(dir, 'requests.ts');
    fs.writeFileSync(requests, `// ${REQUEST}\n// nit: typo\nexport const x = 1;\n`);
    const run = cli(['check', plain, requests]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '');
  });

  it('prints one JSON document with positions, probabilities, the sentence and its words', () => {
    const run = cli(['check', '--json', '--harsh-threshold', harshThreshold, goFile]);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.checkedFiles, 1);
    assert.equal(report.thresholds.harsh, Number(harshThreshold));
    assert.equal(report.models.harsh.label, 'harsh');
    const harsh = report.findings.filter((f: { kind: string }) => f.kind === 'harsh');
    assert.equal(harsh.length, 1);
    const [finding] = harsh;
    assert.equal(finding.sentence, HARSH);
    assert.ok(Math.abs(finding.probability - harshProbability) < 1e-6);
    assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn], [4, 4, 4, 4 + HARSH.length]);
    assert.equal(finding.ruleId, 'harsh');
    const source = fs.readFileSync(goFile, 'utf8').split('\n')[3];
    assert.equal(source.slice(finding.column - 1, finding.endColumn - 1), HARSH);
    for (const word of finding.words)
      assert.ok(HARSH.toLowerCase().includes(word.word.toLowerCase()) && word.increase > 0, JSON.stringify(word));
  });

  it('writes SARIF 2.1.0 that code-scanning tools read: rules, results with level, message and a region', () => {
    const run = cli([
      'check',
      '--format',
      'sarif',
      '--harsh-threshold',
      harshThreshold,
      '--negative-threshold',
      '1',
      path.relative(root, goFile),
    ]);
    assert.equal(run.code, 1, run.stderr);
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const { driver } = log.runs[0].tool;
    assert.equal(driver.name, 'sentiment-lens');
    assert.deepEqual(
      driver.rules.map((r: { id: string }) => r.id),
      ['harsh', 'negative-tone'],
    );
    const [result] = log.runs[0].results;
    assert.equal(log.runs[0].results.length, 1);
    assert.equal(result.ruleId, 'harsh');
    assert.equal(driver.rules[result.ruleIndex].id, result.ruleId);
    assert.ok(['error', 'warning', 'note', 'none'].includes(result.level));
    assert.match(result.message.text, /^Harsh \(\d+%\)/);
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.equal(artifactLocation.uri, path.relative(root, goFile).split(path.sep).join('/'));
    assert.deepEqual(region, { startLine: 4, startColumn: 4, endLine: 4, endColumn: 4 + HARSH.length });
  });

  it('checks text piped in as prose (a review comment), named by --stdin-filename', () => {
    const run = cli(
      ['check', '--stdin', '--stdin-filename', 'review-comment', '--json', '--harsh-threshold', harshThreshold],
      `${REQUEST}\n\n${HARSH}\n`,
    );
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    const harsh = report.findings.filter((f: { kind: string }) => f.kind === 'harsh');
    assert.deepEqual(
      harsh.map((f: { file: string; line: number; column: number; sentence: string }) => [
        f.file,
        f.line,
        f.column,
        f.sentence,
      ]),
      [['review-comment', 3, 1, HARSH]],
    );
  });

  it('exits 3 for a missing file or a folder, still checking and printing the other files', () => {
    const run = cli(['check', '--harsh-threshold', harshThreshold, path.join(dir, 'missing.go'), dir, goFile]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /missing\.go: error: no such file/);
    assert.match(run.stderr, /: error: it is a folder/);
    assert.match(run.stdout, /cache\.go:4:4 warning harsh /);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('skips a file whose language it cannot tell from its name, unless --language is given', () => {
    const notes = path.join(dir, 'NOTES');
    fs.writeFileSync(notes, `${HARSH}\n`);
    const skipped = cli(['check', notes]);
    assert.equal(skipped.code, 0);
    assert.match(skipped.stderr, /NOTES: skipped: no supported language/);
    const checked = cli(['check', '--language', 'plaintext', '--harsh-threshold', harshThreshold, notes]);
    assert.equal(checked.code, 1, checked.stderr);
    assert.match(checked.stdout, /NOTES:1:1 warning harsh /);
  });

  it('exits 3 naming the model when a model folder is broken or has no harsh class', () => {
    const missing = cli(['check', '--harsh-model', path.join(dir, 'no-model'), goFile]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /--harsh-model .*no-model/);
    const wrongLabels = cli(['check', '--harsh-model', toneModel, goFile]);
    assert.equal(wrongLabels.code, 3);
    assert.match(wrongLabels.stderr, /has no class named "harsh" \(labels: negative, neutral, positive\)/);
    assert.equal(wrongLabels.stdout, '');
  });
});
