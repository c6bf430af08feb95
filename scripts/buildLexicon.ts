/**
 * Writes src/core/lexicon/sentimentLexicon.json, the word lists of lexicon-regularised training
 * (src/core/lexicon/lexiconTargets.ts), from two lexicons that npm ships:
 *
 * - VADER (Hutto & Gilbert, ICWSM 2014): the word ratings of `vader-sentiment`'s vader_lexicon.txt
 *   (mean of ten human ratings, -4 .. 4), its negation words and its degree adverbs with their
 *   increments (B_INCR = 0.293, B_DECR = -0.293). vaderSentiment (MIT), vaderSentiment-js
 *   (Apache-2.0, Comcast).
 * - AFINN-165 (Finn Årup Nielsen; word list under the Apache-2.0 licence of github.com/fnielsen/afinn),
 *   as shipped in `sentiment`'s languages/en/labels.json (MIT, Andrew Sliwinski): integer valences
 *   -5 .. 5, used, scaled by 4/5, for words VADER does not rate.
 *
 * Only single words (no spaces) are kept; ratings are rounded to one decimal. The output depends
 * only on the two packages' files, so it rebuilds byte for byte:
 *
 *   npx tsx scripts/buildLexicon.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'src', 'core', 'lexicon', 'sentimentLexicon.json');

// VADER's NEGATE list (vaderSentiment.js) in the tokenizer's form: contractions end up as "n't"
// after the clitic split, so only the words that survive as tokens matter; "despite" is left out
// (it introduces a concession, not a negation of what follows).
const NEGATORS = [
  "n't",
  'not',
  'no',
  'never',
  'none',
  'nobody',
  'nothing',
  'nowhere',
  'neither',
  'nor',
  'without',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'wont',
  'wouldnt',
  'couldnt',
  'shouldnt',
  'hasnt',
  'havent',
  'hadnt',
  'aint',
  'rarely',
  'seldom',
];

// VADER's BOOSTER_DICT single words, without the ones that are mostly something else in reviews
// ("more", "most", "so", "little", "less", "just": comparison, quantity, connective).
const BOOSTER_WORDS = [
  'absolutely',
  'amazingly',
  'awfully',
  'completely',
  'considerably',
  'decidedly',
  'deeply',
  'enormously',
  'entirely',
  'especially',
  'exceptionally',
  'extremely',
  'fabulously',
  'fully',
  'greatly',
  'highly',
  'hugely',
  'incredibly',
  'intensely',
  'particularly',
  'purely',
  'quite',
  'really',
  'remarkably',
  'substantially',
  'thoroughly',
  'totally',
  'tremendously',
  'unbelievably',
  'unusually',
  'utterly',
  'very',
];
const DAMPENER_WORDS = [
  'almost',
  'barely',
  'hardly',
  'kinda',
  'marginally',
  'occasionally',
  'partly',
  'scarcely',
  'slightly',
  'somewhat',
  'sorta',
];
const B_INCR = 0.293;

// Conjunctions after which the rest of the sentence carries its sentiment ("X but Y" reads as Y);
// "yet" and "still" are left out, being mostly "yet another" and "still good" in reviews.
const CONTRAST = ['but', 'however', 'nevertheless', 'nonetheless'];

function vaderRatings(): Map<string, number> {
  const file = path.join(root, 'node_modules', 'vader-sentiment', 'vader_lexicon.txt');
  const ratings = new Map<string, number>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [word, mean] = line.split('\t');
    if (!word || word.includes(' ') || mean === undefined) continue;
    ratings.set(word.toLowerCase(), Number(mean));
  }
  return ratings;
}

function afinnRatings(): Map<string, number> {
  const file = path.join(root, 'node_modules', 'sentiment', 'languages', 'en', 'labels.json');
  const labels = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
  return new Map(
    Object.entries(labels)
      .filter(([word]) => !word.includes(' '))
      .map(([word, value]) => [word.toLowerCase(), (value * 4) / 5]),
  );
}

function main(): void {
  const valence = vaderRatings();
  for (const [word, value] of afinnRatings()) if (!valence.has(word)) valence.set(word, value);
  const special = new Set([...NEGATORS, ...BOOSTER_WORDS, ...DAMPENER_WORDS, ...CONTRAST]);
  const words = [...valence.entries()]
    .filter(([word, value]) => !special.has(word) && Math.abs(value) >= 0.05)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lexicon = {
    about:
      'Word lists of lexicon-regularised training; built by scripts/buildLexicon.ts from VADER (vader-sentiment) and AFINN-165 (sentiment). See THIRD_PARTY_NOTICES.md.',
    negators: NEGATORS,
    boosters: Object.fromEntries(
      [...BOOSTER_WORDS.map((w) => [w, B_INCR]), ...DAMPENER_WORDS.map((w) => [w, -B_INCR])].sort(([a], [b]) =>
        a < b ? -1 : 1,
      ),
    ),
    contrast: CONTRAST,
    valence: Object.fromEntries(words.map(([word, value]) => [word, Math.round(value * 10) / 10])),
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(lexicon) + '\n');
  process.stdout.write(
    `wrote ${path.relative(root, out)}: ${words.length} rated words, ${NEGATORS.length} negators, ${BOOSTER_WORDS.length + DAMPENER_WORDS.length} degree adverbs, ${CONTRAST.length} contrast words\n`,
  );
}

main();
