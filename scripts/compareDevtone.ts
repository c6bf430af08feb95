/**
 * Our review-comment models and the lexicon libraries side by side, per platform, on the developers'-
 * writing data (devtone and Senti4SD). Our figures are out-of-fold: every text is scored by a model of
 * the same recipe that did not train on it (scripts/reviewSignalsCv.ts), so the shipped models, which
 * trained on all of it, are not judged on their own training data. The lexicons learn nothing and are
 * run on the very same texts.
 *
 *   npm run compare -- --devtone --harsh-cv FILE --tone-cv FILE [--previous-tone-cv FILE] [--out FILE.md]
 *
 * Harshness is judged as a binary decision (harsh vs the rest): our harshness model at P(harsh) >= 0.5
 * and at the editor's default threshold, our tone model's negative class, VADER compound <= -0.05 and
 * AFINN comparative < 0 (a lexicon's negative is the only harshness signal it has). Tone is judged on
 * the three classes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { afinnLabels, TONE_LABELS, vaderLabels } from './lexiconAdapters';
import { prf } from './reviewSignalsReport';

interface OutOfFold {
  readonly fold: number;
  readonly source: string;
  readonly gold: string;
  readonly text: string;
  readonly probabilities: Record<string, number>;
}

function readOutOfFold(file: string): OutOfFold[] {
  const rows: OutOfFold[] = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  if (rows.some((r) => typeof r.text !== 'string'))
    throw new Error(`${file}: rows without their text (rerun scripts/reviewSignalsCv.ts)`);
  return rows;
}

function argmaxLabel(p: Record<string, number>): string {
  return Object.entries(p).reduce((best, cur) => (cur[1] > best[1] ? cur : best))[0];
}

function cell(decisions: readonly boolean[], relevant: readonly boolean[]): string {
  const { precision, recall, f1 } = prf(decisions, relevant);
  return `${precision.toFixed(2)} / ${recall.toFixed(2)} / **${f1.toFixed(2)}**`;
}

function macroF1(gold: readonly string[], predicted: readonly string[]): { macro: number; negative: number } {
  const present = TONE_LABELS.filter((label) => gold.includes(label));
  const f1 = (label: string) =>
    prf(
      predicted.map((p) => p === label),
      gold.map((g) => g === label),
    ).f1;
  return { macro: present.reduce((sum, label) => sum + f1(label), 0) / present.length, negative: f1('negative') };
}

/** The Markdown comparison; `harshThreshold` is the editor's default for harsh findings. */
export function compareDevtone(
  files: { harsh: string; tone: string; previousTone?: string },
  harshThreshold: number,
  command: string,
): string {
  const harsh = readOutOfFold(files.harsh);
  const tone = readOutOfFold(files.tone);
  const previous = files.previousTone ? readOutOfFold(files.previousTone) : [];
  const toneByText = new Map(tone.map((r) => [r.text, r]));
  const previousByText = new Map(previous.map((r) => [r.text, r]));
  const lines: string[] = [];

  lines.push('## Harshness (harsh vs the rest): precision / recall / F1', '');
  lines.push(
    `| platform (data set) | texts (harsh) | review-harshness, P >= 0.5 | review-harshness, P >= ${harshThreshold} (editor default) | review-tone: negative${previous.length ? ' | Senti4SD-only tone recipe: negative' : ''} | VADER: negative | AFINN: negative |`,
  );
  lines.push(`| --- | --- | --- | --- | ---${previous.length ? ' | ---' : ''} | --- | --- |`);
  for (const source of [...new Set(harsh.map((r) => r.source))].sort()) {
    const rows = harsh.filter((r) => r.source === source);
    const texts = rows.map((r) => r.text);
    const relevant = rows.map((r) => r.gold === 'harsh');
    const toneNegative = (byText: Map<string, OutOfFold>) =>
      rows.map((r) => {
        const scored = byText.get(r.text);
        return scored ? argmaxLabel(scored.probabilities) === 'negative' : false;
      });
    const cells = [
      cell(
        rows.map((r) => r.probabilities.harsh >= 0.5),
        relevant,
      ),
      cell(
        rows.map((r) => r.probabilities.harsh >= harshThreshold),
        relevant,
      ),
      cell(toneNegative(toneByText), relevant),
      ...(previous.length ? [cell(toneNegative(previousByText), relevant)] : []),
      cell(
        vaderLabels(texts).map((l) => l === 'negative'),
        relevant,
      ),
      cell(
        afinnLabels(texts).map((l) => l === 'negative'),
        relevant,
      ),
    ];
    lines.push(`| ${source} | ${rows.length} (${relevant.filter(Boolean).length}) | ${cells.join(' | ')} |`);
  }
  lines.push('');

  lines.push('## Tone (negative / neutral / positive): macro-F1, negative-class F1 in brackets', '');
  lines.push(
    `| platform (data set) | texts | review-tone${previous.length ? ' | Senti4SD-only tone recipe' : ''} | VADER | AFINN |`,
  );
  lines.push(`| --- | --- | ---${previous.length ? ' | ---' : ''} | --- | --- |`);
  for (const source of [...new Set(tone.map((r) => r.source))].sort()) {
    const rows = tone.filter((r) => r.source === source && TONE_LABELS.includes(r.gold as never));
    if (!rows.length) continue;
    const gold = rows.map((r) => r.gold);
    const texts = rows.map((r) => r.text);
    const show = (predicted: readonly string[]) => {
      const f = macroF1(gold, predicted);
      return `**${f.macro.toFixed(3)}** (${f.negative.toFixed(3)})`;
    };
    const previousPredicted = rows.map((r) => {
      const p = previousByText.get(r.text);
      return p ? argmaxLabel(p.probabilities) : 'neutral';
    });
    lines.push(
      `| ${source} | ${rows.length} | ${show(rows.map((r) => argmaxLabel(r.probabilities)))}${previous.length ? ` | ${show(previousPredicted)}` : ''} | ${show(vaderLabels(texts))} | ${show(afinnLabels(texts))} |`,
    );
  }
  lines.push('');

  return `# Developers' writing per platform: our review-comment models and the lexicon libraries

Every figure of ours is out-of-fold (${new Set(harsh.map((r) => r.fold)).size}-fold cross-validation stratified by data set and label:
each text is scored by a model of the shipped recipe that did not see it; see the model cards). The
lexicons (VADER, AFINN-165; adapters in \`scripts/lexiconAdapters.ts\`) run on the same texts. Blind
code-review sets are held back and are not used here.

${lines.join('\n')}
- The Senti4SD-only columns are the previous tone model's data with today's settings, scored out of fold
  by their own cross-validation run (its number of folds may differ).
- A lexicon has no harshness class: its negative decision stands in for it, which is what people
  who use one for this do. Data sets label at different edges (one set's "negative" is another's
  "neutral"; toxic in the Gerrit and Gitter sets includes profanity at code or at oneself; the GitHub
  incivility set's civil comments come from heated threads), so compare systems within a row.
- The GitHub incivility row counts as harsh only the types the editor flags (insulting, vulgarity,
  mocking, identity attack, threat, impatience); bitter frustration, irony and entitlement are left out.

Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'CPU'}).
`;
}
