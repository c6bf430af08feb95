/**
 * Behavioural tests of a positive / negative model: pass rates per capability of the final label and of
 * the trajectory's direction at the pivot word, and the failures.
 *
 *   npm run checklist -- [--model DIR] [--cases FILE.jsonl]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classify/classifier';
import { loadClassifierModel } from '../src/core/training/modelFiles';
import { capabilityRates, parseChecklistCases, scoreCase } from './checklistCases';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: path.join(root, 'model', 'movie-reviews') },
      cases: { type: 'string', default: path.join(root, 'test', 'fixtures', 'checklist', 'movie-reviews.jsonl') },
    },
  });
  const { cases, problems } = parseChecklistCases(fs.readFileSync(values.cases!, 'utf8'));
  if (problems.length > 0) throw new Error(problems.map((p) => `${values.cases}:${p.line}: ${p.reason}`).join('\n'));
  const model = await loadClassifierModel(values.model!);
  const classifications = new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT }).classifyMany(
    cases.map((c) => c.text),
  );
  const outcomes = cases.map((c, i) => scoreCase(c, classifications[i], model.labels));
  const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
  process.stdout.write(
    `${cases.length} cases, model ${values.model}\n\ncapability    n  final label  pivot direction\n`,
  );
  for (const r of capabilityRates(cases, outcomes)) {
    process.stdout.write(
      `${r.capability.padEnd(12)} ${String(r.n).padStart(3)}  ${pct(r.labelRate).padStart(11)}  ${r.directionRate === undefined ? '-' : `${pct(r.directionRate)} (${r.directionN})`}\n`,
    );
  }
  process.stdout.write('\nfailures:\n');
  cases.forEach((c, i) => {
    const o = outcomes[i];
    if (o.labelPassed && o.directionPassed !== false) return;
    const why = [
      !o.labelPassed
        ? `ends ${o.predicted} (expected ${c.label}, P(positive) ${(classifications[i].probabilities.positive ?? 0).toFixed(2)})`
        : '',
      o.directionPassed === false
        ? `"${c.pivot}" moves ${o.pivotChange! >= 0 ? '+' : ''}${o.pivotChange!.toFixed(2)} (expected ${c.direction})`
        : '',
    ]
      .filter(Boolean)
      .join('; ');
    process.stdout.write(`  [${c.capability}] ${c.text}: ${why}\n`);
  });
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`checklist: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
