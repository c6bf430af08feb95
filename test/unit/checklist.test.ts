import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Classification, Classifier } from '../../src/core/classify/classifier';
import { loadClassifierModel } from '../../src/core/training/modelFiles';
import { capabilityRates, ChecklistCase, parseChecklistCases, scoreCase } from '../../scripts/checklistCases';
import { ENGINE_HELPER_SCRIPT } from '../support/engineHelper';

const root = path.join(__dirname, '..', '..');
const casesFile = path.join(root, 'test', 'fixtures', 'checklist', 'movie-reviews.jsonl');
const labels = ['negative', 'positive'];

/** A classification whose trajectory has the given P(positive) after each word. */
function classificationOf(words: readonly string[], positive: readonly number[]): Classification {
  const tokens = words.map((text, i) => ({
    text,
    start: 0,
    end: 0,
    id: 2,
    probabilities: { positive: positive[i], negative: 1 - positive[i] },
  }));
  const last = tokens[tokens.length - 1].probabilities;
  return { label: last.positive >= 0.5 ? 'positive' : 'negative', probabilities: last, tokens };
}

/**
 * Pass rates of the shipped model/movie-reviews, a little below those measured (docs/checklist.md):
 * a retrained model that falls below one of them regressed on that capability.
 */
const FLOORS: Record<string, { label: number; direction?: number }> = {
  negation: { label: 0.8, direction: 0.95 },
  contrast: { label: 0.8, direction: 0.95 },
  intensifier: { label: 0.9 },
  filler: { label: 0.95 },
  typo: { label: 0.45 },
  entity: { label: 0.95 },
};

/** The same for the further negation and contrast cases, written after the lexicon work (other templates and words). */
const FURTHER_FLOORS: Record<string, { label: number; direction?: number }> = {
  negation: { label: 0.6, direction: 0.95 },
  contrast: { label: 0.9, direction: 0.95 },
};

describe('checklistCases', () => {
  const notGood: ChecklistCase = {
    text: 'not good',
    capability: 'negation',
    label: 'negative',
    pivot: 'good',
    direction: 'down',
  };

  it('passes the direction when the score falls at the pivot word', () => {
    const outcome = scoreCase(notGood, classificationOf(['not', 'good'], [0.5, 0.3]), labels);
    assert.equal(outcome.directionPassed, true);
    assert.equal(outcome.labelPassed, true);
    assert.ok(Math.abs(outcome.pivotChange! - -0.4) < 1e-9);
  });

  it('fails the direction and the label when the score rises at the pivot word to a positive end', () => {
    const outcome = scoreCase(notGood, classificationOf(['not', 'good'], [0.4, 0.8]), labels);
    assert.equal(outcome.directionPassed, false);
    assert.equal(outcome.labelPassed, false);
    assert.equal(outcome.predicted, 'positive');
  });

  it('measures the pivot at its last occurrence, and the first word from zero', () => {
    const testCase: ChecklistCase = {
      text: 'good but not good',
      capability: 'contrast',
      label: 'negative',
      pivot: 'good',
      direction: 'down',
    };
    assert.equal(
      scoreCase(testCase, classificationOf(['good', 'but', 'not', 'good'], [0.9, 0.8, 0.6, 0.2]), labels)
        .directionPassed,
      true,
    );
    const first: ChecklistCase = { text: 'great', capability: 'x', label: 'positive', pivot: 'great', direction: 'up' };
    assert.ok(Math.abs(scoreCase(first, classificationOf(['great'], [0.7]), labels).pivotChange! - 0.4) < 1e-9);
  });

  it('leaves the direction undefined for a case without a pivot', () => {
    const outcome = scoreCase(
      { text: 'very good', capability: 'intensifier', label: 'positive' },
      classificationOf(['very', 'good'], [0.5, 0.9]),
      labels,
    );
    assert.equal(outcome.directionPassed, undefined);
  });

  it('throws when the pivot is not a word of the text', () => {
    assert.throws(
      () => scoreCase({ ...notGood, pivot: 'bad' }, classificationOf(['not', 'good'], [0.5, 0.3]), labels),
      /pivot "bad"/,
    );
  });

  it('reports malformed rows with their line numbers', () => {
    const { cases, problems } = parseChecklistCases(
      '{"text":"a","capability":"c","label":"positive"}\nnot json\n{"text":"b","capability":"c","label":"negative","pivot":"b"}\n',
    );
    assert.equal(cases.length, 1);
    assert.deepEqual(
      problems.map((p) => p.line),
      [2, 3],
    );
  });

  it('computes pass rates per capability', () => {
    const cases: ChecklistCase[] = [notGood, notGood, { text: 'x', capability: 'typo', label: 'positive' }];
    const rates = capabilityRates(cases, [
      { labelPassed: true, directionPassed: false, predicted: 'negative' },
      { labelPassed: false, directionPassed: true, predicted: 'positive' },
      { labelPassed: true, predicted: 'positive' },
    ]);
    assert.deepEqual(rates, [
      { capability: 'negation', n: 2, labelRate: 0.5, directionN: 2, directionRate: 0.5 },
      { capability: 'typo', n: 1, labelRate: 1, directionN: 0 },
    ]);
  });
});

describe('checklist of the shipped movie-review model', () => {
  const { cases, problems } = parseChecklistCases(fs.readFileSync(casesFile, 'utf8'));

  it('has at least 200 well-formed cases in every capability, with the wooden-but-great sentence', () => {
    assert.deepEqual(problems, []);
    assert.ok(cases.length >= 200, `${cases.length} cases`);
    assert.deepEqual([...new Set(cases.map((c) => c.capability))].sort(), Object.keys(FLOORS).sort());
    assert.ok(
      cases.some(
        (c) =>
          c.text === 'the acting is wooden but the story is great' &&
          c.capability === 'contrast' &&
          c.label === 'positive',
      ),
    );
    assert.ok(
      cases
        .filter((c) => c.capability === 'negation' || c.capability === 'contrast')
        .every((c) => c.pivot !== undefined),
    );
  });

  for (const [file, floors] of [
    ['movie-reviews.jsonl', FLOORS],
    ['movie-reviews-heldout.jsonl', FURTHER_FLOORS],
  ] as const) {
    it(`keeps every capability of ${file} at or above its floor of pass rates`, async () => {
      const fileCases = parseChecklistCases(
        fs.readFileSync(path.join(root, 'test', 'fixtures', 'checklist', file), 'utf8'),
      ).cases;
      const model = await loadClassifierModel(path.join(root, 'model', 'movie-reviews'));
      const classifier = new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT });
      const classifications = classifier.classifyMany(fileCases.map((c) => c.text));
      await classifier.dispose();
      const rates = capabilityRates(
        fileCases,
        fileCases.map((c, i) => scoreCase(c, classifications[i], model.labels)),
      );
      assert.deepEqual(rates.map((r) => r.capability).sort(), Object.keys(floors).sort());
      for (const r of rates) {
        const floor = floors[r.capability];
        assert.ok(
          r.labelRate >= floor.label,
          `${r.capability}: final label ${r.labelRate.toFixed(3)} < floor ${floor.label}`,
        );
        if (floor.direction !== undefined)
          assert.ok(
            r.directionRate! >= floor.direction,
            `${r.capability}: pivot direction ${r.directionRate!.toFixed(3)} < floor ${floor.direction}`,
          );
      }
    });
  }

  it('ends "the acting is wooden but the story is great" positive', async () => {
    const model = await loadClassifierModel(path.join(root, 'model', 'movie-reviews'));
    const classifier = new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT });
    const result = classifier.classify('the acting is wooden but the story is great');
    await classifier.dispose();
    assert.equal(result.label, 'positive', `P(positive) ${result.probabilities.positive}`);
  });
});
