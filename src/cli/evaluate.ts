/** `sentiment-lens eval`: metrics of a model on a labelled set. */
import { Classifier, predictClassIndices } from '../core/classify/classifier';
import { listSome } from '../core/readers/displayText';
import { formatMetrics, computeMetrics } from '../core/model/metrics';
import { fingerprintFiles } from '../core/readers';
import { modelClassOf } from '../core/classify/labels';
import { stratifiedSplit } from '../core/training/training';
import { trainingSplit } from '../core/training/modelFiles';
import { loadModelOrFail } from './classify';
import { CliError, CommandContext, DATA_OPTIONS, EXIT_USAGE, parseOptions, readData } from './common';

export async function evalCommand(argv: string[], { helperScript }: CommandContext): Promise<void> {
  const { values } = parseOptions(argv, {
    ...DATA_OPTIONS,
    model: { type: 'string' },
    json: { type: 'boolean' },
    split: { type: 'string' },
  });
  if (values.split !== undefined && values.split !== 'validation')
    throw new CliError('--split takes the value "validation"', EXIT_USAGE);
  const model = await loadModelOrFail(values.model);
  const [positiveLabel, negativeLabel] = pairLabels(model.labels);
  const data = readData(values, positiveLabel, negativeLabel);
  let examples = data.examples;
  if (values.split === 'validation') {
    const { seed, validationSplit } = trainingSplit(model.metadata);
    const files = values.file !== undefined ? [values.file] : [values.pos!, values.neg!];
    if (fingerprintFiles(files) !== model.metadata.training.dataFingerprint) {
      process.stderr.write(
        "warning: these files differ from the model's training data (sha256), so its validation split cannot be reproduced exactly\n",
      );
    }
    examples = stratifiedSplit(examples, validationSplit, seed).validation;
  }
  const classOf = new Map(model.labels.map((label, i) => [label, i]));
  const goldLabels = [...new Set(examples.map((e) => e.label))];
  const goldClass = new Map(goldLabels.map((label) => [label, modelClassOf(label, model.labels)]));
  const aliased = goldLabels.filter((label) => goldClass.get(label) !== undefined && goldClass.get(label) !== label);
  if (aliased.length)
    process.stderr.write(
      `note: reading gold labels as the model's classes: ${listSome(aliased.map((label) => `${label} as ${goldClass.get(label)}`))}\n`,
    );
  const unknown = goldLabels.filter((label) => goldClass.get(label) === undefined);
  if (unknown.length)
    process.stderr.write(`warning: labels unknown to the model count as errors: ${listSome(unknown)}\n`);
  const predicted = predictClassIndices(
    new Classifier(model, { helperScript }),
    examples.map((e) => e.text),
    model.labels,
  );
  const metrics = computeMetrics(
    examples.map((e) => classOf.get(goldClass.get(e.label) ?? '') ?? -1),
    predicted,
    model.labels,
  );
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ n: metrics.n, accuracy: metrics.accuracy, macro_f1: metrics.macroF1, per_class: metrics.perClass, labels: metrics.labels, confusion: metrics.confusion })}\n`,
    );
  } else {
    process.stdout.write(`${formatMetrics(metrics)}\n`);
  }
}

/** The labels to give the lines of --pos and --neg files: the model's own names for them. */
function pairLabels(labels: readonly string[]): [string, string] {
  const find = (pattern: RegExp, fallback: string) => labels.find((l) => pattern.test(l)) ?? fallback;
  return [find(/^pos/i, 'positive'), find(/^neg/i, 'negative')];
}
