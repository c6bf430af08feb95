import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'cli');

/** Runs the CLI from source (through tsx), as a user would run the built bin. */
function cli(args: string[], input?: string, cwd = root) {
  const result = spawnSync(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), path.join(root, 'src', 'cli', 'main.ts'), ...args],
    {
      cwd,
      input,
      encoding: 'utf8',
      timeout: 120000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cli', () => {
  let modelDir: string;

  before(function () {
    this.timeout(180000);
    modelDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-')), 'tiny');
    const trained = cli([
      'train',
      '--file',
      path.join(fixtures, 'reviews.tsv'),
      '--out',
      modelDir,
      '--epochs',
      '15',
      '--learning-rate',
      '0.01',
      '--units',
      '16',
      '--embedding-dim',
      '16',
      '--validation-split',
      '0.25',
      '--batch-size',
      '8',
    ]);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stderr, /epoch 1\/15/);
  });

  after(() => fs.rmSync(path.dirname(modelDir), { recursive: true, force: true }));

  it('exits 2 with the usage text when no command is given', () => {
    const run = cli([]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Usage:/);
  });

  it('exits 2 for an unknown command, an unknown flag and a non-numeric number', () => {
    assert.equal(cli(['frobnicate']).code, 2);
    assert.equal(cli(['classify', '--no-such-flag', 'x']).code, 2);
    const run = cli(['train', '--file', 'x.tsv', '--out', 'y', '--epochs', 'many']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--epochs expects a number, got "many"/);
  });

  it('exits 2 when --pos comes without --neg', () => {
    const run = cli(['eval', '--model', modelDir, '--pos', 'a.pos']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--pos and --neg go together/);
  });

  it('exits 1 naming the file and line of a malformed row', () => {
    const run = cli(['eval', '--model', modelDir, '--file', path.join(fixtures, 'malformed.tsv')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /malformed\.tsv:3: error/);
  });

  it('exits 1 naming the folder when the model folder is broken', () => {
    const run = cli(['classify', '--model', path.join(fixtures, 'no-such-model'), 'fine']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no-such-model/);
  });

  it('prints one JSON object per text with label, probabilities and a per-token trajectory', () => {
    const text = 'The plot is dull, but the cast is charming!';
    const run = cli(['classify', '--model', modelDir, '--json', text, 'the film is wonderful']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    const first = lines[0];
    assert.ok(['positive', 'negative'].includes(first.label));
    assert.ok(Math.abs(first.probabilities.positive + first.probabilities.negative - 1) < 1e-5);
    assert.deepEqual(
      first.tokens.map((t: { text: string }) => t.text),
      ['the', 'plot', 'is', 'dull', ',', 'but', 'the', 'cast', 'is', 'charming', '!'],
    );
    for (const token of first.tokens) {
      assert.equal(text.slice(token.start, token.end).toLowerCase(), token.text);
      assert.ok(Math.abs(token.probabilities.positive + token.probabilities.negative - 1) < 1e-5);
    }
    // The last token's probabilities are the sentence's.
    assert.deepEqual(first.tokens.at(-1).probabilities, first.probabilities);
  });

  it('classifies every stdin line in one process, in order', () => {
    const input = Array.from({ length: 700 }, (_, i) => (i % 2 ? 'the film is wonderful' : 'the plot is dull')).join(
      '\n',
    );
    const run = cli(['classify', '--model', modelDir, '--json'], input);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 700);
    assert.equal(lines[1].text, 'the film is wonderful');
  });

  it('evaluates a labelled file and prints the metrics as JSON', () => {
    const run = cli(['eval', '--model', modelDir, '--file', path.join(fixtures, 'reviews.tsv'), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.n, 80);
    assert.ok(report.accuracy > 0.8, `accuracy ${report.accuracy}`);
    assert.deepEqual(Object.keys(report.per_class).sort(), ['negative', 'positive']);
    assert.equal(
      report.confusion.flat().reduce((a: number, b: number) => a + b, 0),
      80,
    );
  });

  it("reproduces the model's validation split with --split validation", () => {
    const run = cli([
      'eval',
      '--model',
      modelDir,
      '--file',
      path.join(fixtures, 'reviews.tsv'),
      '--split',
      'validation',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const metadata = JSON.parse(fs.readFileSync(path.join(modelDir, 'metadata.json'), 'utf8'));
    assert.equal(JSON.parse(run.stdout).n, metadata.metrics.validation.n);
    assert.equal(JSON.parse(run.stdout).accuracy, metadata.metrics.validation.accuracy);
  });

  it('starts the embedding from --pretrained-vectors, its size following the file, and records it', function () {
    this.timeout(120000);
    const out = path.join(path.dirname(modelDir), 'with-vectors');
    const vectors = path.join(root, 'test', 'fixtures', 'vectors', 'tiny.txt');
    const run = cli([
      'train',
      '--file',
      path.join(fixtures, 'reviews.tsv'),
      '--out',
      out,
      '--epochs',
      '2',
      '--units',
      '8',
      '--pretrained-vectors',
      vectors,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /embedding: [1-4] of \d+ vocabulary rows start from the pretrained vectors/);
    const metadata = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'));
    assert.equal(metadata.architecture.embeddingDim, 4);
    assert.match(metadata.training.hyperparameters.pretrainedVectors, /^tiny\.txt: [1-4] of \d+ vocabulary rows$/);
  });

  it('exits 1 for a missing vectors file and 2 when --embedding-dim contradicts the file', () => {
    const data = [
      'train',
      '--file',
      path.join(fixtures, 'reviews.tsv'),
      '--out',
      path.join(path.dirname(modelDir), 'unused'),
      '--epochs',
      '1',
    ];
    const missing = cli([...data, '--pretrained-vectors', path.join(fixtures, 'no-such-vectors.txt')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-such-vectors\.txt: no such file/);
    const conflicting = cli([
      ...data,
      '--embedding-dim',
      '16',
      '--pretrained-vectors',
      path.join(root, 'test', 'fixtures', 'vectors', 'tiny.txt'),
    ]);
    assert.equal(conflicting.code, 2);
    assert.match(conflicting.stderr, /has 4 dimensions but --embedding-dim is 16/);
  });
  describe('error output', () => {
    it('exits 1 in one line, without a stack trace, when training cannot start', () => {
      const tiny = path.join(path.dirname(modelDir), 'two.csv');
      fs.writeFileSync(tiny, 'text,label\ngood,pos\nbad,neg\n');
      const run = cli([
        'train',
        '--file',
        tiny,
        '--out',
        path.join(path.dirname(modelDir), 'unused'),
        '--epochs',
        '1',
        '--validation-split',
        '0.5',
      ]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /sentiment-lens train: no training examples left after the validation split\n$/);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    });

    it('cuts a long label in messages and names the file of a set with no usable row', () => {
      const long = path.join(path.dirname(modelDir), 'long-label.csv');
      const label = 'L'.repeat(1_000_000);
      fs.writeFileSync(long, `text,label\ngood film,${label}\nbad film,${label}\n`);
      const run = cli(['train', '--file', long, '--out', path.join(path.dirname(modelDir), 'unused')]);
      assert.equal(run.code, 1);
      assert.ok(run.stderr.length < 1000, `${run.stderr.length} characters of messages`);
      assert.match(run.stderr, /only one class \('L{80}… \(1000000 characters\)'\)/);
      const allBad = path.join(path.dirname(modelDir), 'all-bad.csv');
      fs.writeFileSync(allBad, 'text,label\n"a",b,c\n"d",e,f\n');
      const bad = cli(['train', '--file', allBad, '--out', path.join(path.dirname(modelDir), 'unused')]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /all-bad\.csv: error: no usable examples/);
      assert.doesNotMatch(bad.stderr, /dataset/);
    });
  });

  it('trains and classifies with labels named __proto__ and constructor', function () {
    this.timeout(120000);
    const data = path.join(path.dirname(modelDir), 'proto.csv');
    fs.writeFileSync(
      data,
      'text,label\ngood film,__proto__\ngreat film,__proto__\nbad film,neg\nawful film,neg\nnice film,constructor\nfine film,constructor\n',
    );
    const out = path.join(path.dirname(modelDir), 'proto-model');
    const trained = cli([
      'train',
      '--file',
      data,
      '--out',
      out,
      '--epochs',
      '1',
      '--units',
      '4',
      '--embedding-dim',
      '4',
      '--validation-split',
      '0.34',
    ]);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stderr, /training on 6 examples \(__proto__ 2, constructor 2, neg 2\)/);
    const run = cli(['classify', '--model', out, '--json', 'good film']);
    assert.equal(run.code, 0, run.stderr);
    const { probabilities, tokens } = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(probabilities), ['__proto__', 'constructor', 'neg']);
    assert.ok(Math.abs(Object.values(probabilities as Record<string, number>).reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.deepEqual(Object.keys(tokens[0].probabilities), ['__proto__', 'constructor', 'neg']);
  });

  it('prints ten problems of a kind and summarises the rest', () => {
    const file = path.join(path.dirname(modelDir), 'duplicates.tsv');
    fs.writeFileSync(
      file,
      `text\tlabel\n${Array.from({ length: 300 }, (_, i) => `same text\t${i % 2 ? 'positive' : 'negative'}`).join('\n')}\n`,
    );
    const run = cli(['eval', '--model', modelDir, '--file', file, '--json']);
    assert.equal(run.code, 0, run.stderr.slice(0, 2000));
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.filter((l) => /: warning: conflicting labels/.test(l)).length, 10);
    assert.equal(lines.filter((l) => /: warning: duplicate of/.test(l)).length, 10);
    assert.ok(lines.includes(`${file}: warning: … and 140 more like this (conflicting-labels)`), run.stderr);
    assert.ok(lines.includes(`${file}: warning: … and 139 more like this (duplicate)`), run.stderr);
    assert.equal(JSON.parse(run.stdout).n, 300);
  });

  describe('special files', () => {
    it('refuses a FIFO or a device as labelled data, word vectors or a model file, at once and in one line', function () {
      if (process.platform === 'win32') this.skip();
      this.timeout(120000);
      const tmp = path.dirname(modelDir);
      const fifo = path.join(tmp, 'data.fifo');
      spawnSync('mkfifo', [fifo]);
      const broken = path.join(tmp, 'fifo-model');
      fs.cpSync(modelDir, broken, { recursive: true });
      fs.rmSync(path.join(broken, 'weights.bin'));
      spawnSync('mkfifo', [path.join(broken, 'weights.bin')]);
      const data = ['--file', path.join(fixtures, 'reviews.tsv')];
      const cases: [string[], RegExp][] = [
        [
          ['eval', '--model', modelDir, '--file', fifo],
          /data\.fifo: error: cannot read file: it is a named pipe \(FIFO\); only regular files are read/,
        ],
        [
          ['eval', '--model', modelDir, '--pos', fifo, '--neg', path.join(fixtures, 'reviews.tsv')],
          /data\.fifo: error: cannot read file: it is a named pipe/,
        ],
        [
          ['eval', '--model', modelDir, '--file', '/dev/urandom'],
          /\/dev\/urandom: error: cannot read file: it is a device/,
        ],
        [
          ['train', ...data, '--out', path.join(tmp, 'unused'), '--pretrained-vectors', '/dev/zero'],
          /\/dev\/zero: it is a device; only regular files are read\n$/,
        ],
        [
          ['train', ...data, '--out', path.join(tmp, 'unused'), '--pretrained-vectors', fifo],
          /data\.fifo: it is a named pipe/,
        ],
        [['classify', '--model', broken, 'fine'], /weights\.bin cannot be read: it is a named pipe/],
      ];
      for (const [args, message] of cases) {
        const run = cli(args);
        assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, message, args.join(' '));
        assert.doesNotMatch(run.stderr, /\n\s+at /);
      }
    });
  });

  describe('train --out', () => {
    const quick = ['--epochs', '1', '--units', '4', '--embedding-dim', '4'];
    const train = (out: string, cwd?: string) =>
      cli(['train', '--file', path.join(fixtures, 'reviews.tsv'), '--out', out, ...quick], undefined, cwd);

    it('refuses a folder that holds no model, before training, and leaves its files and sub-folders', () => {
      const out = path.join(path.dirname(modelDir), 'thesis');
      fs.mkdirSync(path.join(out, 'sub'), { recursive: true });
      fs.writeFileSync(path.join(out, 'thesis.tex'), 'x');
      fs.writeFileSync(path.join(out, 'sub', 'notes.md'), 'y');
      const run = train(out);
      assert.equal(run.code, 1, run.stderr);
      assert.match(
        run.stderr,
        /thesis: the folder is not a Sentiment Lens model \(it holds "sub", "thesis.tex" but no valid metadata.json\)/,
      );
      assert.doesNotMatch(run.stderr, /epoch|training on/);
      assert.equal(fs.readFileSync(path.join(out, 'thesis.tex'), 'utf8'), 'x');
      assert.equal(fs.readFileSync(path.join(out, 'sub', 'notes.md'), 'utf8'), 'y');
    });

    it('refuses a file, and the working folder when it is not a model', () => {
      const file = path.join(path.dirname(modelDir), 'notes.txt');
      fs.writeFileSync(file, 'keep me');
      const onFile = train(file);
      assert.equal(onFile.code, 1);
      assert.match(onFile.stderr, /notes\.txt: it is a file, not a model folder/);
      assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
      const working = path.join(path.dirname(modelDir), 'working');
      fs.mkdirSync(working);
      fs.writeFileSync(path.join(working, 'draft.md'), 'keep me too');
      const onWorkingFolder = train('.', working);
      assert.equal(onWorkingFolder.code, 1);
      assert.match(onWorkingFolder.stderr, /the folder is not a Sentiment Lens model/);
      assert.deepEqual(fs.readdirSync(working), ['draft.md']);
    });

    it('refuses a path below a file in one line, before training, without a stack trace', () => {
      const run = train('/dev/null/m');
      assert.equal(run.code, 1);
      assert.equal(run.stderr, 'sentiment-lens train: cannot save a model to /dev/null/m: /dev/null is not a folder\n');
    });

    it('replaces a model it saved before, and saves into an empty folder', () => {
      const out = path.join(path.dirname(modelDir), 'again');
      fs.mkdirSync(out);
      assert.equal(train(out).code, 0);
      const first = fs.readFileSync(path.join(out, 'metadata.json'), 'utf8');
      const second = train(out);
      assert.equal(second.code, 0, second.stderr);
      assert.notEqual(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'), first);
      assert.deepEqual(
        fs.readdirSync(path.dirname(out)).filter((name) => name.startsWith('.again')),
        [],
      );
    });
  });
});
