// Editor benchmarks in plain Node over the core (no VS Code): the time from a 200-word selection's
// text to its decoration data (sentences, per-word scores and colour buckets), and the longest
// synchronous block while checking the comments of a 5,000-line file sentence by sentence with the
// tone and the harshness model (core checkComments, as the extension and the CLI run it: time-boxed
// chunks with setImmediate turns between them). Goals: both under 50 ms.
// Usage: npx tsx scripts/benchEditor.ts [--model DIR] [--tone-model DIR] [--harsh-model DIR]
import * as path from 'node:path';
import { CHECK_DEFAULTS } from '../src/core/comments/checkSettings';
import { Classifier } from '../src/core/classify/classifier';
import { FINDING_KIND_INFO, checkComments, findingsOf } from '../src/core/comments/commentCheck';
import { extractComments } from '../src/core/comments';
import { highlightText } from '../src/core/classify/highlightData';
import { loadClassifierModel } from '../src/core/training/modelFiles';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

const argument = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const bundled = (name: string) => path.join(__dirname, '..', 'model', name);
const modelDir = argument('--model', bundled('movie-reviews'));
const toneModelDir = argument('--tone-model', bundled(CHECK_DEFAULTS.negative.model));
const harshModelDir = argument('--harsh-model', bundled(CHECK_DEFAULTS.harsh.model));

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
  const comments = [
    '// nice, clean solution: one regular expression, no special cases',
    '// this is a terrible hack, rewrite it',
    '/** Returns the cached score for a key, or undefined. */',
    '// ugly and fragile: breaks on any comma inside a review',
  ];
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      comments[i % comments.length],
      `export function f${i}(x: number): string {`,
      `  const s = "// not a comment ${i}";`,
      '  return s + x;',
      '}',
      '',
    );
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
  const classifier = new Classifier(await loadClassifierModel(modelDir), { helperScript: ENGINE_HELPER_SCRIPT });
  console.log(`model ${modelDir} loaded in ${(performance.now() - loadStart).toFixed(0)} ms`);

  // 1. Highlight: text -> decoration data for a 200-word selection.
  const selection = prose(200);
  highlightText(classifier, selection, { mode: 'trajectory' }); // warm-up
  const highlightMs: number[] = [];
  let words = 0;
  for (let run = 0; run < 20; run++) {
    const start = performance.now();
    const sentences = highlightText(classifier, selection, { mode: 'trajectory' });
    highlightMs.push(performance.now() - start);
    words = sentences.reduce((n, s) => n + s.words.length, 0);
  }
  console.log(`highlight, 200-word selection (${words} tokens): ${stats(highlightMs)}`);

  // 2. Comment check of a 5,000-line file: extraction (one block), then per-sentence chunks of both models, then scores in slices.
  const toneClassifier = new Classifier(await loadClassifierModel(toneModelDir), {
    helperScript: ENGINE_HELPER_SCRIPT,
  });
  const harshClassifier = new Classifier(await loadClassifierModel(harshModelDir), {
    helperScript: ENGINE_HELPER_SCRIPT,
  });
  const models = {
    negative: {
      classifier: toneClassifier,
      label: FINDING_KIND_INFO.negative.labelOf(toneClassifier.model.labels) ?? toneClassifier.model.labels[0],
    },
    harsh: {
      classifier: harshClassifier,
      label: FINDING_KIND_INFO.harsh.labelOf(harshClassifier.model.labels) ?? harshClassifier.model.labels[0],
    },
  };
  console.log(`comment check models: tone ${toneModelDir}, harshness ${harshModelDir}`);
  const file = sourceFile(5000);
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
    const check = await checkComments(file, 'typescript', models);
    clearInterval(lagTimer);
    if (!check) throw new Error('the check was cancelled');
    const findings = findingsOf(check.sentences, {
      harsh: CHECK_DEFAULTS.harsh.threshold,
      negative: CHECK_DEFAULTS.negative.threshold,
    });
    longest = Math.max(longest, check.longestBlockMs);
    console.log(
      `check, 5,000-line file: ${check.blocks.length} comments, ${check.sentences.length} sentences, ` +
        `${findings.filter((f) => f.kind === 'harsh').length} harsh and ${findings.filter((f) => f.kind === 'negative').length} negative findings; ` +
        `extraction ${check.extractMs.toFixed(1)} ms, longest block ${check.longestBlockMs.toFixed(1)} ms, total ${(performance.now() - total).toFixed(0)} ms`,
    );
  }
  console.log(
    `check, 5,000-line file: longest synchronous block ${longest.toFixed(1)} ms; worst event-loop lag seen by a 5 ms timer ${lagMax.toFixed(1)} ms`,
  );
  const unchunkedStart = performance.now();
  toneClassifier.classifyMany(extractComments(file, 'typescript').map((b) => b.text));
  console.log(
    `for comparison, the same file's comments classified by the tone model in one call: ${(performance.now() - unchunkedStart).toFixed(0)} ms blocked`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
