/**
 * The developers'-writing data sets (one JSON object per line: text, label and per-set fields) and how
 * each set's labels map onto the two review-comment signals: harshness (harsh / not-harsh) and tone
 * (negative / neutral / positive). Label meanings differ between sets, so every mapping is per set and
 * a set that says nothing about a signal is left out of it rather than guessed.
 *
 * The folder is ../shared/data/devtone by default, or SENTIMENT_LENS_DEVTONE, or --devtone DIR.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataPath } from './dataDir';

/** One row of a devtone file, with the fields the mappings use. */
export interface DevtoneRow {
  readonly text: string;
  readonly label: string;
  /** Incivility type (github-incivility only). */
  readonly type?: string;
  /** 1-based line in its file. */
  readonly line: number;
}

/** A labelled text of one source, after mapping. */
export interface SourcedExample {
  readonly text: string;
  readonly label: string;
  readonly source: string;
  readonly file: string;
  readonly line: number;
}

/** A devtone file: where it comes from, its licence notice, how its labels map. */
export interface DevtoneSource {
  readonly file: string;
  /** Platform and set, for tables. */
  readonly title: string;
  /** Licence notice file in devtone/licences/. */
  readonly licence: string;
  readonly licenceName: string;
  readonly citation: string;
  /** harsh / not-harsh, or undefined to leave the row out of the harshness data. */
  readonly harsh?: (row: DevtoneRow) => 'harsh' | 'not-harsh' | undefined;
  /** negative / neutral / positive, or undefined to leave the row out of the tone data. */
  readonly tone?: (row: DevtoneRow) => 'negative' | 'neutral' | 'positive' | undefined;
}

/** Incivility types that are harshness as the review check means it: attacks on people, profanity, mocking, impatience, threats. */
export const HARSH_INCIVILITY_TYPES: ReadonlySet<string> = new Set([
  'Insulting',
  'Vulgarity',
  'Mocking',
  'Identity attack/Name-calling',
  'Threat',
  'Impatience',
]);

const toxicity = (row: DevtoneRow) =>
  row.label === 'toxic' ? 'harsh' : row.label === 'non-toxic' ? 'not-harsh' : undefined;

export const DEVTONE_SOURCES: Readonly<Record<string, DevtoneSource>> = {
  gerrit: {
    file: 'gerrit-toxicity.jsonl',
    title: 'Gerrit code review (toxicity)',
    licence: 'gerrit-gitter-toxicity.CC0.txt',
    licenceName: 'CC0 1.0',
    citation:
      'Sarker, Turzo, Bosu, "A benchmark study of the contemporary toxicity detectors on software engineering interactions", APSEC 2020',
    harsh: toxicity,
  },
  gitter: {
    file: 'gitter-toxicity.jsonl',
    title: 'Gitter developer chat (toxicity)',
    licence: 'gerrit-gitter-toxicity.CC0.txt',
    licenceName: 'CC0 1.0',
    citation: 'Sarker, Turzo, Bosu, APSEC 2020 (same benchmark)',
    harsh: toxicity,
  },
  'github-issues': {
    file: 'github-issue-toxicity.jsonl',
    title: 'GitHub issue comments (toxicity)',
    licence: 'github-issue-toxicity.MIT.txt',
    licenceName: 'MIT',
    citation: 'Raman et al., "Stress and burnout in open source", ICSE NIER 2020',
    harsh: toxicity,
  },
  'github-incivility': {
    file: 'github-incivility.jsonl',
    title: 'GitHub heated issues (incivility)',
    licence: 'github-incivility.MIT.txt',
    licenceName: 'MIT',
    citation: 'Ehsani et al., "Incivility in open source projects", 2024',
    // Bitter frustration, irony and entitlement are uncivil but not the harshness users want flagged: left out.
    harsh: (row) =>
      row.label === 'civil'
        ? 'not-harsh'
        : row.label === 'uncivil' && row.type !== undefined && HARSH_INCIVILITY_TYPES.has(row.type)
          ? 'harsh'
          : undefined,
  },
  jira: {
    file: 'jira-polarity.jsonl',
    title: 'Apache Jira issue comments (polarity)',
    licence: 'jira-polarity.MIT.txt',
    licenceName: 'MIT',
    citation:
      'Ortu et al., "The emotional side of software developers in JIRA", MSR 2016 (polarity version of the EMTK datasets)',
    tone: (row) =>
      row.label === 'negative' || row.label === 'neutral' || row.label === 'positive' ? row.label : undefined,
  },
};

/** The devtone folder: the flag, SENTIMENT_LENS_DEVTONE, or devtone/ in the datasets folder (scripts/dataDir.ts). */
export function devtoneDir(flag?: string): string {
  return flag ?? process.env.SENTIMENT_LENS_DEVTONE ?? dataPath('devtone');
}

/** Reads a devtone file; a line that is not an object with string text and label is an error naming its line. */
export function readDevtoneFile(file: string): DevtoneRow[] {
  const rows: DevtoneRow[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        throw new Error(`${file}:${index + 1}: not JSON (${(error as Error).message})`);
      }
      const record = parsed as { text?: unknown; label?: unknown; type?: unknown };
      if (typeof record.text !== 'string' || typeof record.label !== 'string')
        throw new Error(`${file}:${index + 1}: needs string "text" and "label" fields`);
      rows.push({
        text: record.text,
        label: record.label,
        type: typeof record.type === 'string' ? record.type : undefined,
        line: index + 1,
      });
    });
  return rows;
}

/** The examples of one signal from the named sources (all that map onto it by default). */
export function devtoneExamples(
  signal: 'harsh' | 'tone',
  dir: string,
  sources: readonly string[] = Object.keys(DEVTONE_SOURCES),
): SourcedExample[] {
  const examples: SourcedExample[] = [];
  for (const name of sources) {
    const source = DEVTONE_SOURCES[name];
    if (!source)
      throw new Error(`unknown devtone source "${name}" (known: ${Object.keys(DEVTONE_SOURCES).join(', ')})`);
    const map = source[signal];
    if (!map) continue;
    const file = path.join(dir, source.file);
    for (const row of readDevtoneFile(file)) {
      const label = map(row);
      if (label && row.text.trim() !== '') examples.push({ text: row.text, label, source: name, file, line: row.line });
    }
  }
  return examples;
}

/** Every text of the named sources, whatever its label (unlabelled text for a vocabulary or skip-gram). */
export function devtoneTexts(dir: string, sources: readonly string[]): string[] {
  return sources.flatMap((name) => {
    const source = DEVTONE_SOURCES[name];
    if (!source)
      throw new Error(`unknown devtone source "${name}" (known: ${Object.keys(DEVTONE_SOURCES).join(', ')})`);
    return readDevtoneFile(path.join(dir, source.file))
      .map((row) => row.text)
      .filter((text) => text.trim() !== '');
  });
}
