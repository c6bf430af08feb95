/**
 * Interleaved A/B, in one process and one thread, of the GRU step of inference with integer
 * kernels: A = the step as it was (quantize_rows before each product, gru_fwd_zr / gru_fwd_h),
 * B = the current GruCell.forwardStep. Checks that both give the same probabilities, then prints ms
 * per pass over the bench's 959 validation sentences in batches of 64 (network alone and
 * Classifier.classifyMany), min / median / max.
 *
 *   npx tsx scripts/benchInferenceAb.ts [--repeats 30] [--model model/movie-reviews]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { Classifier } from '../src/core/classify/classifier';
import { Predictor } from '../src/core/engine';
import { GruCell } from '../src/core/engine/cells/gru';
import type { LayerMatrices, StepRows } from '../src/core/engine/cells/cell';
import { quantizedProduct } from '../src/core/engine/quantized';
import { padBatch } from '../src/core/model/batching';
import { tokenTexts } from '../src/core/text/tokenizer';
import { loadClassifierModel } from '../src/core/training/modelFiles';
import { formatSummary, loadMovieReviews, sharedFolder } from './bench/context';

const BATCH = 64;

type Step = (this: GruCell, layer: LayerMatrices, step: StepRows, previous: number, projection?: number) => void;

/** The GRU inference step before the fused kernels. */
const before: Step = function (this: GruCell, layer, { t, n, r0, p0 }, previous, projection) {
  const cell = this as unknown as { ws: GruCell['ws']; Hp: number; GH: number; rh: { offset: number } };
  const { ws, Hp, GH, rh } = cell;
  const { gates, h, quantized } = layer;
  const k = ws.kernels;
  const from = (column: number) => (projection === undefined ? undefined : { rows: projection, offset: column * 4 });
  if (t > 0)
    quantizedProduct(ws, quantized!, n, h.offset + p0 * Hp, Hp, 0, 2 * Hp, gates.offset + r0 * GH, GH, from(0));
  k.gru_fwd_zr(n, Hp, (gates.offset + r0 * GH) * 4, previous * 4, (rh.offset + r0 * Hp) * 4);
  if (t > 0)
    quantizedProduct(
      ws,
      quantized!,
      n,
      rh.offset + r0 * Hp,
      Hp,
      2 * Hp,
      Hp,
      gates.offset + r0 * GH + 2 * Hp,
      GH,
      from(2 * Hp),
    );
  k.gru_fwd_h(n, Hp, (gates.offset + r0 * GH) * 4, previous * 4, (h.offset + r0 * Hp) * 4);
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string', default: '30' },
      model: { type: 'string', default: 'model/movie-reviews' },
    },
  });
  const repeats = Number(values.repeats);
  const model = await loadClassifierModel(resolve(values.model!));
  const { arch, weights, vocabulary, tokenizer } = model;
  const texts = loadMovieReviews(sharedFolder()).validation.map((d) => d.text);
  const ids = texts.map((text) => vocabulary.encode(tokenTexts(text, tokenizer)));
  const batches: ReturnType<typeof padBatch>[] = [];
  for (let start = 0; start < ids.length; start += BATCH) batches.push(padBatch(ids.slice(start, start + BATCH)));
  const after = GruCell.prototype.forwardStep as Step;
  const variants: Record<string, Step> = { A: before, B: after };
  const use = (name: string) => ((GruCell.prototype as { forwardStep: Step }).forwardStep = variants[name]);
  const predictor = new Predictor(arch, weights, { threads: 1 });
  const classifier = new Classifier(model, { threads: 1 });

  const outputs = Object.keys(variants).map((name) => {
    use(name);
    return batches.flatMap((batch) => [...predictor.predict(batch).stepProbabilities]);
  });
  let maxDiff = 0;
  for (let i = 0; i < outputs[0].length; i++) maxDiff = Math.max(maxDiff, Math.abs(outputs[0][i] - outputs[1][i]));
  console.log(`${texts.length} sentences; max |A - B| per-step probability ${maxDiff.toExponential(2)}`);

  const times = new Map<string, number[]>();
  const time = (name: string, pass: () => void) => {
    const start = performance.now();
    pass();
    times.set(name, [...(times.get(name) ?? []), performance.now() - start]);
  };
  const loads = [loadavg()[0]];
  for (const name of Object.keys(variants)) {
    use(name);
    classifier.classifyMany(texts, BATCH);
  }
  for (let r = 0; r < repeats; r++) {
    const order = r % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    for (const name of order) {
      use(name);
      time(`network ${name}`, () => {
        for (const batch of batches) predictor.predict(batch);
      });
    }
    for (const name of order) {
      use(name);
      time(`classifier ${name}`, () => classifier.classifyMany(texts, BATCH));
    }
    loads.push(loadavg()[0]);
  }
  console.log(`ms per pass, min / median / max of ${repeats}, 1 thread, interleaved:`);
  for (const [name, wall] of [...times].sort()) console.log(`  ${name.padEnd(14)} ${formatSummary(wall, 1)}`);
  console.log(`load average (1 min): ${formatSummary(loads, 1)}`);
  await predictor.dispose();
  await classifier.dispose();
}

void main();
