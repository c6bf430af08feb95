/**
 * Bench section: inference on the validation sentences in batches of 64, two figures, each with 1
 * and 2 threads (interleaved: network 1, network 2, classifier 1, classifier 2, ...):
 * - network only: token ids -> per-step and final probabilities (`predict`), batches made as
 *   pytorch_gru.py makes them (validation order, padded to the longest, padding inside the timed
 *   part): the like-for-like comparison with PyTorch's ids -> logits;
 * - classifier: texts -> Classification objects (`Classifier.classifyMany(texts, 64)`: tokenizing,
 *   the network, the per-word trajectories).
 * PyTorch's inference figures: `--threads 2` from the training section's runs, and one
 * `--threads 1 --epochs 1` run made here between our passes (its fastest inference configuration,
 * per its README); ratios use the higher of the two. Then the latency of Classifier.classify on one
 * 200-word text, with the network alone and as a seed ensemble of two networks (the network twice:
 * the work of any two networks of this architecture).
 */
import { padBatch } from '../../src/core/model/batching';
import { Classifier } from '../../src/core/classify/classifier';
import { cloneWeights, Predictor, relaxedSimdAvailable } from '../../src/core/engine';
import { tokenTexts } from '../../src/core/text/tokenizer';
import { DEFAULT_TRAINING_OPTIONS } from '../../src/core/training/training';
import { cpuSeconds, formatSummary, summary, type BenchContext } from './context';
import { runPytorch, type OurModel } from './training';
import { ENGINE_HELPER_SCRIPT } from '../../test/support/engineHelper';

const BATCH = 64;

/** Sentences/s of repeated passes, per wall-clock and per CPU second. */
class Rates {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];

  /** Times one pass over `sentences` sentences. */
  time(sentences: number, pass: () => void): void {
    const start = performance.now();
    const cpuStart = cpuSeconds();
    pass();
    this.wall.push(sentences / ((performance.now() - start) / 1000));
    this.cpu.push(sentences / (cpuSeconds() - cpuStart));
  }

  format(): string {
    return `${formatSummary(this.wall, 0)}; per CPU s ${formatSummary(this.cpu, 0)}`;
  }
}

/** Prints the inference figures. */
export async function inferenceSection(ctx: BenchContext, model: OurModel, withTorch: boolean): Promise<void> {
  const settings = DEFAULT_TRAINING_OPTIONS;
  const { arch, vocabulary, labels } = model;
  const weights = model.trainer.snapshot(); // a loaded model's weights do not change
  const texts = ctx.validation.map((d) => d.text);
  const ids = texts.map((text) => vocabulary.encode(tokenTexts(text, settings.tokenizer).slice(0, settings.maxLength)));
  const tokens = ids.reduce((n, list) => n + list.length, 0);
  const predictors = [1, 2].map(
    (threads) => new Predictor(arch, weights, { threads, helperScript: ENGINE_HELPER_SCRIPT }),
  );
  const network = (threads: number) => () => {
    for (let start = 0; start < ids.length; start += BATCH)
      predictors[threads - 1].predict(padBatch(ids.slice(start, start + BATCH)));
  };
  const classifierModel = { arch, weights, vocabulary, labels, tokenizer: settings.tokenizer };
  const classifiers = [1, 2].map(
    (threads) => new Classifier(classifierModel, { threads, helperScript: ENGINE_HELPER_SCRIPT }),
  );
  const classify = (threads: number) => () => {
    const results = classifiers[threads - 1].classifyMany(texts, BATCH);
    if (results.length !== texts.length) throw new Error('classifier lost texts');
  };

  console.log(
    `## Inference: ${texts.length} validation sentences (${tokens.toLocaleString('en-US')} tokens), batches of ${BATCH}`,
  );
  console.log(
    `  relaxed SIMD (fused multiply-add gemm): ${relaxedSimdAvailable() ? 'in use' : 'not in this runtime (Node 20: node --experimental-wasm-relaxed-simd), plain kernels'}`,
  );
  console.log(
    `  recurrent products: ${predictors[0].integerKernels ? 'integer kernels (the default; Predictor option integerKernels: false for float)' : 'float kernels'}`,
  );
  const first = new Rates();
  first.time(texts.length, classify(1));
  console.log(
    `  first classifier pass (fills the input-projection cache): ${Math.round(first.wall[0]).toLocaleString('en-US')} sentences/s`,
  );
  const helperReady = await predictors[1].whenHelperReady();
  if (!helperReady) console.log('  (the helper thread did not start: the 2-thread figures are 1-thread figures)');
  const same = sameResults(classifiers[0].classifyMany(texts, BATCH), classifiers[1].classifyMany(texts, BATCH));
  console.log(`  1 and 2 threads give ${same ? 'identical' : 'DIFFERENT'} probabilities`);

  const passes = ctx.options.quick ? 5 : 15;
  const rates = { network1: new Rates(), network2: new Rates(), classifier1: new Rates(), classifier2: new Rates() };
  let torchOneThread: number | undefined;
  for (let pass = 0; pass < passes; pass++) {
    rates.network1.time(texts.length, network(1));
    rates.network2.time(texts.length, network(2));
    rates.classifier1.time(texts.length, classify(1));
    rates.classifier2.time(texts.length, classify(2));
    ctx.memory.sample();
    if (withTorch && pass === Math.floor(passes / 2) - 1) {
      torchOneThread = runPytorch(ctx, 1, 1).summary?.infer_sentences_per_s;
    }
  }
  await Promise.all([...predictors, ...classifiers].map((owner) => owner.dispose()));
  console.log(`  sentences/s, min / median / max over ${passes} interleaved passes:`);
  console.log(`  network only (ids -> per-step and final probabilities), 1 thread:  ${rates.network1.format()}`);
  console.log(`  network only (ids -> per-step and final probabilities), 2 threads: ${rates.network2.format()}`);
  console.log(`  classifier (texts -> classifications with trajectories), 1 thread:  ${rates.classifier1.format()}`);
  console.log(`  classifier (texts -> classifications with trajectories), 2 threads: ${rates.classifier2.format()}`);

  const torchTwoThreads = ctx.outcome.torchInference?.length ? Math.max(...ctx.outcome.torchInference) : undefined;
  if (torchTwoThreads !== undefined || torchOneThread !== undefined) {
    const f = (x: number | undefined) => (x === undefined ? 'not run' : x.toLocaleString('en-US'));
    console.log(
      `  torch (ids -> logits and argmax, median of 3 passes per run; OPENBLAS_NUM_THREADS=1): ` +
        `--threads 2 ${f(torchTwoThreads)}${(ctx.outcome.torchInference?.length ?? 0) > 1 ? ` (best of ${ctx.outcome.torchInference!.length} runs)` : ''}, ` +
        `--threads 1 ${f(torchOneThread)}`,
    );
    const bar = Math.max(torchTwoThreads ?? 0, torchOneThread ?? 0);
    const barName = bar === torchOneThread ? '--threads 1' : '--threads 2';
    console.log(
      `  ratio ours/torch against the higher torch figure (${barName}, ${bar.toLocaleString('en-US')}; higher is better), median (min):`,
    );
    for (const [name, r] of Object.entries(rates)) {
      const s = summary(r.wall);
      console.log(
        `    ${name.replace(/(\d)$/, ' $1 thread(s)').padEnd(24)} ${(s.median / bar).toFixed(2)} (${(s.min / bar).toFixed(2)})`,
      );
    }
  }

  // One 200-word text built from validation sentences.
  const words: string[] = [];
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word && words.length < 200) words.push(word);
    if (words.length >= 200) break;
  }
  const longText = words.join(' ');
  const repeats = ctx.options.quick ? 30 : 200;
  for (const networks of [1, 2]) {
    const classifier = new Classifier(
      { ...classifierModel, otherMembers: Array.from({ length: networks - 1 }, () => cloneWeights(weights)) },
      { helperScript: ENGINE_HELPER_SCRIPT },
    );
    const latencies: number[] = [];
    classifier.classify(longText);
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      const result = classifier.classify(longText);
      latencies.push(performance.now() - start);
      if (result.tokens.length === 0) throw new Error('no trajectory');
    }
    ctx.memory.sample();
    const trajectory = classifier.classify(longText).tokens.length;
    await classifier.dispose();
    console.log(
      `  per-word trajectory of a 200-word text (${trajectory} tokens), Classifier.classify latency ms${networks > 1 ? `, seed ensemble of ${networks} networks` : ''}: ${formatSummary(latencies, 2)}${networks > 1 ? '\n' : ''}`,
    );
  }
}

/** Whether two lists of classifications have the same labels and probabilities, trajectories included. */
function sameResults(a: ReturnType<Classifier['classifyMany']>, b: ReturnType<Classifier['classifyMany']>): boolean {
  return a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
}
