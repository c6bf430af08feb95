/**
 * Benchmark of comment extraction (src/core/comments) and sentence splitting (src/core/text/sentences)
 * on synthetic 5,000-line documents built from the test fixtures' snippets (code with line, block
 * and doc comments, strings holding comment-like text, templates, docstrings). Prints the first
 * (cold, JIT-compiling) call and min / median / max milliseconds of the later, interleaved repeats.
 * Run unbundled with tsx, or bundled the way the extension ships:
 *
 *   npx tsx scripts/benchComments.ts [--repeats 20] [--lines 5000]
 *   npx esbuild scripts/benchComments.ts --bundle --platform=node --outfile=/tmp/benchComments.js && node /tmp/benchComments.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractComments } from '../src/core/comments';
import { splitSentences } from '../src/core/text/sentences';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const repeats = Math.max(2, Number(argument('repeats', '20')));
const lineCount = Number(argument('lines', '5000'));
const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'comments');

const CASES: readonly [string, string][] = [
  ['typescript', 'sample.ts'],
  ['javascript', 'sample.js'],
  ['python', 'sample.py'],
  ['rust', 'sample.rs'],
  ['csharp', 'sample.cs'],
  ['shellscript', 'sample.sh'],
  ['php', 'sample.php'],
  ['yaml', 'sample.yaml'],
  ['html', 'sample.html'],
  ['markdown', 'sample.md'],
];

/** The fixture repeated until the document has at least `lines` lines. */
function documentOf(file: string, lines: number): string {
  const snippet = readFileSync(join(FIXTURES, file), 'utf8');
  const perCopy = snippet.split('\n').length - 1;
  return snippet.repeat(Math.ceil(lines / perCopy));
}

const documents = CASES.map(([language, file]) => ({ language, text: documentOf(file, lineCount) }));
const times = new Map<string, number[]>(CASES.map(([language]) => [language, []]));
const sentenceTimes: number[] = [];
let checksum = 0;

for (let repeat = 0; repeat < repeats; repeat++) {
  for (const { language, text } of documents) {
    const started = performance.now();
    const blocks = extractComments(text, language);
    (times.get(language) as number[]).push(performance.now() - started);
    checksum += blocks.length;
    if (language === 'typescript') {
      const sentencesStarted = performance.now();
      for (const block of blocks) checksum += splitSentences(block.text).length;
      sentenceTimes.push(performance.now() - sentencesStarted);
    }
  }
}

const format = (values: number[]): string => {
  const sorted = values.slice(1).sort((a, b) => a - b);
  const at = (q: number): string => sorted[Math.floor(q * (sorted.length - 1))].toFixed(2).padStart(7);
  return `${values[0].toFixed(2).padStart(7)}   ${at(0)} ${at(0.5)} ${at(1)}`;
};

console.log(
  `extractComments, ${repeats} repeats, documents of >= ${lineCount} lines (ms: first   then min median max)`,
);
for (const { language, text } of documents) {
  const lines = text.split('\n').length - 1;
  const blocks = extractComments(text, language).length;
  console.log(
    `  ${language.padEnd(12)} ${String(lines).padStart(6)} lines ${(text.length / 1024).toFixed(0).padStart(5)} KiB ${String(blocks).padStart(6)} blocks  ${format(times.get(language) as number[])}`,
  );
}
console.log(`splitSentences over the typescript blocks                              ${format(sentenceTimes)}`);
console.log(`(checksum ${checksum})`);
