/**
 * Sanity check of skip-gram pretraining on the movie-review text: trains on rt-polarity .pos + .neg
 * (crude tokens: lower-case, split on non-letters), prints speed and the nearest neighbours of a few words.
 *
 * Run: npx tsx scripts/skipgramDemo.ts [dataDir] [epochs] [dim] [subsample]
 * Subsample defaults to 1e-3 here: on this ~190k-token corpus it gives clearly better neighbours than
 * trainSkipGram's 1e-4 default, which discards most occurrences of every word seen more than ~19 times.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainSkipGram } from '../src/core/training/skipgram';
import { dataPath } from './dataDir';

const dataDir = process.argv[2] ?? dataPath('rt-polaritydata');
const epochs = Number(process.argv[3] ?? 5);
const dim = Number(process.argv[4] ?? 128);
const subsample = Number(process.argv[5] ?? 1e-3);
const probeWords = ['good', 'bad', 'funny', 'boring', 'great', 'worst', 'actor', 'script'];

function tokenize(line: string): string[] {
  return line
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word.length > 0);
}

const lines = ['rt-polarity.pos', 'rt-polarity.neg']
  .flatMap((name) => readFileSync(join(dataDir, name), 'latin1').split('\n'))
  .map(tokenize)
  .filter((tokens) => tokens.length > 0);

// Vocabulary by descending frequency; 0 = PAD, 1 = OOV (unused here: every word gets an id).
const frequency = new Map<string, number>();
for (const tokens of lines) for (const word of tokens) frequency.set(word, (frequency.get(word) ?? 0) + 1);
const words = [
  '<pad>',
  '<oov>',
  ...[...frequency.keys()].sort((a, b) => frequency.get(b)! - frequency.get(a)! || (a < b ? -1 : 1)),
];
const idOf = new Map(words.map((word, id) => [word, id]));
const sequences = lines.map((tokens) => Int32Array.from(tokens, (word) => idOf.get(word)!));
const tokenCount = sequences.reduce((sum, seq) => sum + seq.length, 0);
console.log(
  `${sequences.length} sentences, ${tokenCount} tokens, ${words.length - 2} distinct words; dim ${dim}, ${epochs} epochs, subsample ${subsample}`,
);

const start = performance.now();
const cpuStart = process.cpuUsage();
const vectors = trainSkipGram(sequences, words.length, { dim, epochs, subsample, seed: 1 });
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rate = (time: number): string => Math.round((tokenCount * epochs) / time).toLocaleString('en');
console.log(
  `trained in ${seconds.toFixed(2)} s wall (${rate(seconds)} tokens/s), ${cpuSeconds.toFixed(2)} s CPU (${rate(cpuSeconds)} tokens/s); tokens counted before subsampling`,
);

const minCount = 5; // trainSkipGram's default: only these rows were trained
const trainedIds = words.map((_, id) => id).filter((id) => id >= 2 && frequency.get(words[id])! >= minCount);
const norms = new Float64Array(words.length);
for (let id = 0; id < words.length; id++) {
  let sum = 0;
  for (let k = 0; k < dim; k++) sum += vectors[id * dim + k] ** 2;
  norms[id] = Math.sqrt(sum);
}
function cosine(a: number, b: number): number {
  let dot = 0;
  for (let k = 0; k < dim; k++) dot += vectors[a * dim + k] * vectors[b * dim + k];
  return dot / (norms[a] * norms[b]);
}
for (const word of probeWords) {
  const id = idOf.get(word);
  if (id === undefined) continue;
  const neighbours = trainedIds
    .filter((other) => other !== id)
    .map((other) => ({ word: words[other], similarity: cosine(id, other) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 8);
  console.log(`${word.padEnd(8)} ${neighbours.map((n) => `${n.word} ${n.similarity.toFixed(2)}`).join(', ')}`);
}
let sumSquares = 0;
let largest = 0;
for (const id of trainedIds) {
  for (const value of vectors.subarray(id * dim, (id + 1) * dim)) {
    sumSquares += value * value;
    largest = Math.max(largest, Math.abs(value));
  }
}
const rms = Math.sqrt(sumSquares / (trainedIds.length * dim));
console.log(
  `trained rows: ${trainedIds.length}, per-component RMS ${rms.toFixed(3)} (uniform[-1,1] std is 0.577), max |v| ${largest.toFixed(2)}`,
);
