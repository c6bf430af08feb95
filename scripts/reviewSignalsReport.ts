/**
 * Figures from out-of-fold probabilities (scripts/reviewSignalsCv.ts): per source, the mean and
 * spread over folds of the usual metrics, and precision / recall of the flagged class at thresholds.
 */
import * as fs from 'node:fs';

interface Row {
  readonly variant: string;
  readonly fold: number;
  readonly source: string;
  readonly gold: string;
  readonly trained: boolean;
  readonly probabilities: Record<string, number>;
}

/** Precision, recall and F1 of `positive` decisions against `relevant` golds. */
export function prf(
  decisions: readonly boolean[],
  relevant: readonly boolean[],
): { precision: number; recall: number; f1: number; flagged: number } {
  let tp = 0,
    fp = 0,
    fn = 0;
  decisions.forEach((d, i) => {
    if (d && relevant[i]) tp++;
    else if (d) fp++;
    else if (relevant[i]) fn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    flagged: tp + fp,
  };
}

function meanSd(values: readonly number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

function argmaxLabel(p: Record<string, number>): string {
  return Object.entries(p).reduce((best, cur) => (cur[1] > best[1] ? cur : best))[0];
}

/** Macro-F1 over the gold labels' classes. */
function macroF1(rows: readonly Row[], labels: readonly string[]): number {
  const predicted = rows.map((r) => argmaxLabel(r.probabilities));
  const f1s = labels.map(
    (label) =>
      prf(
        predicted.map((p) => p === label),
        rows.map((r) => r.gold === label),
      ).f1,
  );
  return f1s.reduce((a, b) => a + b, 0) / labels.length;
}

/** A Markdown report of one or more out-of-fold files. */
export function reportFiles(files: readonly string[]): string {
  const out: string[] = [];
  for (const file of files) {
    const rows: Row[] = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const variant = rows[0]?.variant ?? file;
    const folds = [...new Set(rows.map((r) => r.fold))].sort();
    const sources = [...new Set(rows.map((r) => r.source))].sort();
    const labels = Object.keys(rows[0].probabilities);
    const flagged = labels.includes('harsh') ? 'harsh' : 'negative';
    out.push(`### ${variant} (${folds.length} folds, ${rows.length} texts)`, '');
    out.push(
      `| source | texts | trained on | macro-F1 | ${flagged} P / R / F1 at argmax | share flagged |`,
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const source of sources) {
      const of = rows.filter((r) => r.source === source);
      const goldLabels = [...new Set(of.map((r) => r.gold))];
      const inModel = goldLabels.every((g) => labels.includes(g));
      const perFold = (fn: (rs: Row[]) => number) => meanSd(folds.map((f) => fn(of.filter((r) => r.fold === f))));
      const macro = inModel ? perFold((rs) => macroF1(rs, goldLabels.length > 1 ? labels : goldLabels)) : '—';
      const flagStats = goldLabels.includes(flagged)
        ? `${perFold(
            (rs) =>
              prf(
                rs.map((r) => argmaxLabel(r.probabilities) === flagged),
                rs.map((r) => r.gold === flagged),
              ).precision,
          )} / ${perFold(
            (rs) =>
              prf(
                rs.map((r) => argmaxLabel(r.probabilities) === flagged),
                rs.map((r) => r.gold === flagged),
              ).recall,
          )} / ${perFold(
            (rs) =>
              prf(
                rs.map((r) => argmaxLabel(r.probabilities) === flagged),
                rs.map((r) => r.gold === flagged),
              ).f1,
          )}`
        : '—';
      const share = perFold((rs) => rs.filter((r) => argmaxLabel(r.probabilities) === flagged).length / rs.length);
      out.push(`| ${source} | ${of.length} | ${of[0].trained ? 'yes' : 'no'} | ${macro} | ${flagStats} | ${share} |`);
    }
    out.push('');
    // Precision / recall of the flagged class at thresholds, on every source that has gold texts of it.
    const thresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    out.push(`Precision / recall of P(${flagged}) >= t, out of fold (mean over folds):`, '');
    out.push(
      `| source | ${thresholds.map((t) => `t = ${t}`).join(' | ')} |`,
      `| --- | ${thresholds.map(() => '---').join(' | ')} |`,
    );
    for (const source of [...sources, 'all']) {
      const of =
        source === 'all' ? rows.filter((r) => labels.includes(r.gold)) : rows.filter((r) => r.source === source);
      if (!of.some((r) => r.gold === flagged)) continue;
      const cells = thresholds.map((t) => {
        const ps = folds
          .map((f) => of.filter((r) => r.fold === f))
          .map((rs) =>
            prf(
              rs.map((r) => r.probabilities[flagged] >= t),
              rs.map((r) => r.gold === flagged),
            ),
          );
        const m = (k: 'precision' | 'recall') => (ps.reduce((a, b) => a + b[k], 0) / ps.length).toFixed(2);
        return `${m('precision')} / ${m('recall')}`;
      });
      out.push(`| ${source} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
