/** `sentiment-lens classify`: label, probability and per-word trajectory of texts. */
import * as readline from 'node:readline';
import { Classification, Classifier } from '../core/classify/classifier';
import { loadClassifierModel } from '../core/training/modelFiles';
import { bundledModelDir, CliError, CommandContext, parseOptions } from './common';

const STDIN_BATCH = 512;

export async function classifyCommand(argv: string[], { helperScript }: CommandContext): Promise<void> {
  const { values, positionals } = parseOptions(argv, { model: { type: 'string' }, json: { type: 'boolean' } }, true);
  const classifier = new Classifier(await loadModelOrFail(values.model), { helperScript });
  const print = (text: string, result: Classification) =>
    process.stdout.write(
      values.json ? `${JSON.stringify(toJson(text, result))}\n` : formatClassification(text, result),
    );
  if (positionals.length) {
    const results = classifier.classifyMany(positionals);
    positionals.forEach((text, i) => print(text, results[i]));
    return;
  }
  let pending: string[] = [];
  const flush = () => {
    const results = classifier.classifyMany(pending);
    pending.forEach((text, i) => print(text, results[i]));
    pending = [];
  };
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    pending.push(line);
    if (pending.length >= STDIN_BATCH) flush();
  }
  flush();
}

/** Loads the model at `dir` (default: the bundled one); a broken folder is bad input. */
export async function loadModelOrFail(dir: string | undefined) {
  try {
    return await loadClassifierModel(dir ?? bundledModelDir());
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

function toJson(text: string, result: Classification) {
  return {
    text,
    label: result.label,
    probabilities: result.probabilities,
    tokens: result.tokens.map(({ text: token, start, end, probabilities }) => ({
      text: token,
      start,
      end,
      probabilities,
    })),
  };
}

function formatClassification(text: string, result: Classification): string {
  const labels = Object.keys(result.probabilities);
  const percent = (p: number) => `${(100 * p).toFixed(1).padStart(5)}%`;
  const width = result.tokens.reduce((widest, t) => Math.max(widest, t.text.length), 8);
  const lines = [
    `${result.label} ${percent(result.probabilities[result.label]).trim()}  ${JSON.stringify(text)}`,
    `  ${'token'.padEnd(width)} ${'range'.padEnd(9)} ${labels.map((l) => l.padStart(9)).join(' ')}`,
    ...result.tokens.map(
      (t) =>
        `  ${t.text.padEnd(width)} ${`${t.start}-${t.end}`.padEnd(9)} ${labels.map((l) => percent(t.probabilities[l]).padStart(9)).join(' ')}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
