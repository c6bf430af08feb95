import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandUsage, USAGE, wantsHelp } from '../../src/cli/common';

const root = path.resolve(__dirname, '..', '..');
const reviews = path.join(root, 'test', 'fixtures', 'cli', 'reviews.tsv');
/** Flags of a one-epoch run of a tiny network, for tests of what train records. */
const TINY_RUN = ['--epochs', '1', '--units', '8', '--embedding-dim', '8'];
/** Every command USAGE describes, e.g. ['classify', 'eval', 'train']. */
const commands = [...USAGE.matchAll(/^ {2}sentiment-lens (\w+)/gm)].map((match) => match[1]);

/** Runs the CLI from source (through tsx), as a user would run the built bin. */
function cli(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(root, 'src', 'cli', 'main.ts'), ...args],
    { cwd: root, encoding: 'utf8', timeout: 120000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `train --file FILE --out OUT` with the tiny run's flags and `extra`. */
function trainTiny(file: string, out: string, ...extra: string[]) {
  return cli(['train', '--file', file, '--out', out, ...TINY_RUN, ...extra]);
}

describe('cli: help and negated options', () => {
  it('finds the commands in the usage text', () => {
    assert.ok(
      ['classify', 'eval', 'train'].every((name) => commands.includes(name)),
      commands.join(', '),
    );
  });

  it("commandUsage holds the command's own entry and the closing notes, not the other commands", () => {
    for (const name of commands) {
      const usage = commandUsage(name);
      assert.match(usage, new RegExp(`^Usage:\\n {2}sentiment-lens ${name}\\b`));
      assert.match(usage, /Exit codes: 0 success, 1 bad input, 2 usage error\./);
      for (const other of commands.filter((c) => c !== name))
        assert.doesNotMatch(usage, new RegExp(`sentiment-lens ${other}\\b`));
    }
    assert.equal(commandUsage('frobnicate'), USAGE);
  });

  it('wantsHelp sees --help and -h before `--` only', () => {
    assert.equal(wantsHelp(['--file', 'a.tsv', '--help']), true);
    assert.equal(wantsHelp(['-h']), true);
    assert.equal(wantsHelp(['--', '--help']), false);
    assert.equal(wantsHelp(['--helpful']), false);
  });

  it("exits 0 and prints the command's usage on stdout for --help after every command", function () {
    this.timeout(60000 * commands.length);
    for (const name of commands) {
      const run = cli([name, '--help']);
      assert.equal(run.code, 0, `${name} --help: ${run.stderr}`);
      assert.equal(run.stdout, commandUsage(name));
      assert.equal(run.stderr, '');
    }
  });

  it('exits 2 with the usage on stderr for an unknown flag after every command', function () {
    this.timeout(60000 * commands.length);
    for (const name of commands) {
      const run = cli([name, '--no-such-flag']);
      assert.equal(run.code, 2, `${name} --no-such-flag`);
      assert.match(run.stderr, /Unknown option '--no-such-flag'/);
      assert.match(run.stderr, /Usage:/);
      assert.equal(run.stdout, '');
    }
  });

  it('classifies the text "--help" after `--` instead of printing the usage', () => {
    const run = cli(['classify', '--json', '--', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).text, '--help');
  });

  it('--no-json after --json prints the plain report instead of JSON', () => {
    const run = cli(['classify', '--json', '--no-json', 'a fine film']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.length > 0);
    assert.throws(() => JSON.parse(run.stdout.trim().split('\n')[0]));
  });

  describe('train --skip-gram / --no-skip-gram', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-neg-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Trains one tiny epoch with `flags`; returns stderr and the saved metadata's training.skipGram. */
    function train(name: string, flags: string[]) {
      const out = path.join(dir, name);
      const run = trainTiny(reviews, out, ...flags);
      assert.equal(run.code, 0, run.stderr);
      const metadata = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'));
      return { stderr: run.stderr, skipGram: metadata.training.skipGram as boolean };
    }

    it('--no-skip-gram trains without the skip-gram pretraining and records it', function () {
      this.timeout(120000);
      const off = train('off', ['--no-skip-gram']);
      assert.equal(off.skipGram, false);
      assert.doesNotMatch(off.stderr, /pretraining the embedding with skip-gram/);
    });

    it('the last of --skip-gram and --no-skip-gram wins', function () {
      this.timeout(120000);
      const on = train('on', ['--no-skip-gram', '--skip-gram']);
      assert.equal(on.skipGram, true);
      assert.match(on.stderr, /pretraining the embedding with skip-gram/);
      assert.equal(train('off-again', ['--skip-gram', '--no-skip-gram']).skipGram, false);
    });
  });

  describe('train --lexicon-weight', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-lexicon-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('trains with the lexicon terms and records their weight in the model', function () {
      this.timeout(120000);
      const out = path.join(dir, 'lexicon');
      const run = trainTiny(reviews, out, '--no-skip-gram', '--lexicon-weight', '0.5');
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8')).training.hyperparameters.lexiconWeight,
        0.5,
      );
      const examplesOut = path.join(dir, 'examples');
      const examples = trainTiny(reviews, examplesOut, '--no-skip-gram', '--linguistic-examples');
      assert.equal(examples.code, 0, examples.stderr);
      assert.equal(
        JSON.parse(fs.readFileSync(path.join(examplesOut, 'metadata.json'), 'utf8')).training.hyperparameters
          .linguisticExamples,
        true,
      );
    });

    it('--learned-transforms records the fitted factors and increments per word, and needs a lexicon weight above 0', function () {
      this.timeout(120000);
      const out = path.join(dir, 'learned');
      const run = trainTiny(reviews, out, '--no-skip-gram', '--learned-transforms');
      assert.equal(run.code, 0, run.stderr);
      const hyperparameters = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8')).training
        .hyperparameters;
      assert.equal(hyperparameters.learnedTransforms.length, 2, 'one record per saved network (two by default)');
      const [record] = hyperparameters.learnedTransforms;
      assert.deepEqual(
        record.groups.map((group: { word: string }) => group.word),
        ['negators', 'amplifiers', 'dampeners'],
      );
      for (const entry of [...record.groups, ...record.negators, ...record.degreeAdverbs]) {
        assert.equal(typeof entry.learned, 'number');
        assert.equal(typeof entry.occurrences, 'number');
      }
      const refused = trainTiny(reviews, path.join(dir, 'refused'), '--learned-transforms', '--lexicon-weight', '0');
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /--learned-transforms needs the lexicon terms: a --lexicon-weight above 0/);
    });

    it('refuses a weight out of range, and labels without a positive / negative pair, with exit 2 and no stack trace', function () {
      this.timeout(120000);
      const bad = cli(['train', '--file', reviews, '--out', path.join(dir, 'bad'), '--lexicon-weight=-1']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--lexicon-weight must be in \[0, 10\] \(got -1\)/);
      const labelsFile = path.join(dir, 'bugs.tsv');
      fs.writeFileSync(labelsFile, 'bug\tit crashes\nfeature\tadd a button\nbug\tit hangs\nfeature\tdark mode\n');
      const pairless = cli([
        'train',
        '--file',
        labelsFile,
        '--out',
        path.join(dir, 'pairless'),
        '--lexicon-weight',
        '0.5',
      ]);
      assert.equal(pairless.code, 2);
      assert.match(pairless.stderr, /--lexicon-weight needs a positive and a negative label .*bug/);
      const asked = cli(['train', '--file', labelsFile, '--out', path.join(dir, 'asked'), '--linguistic-examples']);
      assert.equal(asked.code, 2);
      assert.match(asked.stderr, /--linguistic-examples needs a positive and a negative label/);
      assert.doesNotMatch(pairless.stderr + bad.stderr + asked.stderr, / {4}at /);
      assert.equal(fs.existsSync(path.join(dir, 'pairless')), false);
      // On by default, the linguistic examples stay off for such labels, with a warning.
      const plain = cli([
        'train',
        '--file',
        labelsFile,
        '--out',
        path.join(dir, 'plain'),
        ...TINY_RUN,
        '--no-skip-gram',
        '--min-count',
        '1',
      ]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(
        plain.stderr,
        /warning: linguistic examples and lexicon terms are off: the labels \(bug, feature\) have no positive \/ negative pair/,
      );
    });
  });

  describe('train --ensemble-members', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-ensemble-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('trains and saves an ensemble that classify and eval use; a missing network file is bad input', function () {
      this.timeout(240000);
      const out = path.join(dir, 'ensemble');
      const run = trainTiny(reviews, out, '--no-skip-gram', '--ensemble-members', '2');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /an ensemble of 2 networks \(seeds 42 to 43\)/);
      assert.match(run.stderr, /network 2\/2 {2}epoch 1\/1/);
      assert.deepEqual(fs.readdirSync(out).sort(), [
        'metadata.json',
        'model-2.json',
        'model.json',
        'weights-2.bin',
        'weights.bin',
      ]);
      const metadata = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'));
      assert.equal(metadata.members, 2);
      assert.equal(metadata.training.hyperparameters.ensembleMembers, 2);
      assert.deepEqual(
        metadata.training.hyperparameters.members.map((m: { seed: number }) => m.seed),
        [42, 43],
      );
      const classified = cli(['classify', '--model', out, '--json', 'a fine film']);
      assert.equal(classified.code, 0, classified.stderr);
      assert.equal(JSON.parse(classified.stdout).tokens.length, 3);
      const evaluated = cli(['eval', '--model', out, '--file', reviews, '--json']);
      assert.equal(evaluated.code, 0, evaluated.stderr);
      fs.rmSync(path.join(out, 'weights-2.bin'));
      const broken = cli(['classify', '--model', out, 'a fine film']);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /weights-2\.bin is missing \(model-2\.json lists it as a weights file\)/);
    });

    it('refuses a number of networks outside 1 to 5 with exit 2', function () {
      this.timeout(120000);
      for (const value of ['6', '0', 'two']) {
        const bad = cli(['train', '--file', reviews, '--out', path.join(dir, 'bad'), '--ensemble-members', value]);
        assert.equal(bad.code, 2, value);
        assert.match(
          bad.stderr,
          value === 'two' ? /--ensemble-members expects a number/ : /--ensemble-members must be an integer in \[1, 5\]/,
        );
      }
      assert.equal(fs.existsSync(path.join(dir, 'bad')), false);
    });

    it('--distill trains two teachers and saves the distilled network alone, recording both', function () {
      this.timeout(240000);
      const out = path.join(dir, 'distilled');
      const run = trainTiny(reviews, out, '--no-skip-gram', '--ensemble-members', '2', '--distill');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /2 networks \(seeds 42 to 43\) distilled into one \(seed 44\)/);
      assert.match(run.stderr, /network 3\/3 {2}epoch 1\/1/);
      assert.match(
        run.stderr,
        /teachers' best epochs 1, 1 \(their ensemble's accuracy 0\.\d{4}\), the distilled network's 1/,
      );
      assert.deepEqual(fs.readdirSync(out).sort(), ['metadata.json', 'model.json', 'weights.bin']);
      const metadata = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'));
      const hyperparameters = metadata.training.hyperparameters;
      assert.equal(metadata.members, undefined);
      assert.equal(hyperparameters.distill, true);
      assert.equal(hyperparameters.ensembleMembers, 2);
      assert.equal(hyperparameters.bestEpoch, 1);
      assert.deepEqual(
        hyperparameters.distillation.teachers.map((t: { seed: number }) => t.seed),
        [42, 43],
      );
      assert.equal(hyperparameters.distillation.studentSeed, 44);
      assert.equal(hyperparameters.distillation.studentAccuracy, metadata.metrics.validation.accuracy);
      assert.equal(typeof hyperparameters.distillation.teachersAccuracy, 'number');
      const classified = cli(['classify', '--model', out, '--json', 'a fine film']);
      assert.equal(classified.code, 0, classified.stderr);
    });

    it('refuses --distill with fewer than two networks with exit 2; --no-distill trains the ensemble', function () {
      this.timeout(120000);
      const bad = cli([
        'train',
        '--file',
        reviews,
        '--out',
        path.join(dir, 'bad'),
        '--ensemble-members',
        '1',
        '--distill',
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--distill needs --ensemble-members 2 or more/);
      assert.equal(fs.existsSync(path.join(dir, 'bad')), false);
      const out = path.join(dir, 'not-distilled');
      const run = trainTiny(reviews, out, '--no-skip-gram', '--ensemble-members', '2', '--distill', '--no-distill');
      assert.equal(run.code, 0, run.stderr);
      assert.ok(fs.existsSync(path.join(out, 'model-2.json')));
      assert.equal(
        JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8')).training.hyperparameters.distill,
        undefined,
      );
    });
  });
});
