/** Classification metrics: accuracy, per-class precision / recall / F1, macro-F1, confusion matrix. */

/** Figures for one class. */
export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Number of gold examples of this class. */
  readonly support: number;
}

/** Metrics over a labelled set. */
export interface Metrics {
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClass: Readonly<Record<string, ClassMetrics>>;
  /** confusion[gold][predicted], rows and columns in `labels` order. */
  readonly confusion: readonly (readonly number[])[];
  readonly labels: readonly string[];
}

/**
 * Computes metrics from gold and predicted class indices (same length; indices into `labels`;
 * a gold index of -1, e.g. a label the model does not know, counts as an error, and a prediction of
 * a class for such a text counts against that class's precision).
 * Precision of a class never predicted, and recall of a class absent from gold, are 0.
 */
export function computeMetrics(gold: ArrayLike<number>, predicted: ArrayLike<number>, labels: readonly string[]): Metrics {
  if (gold.length !== predicted.length) {
    throw new Error(`gold (${gold.length}) and predicted (${predicted.length}) differ in length`);
  }
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  // Every prediction of a class counts towards its precision, also on texts whose gold label the model lacks.
  const predictedCounts = new Array<number>(k).fill(0);
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    if (gold[i] === predicted[i]) correct++;
    if (gold[i] >= 0 && gold[i] < k) confusion[gold[i]][predicted[i]]++;
    if (predicted[i] >= 0 && predicted[i] < k) predictedCounts[predicted[i]]++;
  }
  const perClassEntries: [string, ClassMetrics][] = [];
  let f1Sum = 0;
  labels.forEach((label, c) => {
    const truePositives = confusion[c][c];
    const predictedCount = predictedCounts[c];
    const support = confusion[c].reduce((sum, v) => sum + v, 0);
    const precision = predictedCount ? truePositives / predictedCount : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClassEntries.push([label, { precision, recall, f1, support }]);
    f1Sum += f1;
  });
  return {
    n: gold.length,
    accuracy: gold.length ? correct / gold.length : 0,
    macroF1: k ? f1Sum / k : 0,
    // Own data properties even for labels such as '__proto__'.
    perClass: Object.fromEntries(perClassEntries),
    confusion,
    labels: [...labels],
  };
}

/** A fixed-width text table of the metrics, for the CLI and model cards. */
export function formatMetrics(metrics: Metrics): string {
  const pad = (s: string, w: number) => s.padStart(w);
  const width = metrics.labels.reduce((widest, l) => Math.max(widest, l.length + 1), 9);
  const lines = [
    `n ${metrics.n}  accuracy ${metrics.accuracy.toFixed(4)}  macro-F1 ${metrics.macroF1.toFixed(4)}`,
    `${pad('class', width)} ${pad('precision', 9)} ${pad('recall', 9)} ${pad('f1', 9)} ${pad('support', 9)}`,
    ...metrics.labels.map((label) => {
      const m = metrics.perClass[label];
      return `${pad(label, width)} ${pad(m.precision.toFixed(4), 9)} ${pad(m.recall.toFixed(4), 9)} ${pad(m.f1.toFixed(4), 9)} ${pad(String(m.support), 9)}`;
    }),
    `confusion (rows gold, columns predicted: ${metrics.labels.join(', ')})`,
    ...metrics.confusion.map((row, i) => `${pad(metrics.labels[i], width)} ${row.map((v) => pad(String(v), 7)).join(' ')}`),
  ];
  return lines.join('\n');
}
