import * as vscode from 'vscode';
import { readConfig } from '../config';
import type { ToneFinding, ToneReport } from './commentToneChecker';
import type { IgnoreStore } from './ignoreStore';

/** The `source` of every diagnostic this extension reports. */
export const DIAGNOSTIC_SOURCE = 'Sentiment Lens';
/** The `code` of a negative-tone diagnostic. */
export const NEGATIVE_TONE_CODE = 'negative-tone';

/** A finding as shown: its range in the document and whether it is flagged or ignored. */
export interface PlacedFinding {
  readonly finding: ToneFinding;
  readonly range: vscode.Range;
  readonly flagged: boolean;
  readonly ignored: boolean;
}

/**
 * The Problems-panel side of tone checks: keeps the last report of every checked file and turns
 * it into diagnostics (comments whose negative probability reaches the threshold, minus ignored
 * comments and files). Re-publishes without reclassifying when the threshold, severity or the
 * ignore lists change.
 */
export class ToneDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sentimentLens');
  private readonly reports = new Map<string, ToneReport>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a file's diagnostics were set or cleared. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ignores: IgnoreStore) {
    this.disposables.push(
      this.collection,
      this.changed,
      ignores.onDidChange(() => this.republishAll()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sentimentLens.comments')) this.republishAll();
      }),
    );
  }

  /** Stores a report and publishes its diagnostics. */
  set(report: ToneReport): void {
    this.reports.set(report.uri, report);
    this.publish(vscode.Uri.parse(report.uri));
  }

  /** The last report of a file. */
  report(uri: vscode.Uri): ToneReport | undefined {
    return this.reports.get(uri.toString());
  }

  /** Every comment of the last report with its range, flagged and ignored state. */
  placed(uri: vscode.Uri): PlacedFinding[] {
    const report = this.reports.get(uri.toString());
    if (!report) return [];
    const { threshold } = readConfig(uri).comments;
    const fileIgnored = this.ignores.isFileIgnored(uri);
    return report.findings.map((finding) => {
      const start = report.lines.position(finding.tone.proseRange.start);
      const end = report.lines.position(finding.tone.proseRange.end);
      return {
        finding,
        range: new vscode.Range(start.line, start.character, end.line, end.character),
        flagged: finding.tone.negativeProbability >= threshold,
        ignored: fileIgnored || this.ignores.isCommentIgnored(finding.key),
      };
    });
  }

  /** The published diagnostics of a file. */
  diagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** The finding a diagnostic was made from (matched by range). */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): ToneFinding | undefined {
    return this.placed(uri).find((p) => p.range.isEqual(diagnostic.range))?.finding;
  }

  /** Removes a file's report and diagnostics. */
  delete(uri: vscode.Uri): void {
    this.reports.delete(uri.toString());
    this.collection.delete(uri);
    this.changed.fire(uri);
  }

  private publish(uri: vscode.Uri): void {
    const { severity } = readConfig(uri).comments;
    const diagnostics = this.placed(uri)
      .filter((p) => p.flagged && !p.ignored)
      .map(({ finding, range }) => {
        const diagnostic = new vscode.Diagnostic(range, messageFor(finding), severity);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = NEGATIVE_TONE_CODE;
        return diagnostic;
      });
    this.collection.set(uri, diagnostics);
    this.changed.fire(uri);
  }

  private republishAll(): void {
    for (const key of this.reports.keys()) this.publish(vscode.Uri.parse(key));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.reports.clear();
  }
}

/** "Negative tone (92%): "terrible", "hack" and "rewrite" pushed it most." */
export function messageFor(finding: ToneFinding): string {
  const percent = Math.round(finding.tone.negativeProbability * 100);
  const words = finding.tone.contributors.map((c) => `"${c.word}"`);
  const list = words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
  return words.length > 0 ? `Negative tone (${percent}%): ${list} pushed it most.` : `Negative tone (${percent}%).`;
}
