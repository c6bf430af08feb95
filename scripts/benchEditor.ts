// Editor benchmarks in plain Node over the core (no VS Code): the time from a 200-word selection's
// text to its decoration data (sentences, per-word scores and colour buckets), and the longest
// synchronous block while checking the comments of a 5,000-line file in time-boxed chunks with
// setImmediate turns between them. Goals: both under 50 ms.
// Usage: npx tsx scripts/benchEditor.ts [--model DIR]
import * as path from 'node:path';
import { classifyInChunks } from '../src/core/chunkedClassify';
import { Classifier } from '../src/core/classifier';
import { extractComments } from '../src/core/comments';
import { commentTone } from '../src/core/commentTone';
import { highlightText } from '../src/core/highlightData';
import { loadClassifierModel } from '../src/core/modelFiles';
import { negativeLabelOf } from '../src/core/scoring';

const modelArg = process.argv.indexOf('--model');
const modelDir = modelArg > 0 ? process.argv[modelArg + 1] : path.join(__dirname, '..', 'model', 'movie-reviews');

const SENTENCES = [
  'A quiet, patient film that trusts its audience.',
  'The lead performance is wonderful, the score is gorgeous, and the final twenty minutes are among the most moving I have seen in years.',
  'The middle act drags a little, but I did not mind.',
  'What a waste of a great cast.',
  'The plot makes no sense, the dialogue is wooden and the jokes fall flat.',
  'Easily one of the best films of the decade.',
];

/** About `words` words of review prose. */
function prose(words: number): string {
  const out: string[] = [];
  for (let i = 0; out.join(' ').split(/\s+/).length < words; i++) out.push(SENTENCES[i % SENTENCES.length]);
  return out.join(' ').split(/\s+/).slice(0, words).join(' ');
}

/** A TypeScript file of `lines` lines: functions with line and doc comments of both tones. */
function sourceFile(lines: number): string {
  const comments = ['// nice, clean solution: one regular expression, no special cases', '// this is a terrible hack, rewrite it',
    '/** Returns the cached score for a key, or undefined. */', '// ugly and fragile: breaks on any comma inside a review'];
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(comments[i % comments.length], `export function f${i}(x: number): string {`, `  const s = "// not a comment ${i}";`, '  return s + x;', '}', '');
  }
  return out.slice(0, lines).join('\n');
}

const stats = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
};

async function main(): Promise<void> {
  const loadStart = performance.now();
  const classifier = new Classifier(await loadClassifierModel(modelDir));
  console.log(`model ${modelDir} loaded in ${(performance.now() - loadStart).toFixed(0)} ms`);

  // 1. Highlight: text -> decoration data for a 200-word selection.
  const selection = prose(200);
  highlightText(classifier, selection, { mode: 'trajectory' });   // warm-up
  const highlightMs: number[] = [];
  let words = 0;
  for (let run = 0; run < 20; run++) {
    const start = performance.now();
    const sentences = highlightText(classifier, selection, { mode: 'trajectory' });
    highlightMs.push(performance.now() - start);
    words = sentences.reduce((n, s) => n + s.words.length, 0);
  }
  console.log(`highlight, 200-word selection (${words} tokens): ${stats(highlightMs)}`);

  // 2. Comment check of a 5,000-line file: extraction (one block), then chunks with setImmediate between them.
  const file = sourceFile(5000);
  const negative = negativeLabelOf(classifier.model.labels) ?? classifier.model.labels[0];
  let longest = 0;
  let lagMax = 0;
  for (let run = 0; run < 3; run++) {
    const total = performance.now();
    // An interval timer measures how late the event loop gets to run it: the real responsiveness.
    let last = performance.now();
    const lagTimer = setInterval(() => {
      const now = performance.now();
      lagMax = Math.max(lagMax, now - last - 5);
      last = now;
    }, 5);
    const extractStart = performance.now();
    const blocks = extractComments(file, 'typescript');
    const extractMs = performance.now() - extractStart;
    await new Promise((resolve) => setImmediate(resolve));
    const result = await classifyInChunks(classifier, blocks.map((b) => b.text));
    const prior = classifier.classify('').probabilities;
    // Tones in slices of 100 comments with a turn between them, as the extension computes them.
    let flagged = 0;
    let toneMs = 0;
    for (let from = 0; from < blocks.length; from += 100) {
      const sliceStart = performance.now();
      for (let i = from; i < Math.min(from + 100, blocks.length); i++) {
        if (commentTone(blocks[i], result.classifications[i], negative, prior).negativeProbability >= 0.8) flagged++;
      }
      toneMs = Math.max(toneMs, performance.now() - sliceStart);
      await new Promise((resolve) => setImmediate(resolve));
    }
    clearInterval(lagTimer);
    longest = Math.max(longest, extractMs, result.longestBlockMs, toneMs);
    console.log(`check, 5,000-line file: ${blocks.length} comments, ${flagged} flagged; extraction ${extractMs.toFixed(1)} ms, ` +
      `${result.chunks} chunks, longest chunk ${result.longestBlockMs.toFixed(1)} ms, longest tone slice ${toneMs.toFixed(1)} ms, total ${(performance.now() - total).toFixed(0)} ms`);
  }
  console.log(`check, 5,000-line file: longest synchronous block ${longest.toFixed(1)} ms; worst event-loop lag seen by a 5 ms timer ${lagMax.toFixed(1)} ms`);
  const unchunkedStart = performance.now();
  classifier.classifyMany(extractComments(file, 'typescript').map((b) => b.text));
  console.log(`for comparison, the same file classified in one call: ${(performance.now() - unchunkedStart).toFixed(0)} ms blocked`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
