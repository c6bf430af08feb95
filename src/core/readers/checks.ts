/**
 * Dataset-level checks run after parsing: empty texts, missing labels, too few classes, and
 * duplicate texts (with the same or with conflicting labels). No Node APIs.
 */

import { abbreviate } from './displayText';
import type { LabelledExample, Problem } from './types';

/** Where an example is, for messages: `line 12`, or `rt-polarity.neg line 12` in another file. */
function where(example: LabelledExample, from: LabelledExample): string {
  return example.file === from.file ? `line ${example.line}` : `${example.file} line ${example.line}`;
}

/** True when the example can be trained on: non-blank text and non-blank label. */
export function isUsableExample(example: LabelledExample): boolean {
  return example.text.trim() !== '' && example.label.trim() !== '';
}

/**
 * Checks a dataset and returns its problems, in example order, without changing the examples.
 * Errors: empty text, missing label, no usable examples, a single class only (line 0 of `files`,
 * the files read, joined with " + " when there are several). Warnings: a text (compared after trimming
 * white space) that occurred before, either with a different label (`conflicting-labels`, naming
 * both lines) or with the same one (`duplicate`). Each repeat is compared with the first occurrence.
 */
export function checkDataset(
  examples: readonly LabelledExample[],
  files: readonly string[] = [...new Set(examples.map((e) => e.file))],
): Problem[] {
  const problems: Problem[] = [];
  const firstByText = new Map<string, LabelledExample>();
  const classes = new Set<string>();
  for (const example of examples) {
    const text = example.text.trim();
    const label = example.label.trim();
    if (text === '') {
      problems.push({
        file: example.file,
        line: example.line,
        reason: 'empty text; row skipped',
        severity: 'error',
        code: 'empty-text',
      });
    }
    if (label === '') {
      problems.push({
        file: example.file,
        line: example.line,
        reason: 'missing label; row skipped',
        severity: 'error',
        code: 'missing-label',
      });
    }
    if (text === '' || label === '') continue;
    classes.add(label);
    const first = firstByText.get(text);
    if (first === undefined) {
      firstByText.set(text, example);
    } else if (first.label.trim() !== label) {
      problems.push({
        file: example.file,
        line: example.line,
        reason: `conflicting labels: same text as ${where(first, example)} (labelled '${abbreviate(first.label.trim())}' there, '${abbreviate(label)}' here)`,
        severity: 'warning',
        code: 'conflicting-labels',
      });
    } else {
      problems.push({
        file: example.file,
        line: example.line,
        reason: `duplicate of ${where(first, example)} (same text and label)`,
        severity: 'warning',
        code: 'duplicate',
      });
    }
  }
  const datasetFile = files.join(' + ');
  if (classes.size === 0) {
    problems.push({ file: datasetFile, line: 0, reason: 'no usable examples', severity: 'error', code: 'no-examples' });
  } else if (classes.size === 1) {
    problems.push({
      file: datasetFile,
      line: 0,
      reason: `only one class ('${abbreviate([...classes][0])}'); a classifier needs examples of at least two labels`,
      severity: 'error',
      code: 'single-class',
    });
  }
  return problems;
}
