import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECK_DEFAULTS, CHECK_SETTING_KEYS, FINDING_KINDS } from '../../src/core/comments/checkSettings';
import { HARSH_LABEL, NOT_HARSH_LABEL } from '../../src/core/classify/labels';
import { Classification, Classifier } from '../../src/core/classify/classifier';
import {
  CONTRIBUTOR_SHARE,
  CheckModel,
  FINDING_KIND_INFO,
  MIN_CONTRIBUTOR_INCREASE,
  checkComments,
  checkableBlocks,
  commentSentences,
  findingMessage,
  findingsOf,
} from '../../src/core/comments/commentCheck';
import { extractComments } from '../../src/core/comments';
import { commentKey } from '../../src/core/comments/commentTone';
import { loadClassifierModel } from '../../src/core/training/modelFiles';
import { tokenize } from '../../src/core/text/tokenizer';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

const root = path.join(__dirname, '..', '..');

/**
 * A stand-in classifier with a known trajectory: the probability of `label` starts at `base` and
 * each word of `raises` adds its amount (capped at 0.99), so tests know which words pushed a sentence.
 */
function lexiconModel(label: string, other: string, raises: Record<string, number>, base = 0.1): CheckModel {
  const tokenizer = { kind: 'developer', lowercase: true } as const;
  const classify = (text: string): Classification => {
    let p = base;
    const tokens = tokenize(text, tokenizer).map((token) => {
      p = Math.min(0.99, p + (raises[token.text] ?? 0));
      return { ...token, id: 2, probabilities: { [label]: p, [other]: 1 - p } };
    });
    return { label: p >= 0.5 ? label : other, probabilities: { [label]: p, [other]: 1 - p }, tokens };
  };
  const classifier = {
    model: { labels: [label, other] },
    classify,
    classifyMany: (texts: readonly string[]) => texts.map(classify),
  };
  return { classifier: classifier as unknown as Classifier, label };
}

const harshModel = lexiconModel('harsh', 'not-harsh', { crap: 0.7, hell: 0.5, stupid: 0.6, cached: 0.01 });
const toneModel = lexiconModel('negative', 'positive', { broken: 0.5, ugly: 0.4, crap: 0.3 });

/** The document text of each sentence of a check. */
const sentenceTexts = (source: string, sentences: readonly { range: { start: number; end: number } }[]) =>
  sentences.map((s) => source.slice(s.range.start, s.range.end));

describe('commentCheck', () => {
  describe('commentSentences', () => {
    const split = (text: string) => commentSentences(text).map((r) => text.slice(r.start, r.end));

    it('splits at full stops as splitSentences does', () => {
      assert.deepEqual(split('This is a hack. Rewrite it!'), ['This is a hack.', 'Rewrite it!']);
    });

    it('splits at a line break before a capital, a review label ("nit:"), a bullet, a numbered item or a doc tag', () => {
      assert.deepEqual(split('Please rename this variable\nWho wrote this crap'), [
        'Please rename this variable',
        'Who wrote this crap',
      ]);
      assert.deepEqual(split('please rename this\nnit: typo'), ['please rename this', 'nit: typo']);
      assert.deepEqual(split('two things\n- rename it\n2) add a test'), ['two things', '- rename it', '2) add a test']);
      assert.deepEqual(split('Returns the count\n@param x the value'), ['Returns the count', '@param x the value']);
    });

    it('keeps a hard-wrapped sentence whole when the next line goes on in lower case', () => {
      assert.deepEqual(split('this keeps going\nonto the next line and\nthe one after'), [
        'this keeps going\nonto the next line and\nthe one after',
      ]);
    });

    it('gives nothing for white space', () => {
      assert.deepEqual(commentSentences(' \n\t'), []);
    });
  });

  describe('checkableBlocks', () => {
    it('leaves commented-out code out of source files but keeps every paragraph of plain text', () => {
      const source = 'let y = 1;\n// return compute(a, b);\n\n// Please rename this variable\n';
      assert.equal(extractComments(source, 'typescript').length, 2);
      assert.deepEqual(
        checkableBlocks(source, 'typescript').map((b) => b.text),
        ['Please rename this variable'],
      );
      assert.equal(checkableBlocks('return compute(a, b);', 'plaintext').length, 1);
    });
  });

  describe('checkComments', () => {
    const source = [
      'package cache',
      '',
      '// Please rename this variable',
      '// Who wrote this crap? It is broken.',
      '// nit: typo',
      'func Get() int { return 1 } // The cached value is fine.',
      '',
    ].join('\n');

    it('classifies every sentence of a comment block on its own, with document ranges on the sentence', async () => {
      const check = await checkComments(source, 'go', { harsh: harshModel, negative: toneModel });
      assert.ok(check);
      assert.deepEqual(check.kinds, ['harsh', 'negative']);
      assert.deepEqual(sentenceTexts(source, check.sentences), [
        'Please rename this variable',
        'Who wrote this crap?',
        'It is broken.',
        'nit: typo',
        'The cached value is fine.',
      ]);
      assert.deepEqual(
        check.sentences.map((s) => s.text),
        sentenceTexts(source, check.sentences),
      );
      // The first four sentences share one comment block (adjacent line comments); its key is the block's.
      assert.deepEqual(
        check.sentences.map((s) => s.blockIndex),
        [0, 0, 0, 0, 1],
      );
      assert.equal(check.sentences[0].commentKey, commentKey(check.blocks[0].text));
    });

    it("reports a finding only for the sentences at or above each kind's threshold", async () => {
      const check = await checkComments(source, 'go', { harsh: harshModel, negative: toneModel });
      assert.ok(check);
      const findings = findingsOf(check.sentences, { harsh: 0.5, negative: 0.5 });
      assert.deepEqual(
        findings.map((f) => [f.kind, f.sentence.text]),
        [
          ['harsh', 'Who wrote this crap?'],
          ['negative', 'It is broken.'],
        ],
      );
      assert.ok(Math.abs(findings[0].probability - 0.8) < 1e-9);
      assert.equal(findings[0].threshold, 0.5);
      assert.deepEqual(
        findingsOf(check.sentences, { negative: 0.5 }).map((f) => f.kind),
        ['negative'],
        'a kind without a threshold is not reported',
      );
      assert.deepEqual(findingsOf(check.sentences, { harsh: 0.81, negative: 0.61 }), []);
    });

    it('names the words that raised the probability, within the sentence, at their document ranges', async () => {
      const check = await checkComments(source, 'go', { harsh: harshModel, negative: toneModel });
      assert.ok(check);
      const [harsh] = findingsOf(check.sentences, { harsh: 0.5 });
      assert.deepEqual(
        harsh.contributors.map((c) => c.word),
        ['crap'],
      );
      assert.deepEqual(
        harsh.contributors.map((c) => source.slice(c.start, c.end)),
        ['crap'],
      );
      // "cached" raises P(harsh) by 0.01 in another comment: never named, and below the minimum rise anyway.
      const cached = check.sentences[4].scores.harsh;
      assert.ok(cached);
      assert.deepEqual(cached.contributors, []);
    });

    it('names only rises of at least the minimum and a share of the largest rise', async () => {
      const raises = {
        awful: 0.6,
        weird: MIN_CONTRIBUTOR_INCREASE + 0.01,
        odd: MIN_CONTRIBUTOR_INCREASE - 0.01,
        meh: 0.6 * CONTRIBUTOR_SHARE - 0.05,
      };
      const model = lexiconModel('harsh', 'not-harsh', raises);
      const text = '// awful weird odd\n\n// weird meh\n';
      const check = await checkComments(text, 'typescript', { harsh: model });
      assert.ok(check);
      assert.deepEqual(
        check.sentences.map((s) => s.scores.harsh?.contributors.map((c) => c.word)),
        [['awful'], ['meh', 'weird']],
      );
    });

    it('never names a function word such as "a" or "the", even when the probability rose on it', async () => {
      const model = lexiconModel('harsh', 'not-harsh', { ugly: 0.4, a: 0.3, the: 0.2, fix: 0.2 });
      const text = '# ugly inside a review, fix the mess\n';
      const check = await checkComments(text, 'python', { harsh: model });
      assert.ok(check);
      assert.deepEqual(
        check.sentences[0].scores.harsh?.contributors.map((c) => c.word),
        ['ugly', 'fix'],
      );
    });

    it('checks only the kinds it has a model for', async () => {
      const check = await checkComments(source, 'go', { negative: toneModel });
      assert.ok(check);
      assert.deepEqual(check.kinds, ['negative']);
      assert.ok(check.sentences.every((s) => s.scores.harsh === undefined && s.scores.negative !== undefined));
    });

    it('reads plain text (a commit message, a review comment) as prose', async () => {
      const text = 'Fix the cache\n\nWho wrote this crap? Please rename this variable.';
      const check = await checkComments(text, 'plaintext', { harsh: harshModel });
      assert.ok(check);
      assert.deepEqual(sentenceTexts(text, check.sentences), [
        'Fix the cache',
        'Who wrote this crap?',
        'Please rename this variable.',
      ]);
      assert.deepEqual(
        findingsOf(check.sentences, { harsh: 0.5 }).map((f) => f.sentence.text),
        ['Who wrote this crap?'],
      );
    });

    it('returns undefined when cancelled, and yields to the event loop between chunks', async () => {
      let yields = 0;
      const many = Array.from({ length: 300 }, (_, i) => `# comment number ${i} is here\n`).join('\nx = 1\n');
      const check = await checkComments(
        many,
        'python',
        { harsh: harshModel },
        { yieldToEventLoop: async () => void yields++, budgetMs: 0 },
      );
      assert.ok(check);
      assert.ok(yields > 2, `yielded ${yields} times`);
      assert.equal(await checkComments(many, 'python', { harsh: harshModel }, { isCancelled: () => true }), undefined);
    });
  });

  describe('findingMessage', () => {
    it('names the kind, the percentage and the words', () => {
      assert.equal(
        findingMessage('harsh', 0.923, [{ word: 'crap' }, { word: 'hell' }]),
        'Harsh (92%): "crap" and "hell" pushed it most.',
      );
      assert.equal(findingMessage('negative', 0.85, []), 'Negative tone (85%).');
    });
  });

  describe('settings and bundled models', () => {
    it('takes each default from package.json, once', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
      const properties = manifest.contributes.configuration.properties;
      for (const kind of FINDING_KINDS) {
        const keys = CHECK_SETTING_KEYS[kind];
        assert.equal(CHECK_DEFAULTS[kind].threshold, properties[`sentimentLens.${keys.threshold}`].default);
        assert.equal(CHECK_DEFAULTS[kind].severity, properties[`sentimentLens.${keys.severity}`].default);
        assert.equal(CHECK_DEFAULTS[kind].model, properties[`sentimentLens.${keys.model}`].default);
        assert.ok(CHECK_DEFAULTS[kind].threshold > 0 && CHECK_DEFAULTS[kind].threshold <= 1);
      }
      assert.deepEqual(
        [CHECK_DEFAULTS.harsh.model, CHECK_DEFAULTS.negative.model],
        ['review-harshness', 'review-tone'],
      );
    });

    it('loads the bundled harshness model: classes exactly harsh and not-harsh, developer tokenizer, P(harsh) in [0, 1]', async () => {
      const model = await loadClassifierModel(path.join(root, 'model', CHECK_DEFAULTS.harsh.model));
      assert.deepEqual([...model.labels].sort(), [HARSH_LABEL, NOT_HARSH_LABEL]);
      assert.equal(model.tokenizer.kind, 'developer');
      assert.equal(FINDING_KIND_INFO.harsh.labelOf(model.labels), HARSH_LABEL);
      const result = new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT }).classify('Who wrote this crap?');
      assert.ok(result.probabilities.harsh >= 0 && result.probabilities.harsh <= 1);
      assert.ok(Math.abs(result.probabilities.harsh + result.probabilities['not-harsh'] - 1) < 1e-5);
    });

    it('loads the bundled tone model with a negative class, and finds no harsh class in it', async () => {
      const model = await loadClassifierModel(path.join(root, 'model', CHECK_DEFAULTS.negative.model));
      assert.equal(FINDING_KIND_INFO.negative.labelOf(model.labels), 'negative');
      assert.equal(FINDING_KIND_INFO.harsh.labelOf(model.labels), undefined);
    });

    it('gives each sentence the probabilities the bundled models give that sentence alone', async () => {
      const harsh = new Classifier(await loadClassifierModel(path.join(root, 'model', CHECK_DEFAULTS.harsh.model)), {
        helperScript: ENGINE_HELPER_SCRIPT,
      });
      const tone = new Classifier(await loadClassifierModel(path.join(root, 'model', CHECK_DEFAULTS.negative.model)), {
        helperScript: ENGINE_HELPER_SCRIPT,
      });
      const source = '# Please rename this variable\n# Who wrote this crap? What the hell.\nx = 1\n';
      const check = await checkComments(source, 'python', {
        harsh: { classifier: harsh, label: 'harsh' },
        negative: { classifier: tone, label: 'negative' },
      });
      assert.ok(check);
      assert.deepEqual(
        check.sentences.map((s) => s.text),
        ['Please rename this variable', 'Who wrote this crap?', 'What the hell.'],
      );
      for (const sentence of check.sentences) {
        assert.ok(
          Math.abs(sentence.scores.harsh!.probability - harsh.classify(sentence.text).probabilities.harsh) < 1e-6,
        );
        assert.ok(
          Math.abs(sentence.scores.negative!.probability - tone.classify(sentence.text).probabilities.negative) < 1e-6,
        );
        for (const c of [...sentence.scores.harsh!.contributors, ...sentence.scores.negative!.contributors]) {
          assert.ok(
            c.start >= sentence.range.start && c.end <= sentence.range.end,
            `"${c.word}" lies in "${sentence.text}"`,
          );
          assert.equal(source.slice(c.start, c.end).toLowerCase(), c.word.toLowerCase());
        }
      }
    });
  });
});
