/**
 * Bench section: inference through our classifier path (Classifier.classifyMany: tokenizing,
 * the network, per-word trajectories) on the validation sentences in batches of 64, against
 * PyTorch's figure from the training section; and the latency of Classifier.classify on one
 * 200-word text.
 */
import { Classifier } from '../../src/core/classifier';
import { DEFAULT_TRAINING_OPTIONS } from '../../src/core/training';
import { cpuSeconds, formatSummary, summary, type BenchContext } from './context';
import type { OurModel } from './training';

/** Prints the inference figures. */
export function inferenceSection(ctx: BenchContext, model: OurModel): void {
  const classifier = new Classifier({
    arch: model.arch,
    weights: model.trainer.snapshot(), // a loaded model's weights do not change
    vocabulary: model.vocabulary,
    labels: model.labels,
    tokenizer: DEFAULT_TRAINING_OPTIONS.tokenizer,
  });
  const texts = ctx.validation.map((d) => d.text);
  const passes = ctx.options.quick ? 3 : 7;
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let pass = 0; pass <= passes; pass++) {
    const start = performance.now();
    const cpuStart = cpuSeconds();
    const results = classifier.classifyMany(texts, 64);
    const seconds = (performance.now() - start) / 1000;
    if (results.length !== texts.length) throw new Error('classifier lost texts');
    ctx.memory.sample();
    if (pass === 0) {
      console.log(`## Inference: ${texts.length} validation sentences, batches of 64, classifier path with per-word trajectories`);
      console.log(`  first pass (fills the input-projection cache): ${Math.round(texts.length / seconds).toLocaleString('en-US')} sentences/s`);
      continue;
    }
    rates.push(texts.length / seconds);
    cpuRates.push(texts.length / (cpuSeconds() - cpuStart));
  }
  console.log(`  ours  sentences/s ${formatSummary(rates, 0)}; per CPU s ${formatSummary(cpuRates, 0)}`);
  const torch = ctx.outcome.torchSummary?.infer_sentences_per_s;
  if (torch) {
    const s = summary(rates);
    console.log(`  torch sentences/s ${torch.toLocaleString('en-US')} (median of 3 passes, logits only, no trajectory)`);
    console.log(`  ratio ours/torch (higher is better): median ${(s.median / torch).toFixed(2)}, min ${(s.min / torch).toFixed(2)}`);
  }

  // One 200-word text built from validation sentences.
  const words: string[] = [];
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word && words.length < 200) words.push(word);
    if (words.length >= 200) break;
  }
  const longText = words.join(' ');
  const repeats = ctx.options.quick ? 30 : 200;
  const latencies: number[] = [];
  classifier.classify(longText);
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const result = classifier.classify(longText);
    latencies.push(performance.now() - start);
    if (result.tokens.length === 0) throw new Error('no trajectory');
  }
  ctx.memory.sample();
  const tokens = classifier.classify(longText).tokens.length;
  console.log(`  per-word trajectory of a 200-word text (${tokens} tokens), Classifier.classify latency ms: ${formatSummary(latencies, 2)}\n`);
}
