/**
 * Behavioural test cases of a sentiment model (CheckList, Ribeiro et al. 2020): reading the cases file
 * and scoring one case against a classification (its final label, and the direction of the
 * trajectory at a pivot word), and pass rates per capability.
 */
import { Classification } from '../src/core/classify/classifier';
import { scoreAxisFor, signedScore } from '../src/core/classify/scoring';

/** One behavioural case: a text, its capability, the expected final label and optionally a pivot word. */
export interface ChecklistCase {
  readonly text: string;
  readonly capability: string;
  readonly label: string;
  /** A word of the text at which the trajectory must move `direction` (its last occurrence). */
  readonly pivot?: string;
  readonly direction?: 'up' | 'down';
}

/** What happened on one case. */
export interface ChecklistOutcome {
  readonly labelPassed: boolean;
  /** Undefined when the case has no pivot. */
  readonly directionPassed?: boolean;
  readonly predicted: string;
  /** P(positive) − P(negative) before and after the pivot word (before the first word: 0). */
  readonly pivotChange?: number;
}

/** Parses JSON lines of cases; bad rows come back as line-numbered problems. */
export function parseChecklistCases(content: string): {
  cases: ChecklistCase[];
  problems: { line: number; reason: string }[];
} {
  const cases: ChecklistCase[] = [];
  const problems: { line: number; reason: string }[] = [];
  content.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch {
      problems.push({ line: i + 1, reason: 'not JSON' });
      return;
    }
    const r = row as Record<string, unknown>;
    if (typeof r.text !== 'string' || typeof r.capability !== 'string' || typeof r.label !== 'string') {
      problems.push({ line: i + 1, reason: 'text, capability and label must be strings' });
      return;
    }
    if (
      (r.pivot === undefined) !== (r.direction === undefined) ||
      (r.pivot !== undefined && (typeof r.pivot !== 'string' || (r.direction !== 'up' && r.direction !== 'down')))
    ) {
      problems.push({ line: i + 1, reason: 'pivot (a word) and direction (up or down) come together' });
      return;
    }
    cases.push({
      text: r.text,
      capability: r.capability,
      label: r.label,
      ...(r.pivot !== undefined ? { pivot: r.pivot as string, direction: r.direction as 'up' | 'down' } : {}),
    });
  });
  return { cases, problems };
}

/**
 * Scores one case against the classification of its text by a positive / negative model.
 * Throws when the pivot word is not among the text's tokens (a broken case, not a model failure).
 */
export function scoreCase(
  testCase: ChecklistCase,
  classification: Classification,
  labels: readonly string[],
): ChecklistOutcome {
  const labelPassed = classification.label === testCase.label;
  if (testCase.pivot === undefined) return { labelPassed, predicted: classification.label };
  const axis = scoreAxisFor(labels, classification.label);
  const pivot = testCase.pivot.toLowerCase();
  let index = -1;
  classification.tokens.forEach((token, i) => {
    if (token.text.toLowerCase() === pivot) index = i;
  });
  if (index < 0) throw new Error(`pivot "${testCase.pivot}" is not a word of "${testCase.text}"`);
  const before = index === 0 ? 0 : signedScore(classification.tokens[index - 1].probabilities, axis);
  const change = signedScore(classification.tokens[index].probabilities, axis) - before;
  const directionPassed = testCase.direction === 'up' ? change > 0 : change < 0;
  return { labelPassed, directionPassed, predicted: classification.label, pivotChange: change };
}

/** Pass rates of one capability. */
export interface CapabilityRates {
  readonly capability: string;
  readonly n: number;
  readonly labelRate: number;
  /** Undefined when no case of the capability has a pivot. */
  readonly directionRate?: number;
  readonly directionN: number;
}

/** Pass rates per capability, in order of first appearance. */
export function capabilityRates(
  cases: readonly ChecklistCase[],
  outcomes: readonly ChecklistOutcome[],
): CapabilityRates[] {
  const groups = new Map<string, { n: number; label: number; dirN: number; dir: number }>();
  cases.forEach((c, i) => {
    const g = groups.get(c.capability) ?? { n: 0, label: 0, dirN: 0, dir: 0 };
    g.n++;
    if (outcomes[i].labelPassed) g.label++;
    if (outcomes[i].directionPassed !== undefined) {
      g.dirN++;
      if (outcomes[i].directionPassed) g.dir++;
    }
    groups.set(c.capability, g);
  });
  return [...groups].map(([capability, g]) => ({
    capability,
    n: g.n,
    labelRate: g.label / g.n,
    directionN: g.dirN,
    ...(g.dirN > 0 ? { directionRate: g.dir / g.dirN } : {}),
  }));
}
