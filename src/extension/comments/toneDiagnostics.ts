import * as vscode from 'vscode';
import { CheckedSentence, FINDING_KIND_INFO, SignalScore, findingMessage } from '../../core/comments/commentCheck';
import { FINDING_KINDS, FindingKind } from '../../core/comments/checkSettings';
import type { ConfigService } from '../config';
import type { ToneReport } from './commentToneChecker';
import type { IgnoreStore } from './ignoreStore';

/** The `source` of every diagnostic this extension reports. */
export const DIAGNOSTIC_SOURCE = 'Sentiment Lens';
/** The `code` of a negative-tone diagnostic. */
export const NEGATIVE_TONE_CODE = FINDING_KIND_INFO.negative.code;
/** The `code` of a harsh diagnostic. */
export const HARSH_CODE = FINDING_KIND_INFO.harsh.code;

/** One kind's score of one sentence as shown: its range in the document, flagged (at or above the threshold) and ignored. */
export interface PlacedFinding {
  readonly sentence: CheckedSentence;
  readonly kind: FindingKind;
  readonly score: SignalScore;
  readonly range: vscode.Range;
  readonly flagged: boolean;
  readonly ignored: boolean;
}

/**
 * The Problems-panel side of comment checks: keeps the last report of every checked file and turns
 * it into diagnostics, one per sentence and kind at or above the kind's threshold (harsh, negative
 * tone), minus ignored comments and files. Re-publishes without reclassifying when a threshold, a
 * severity or the ignore lists change.
 */
export class ToneDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sentimentLens');
  private readonly reports = new Map<string, ToneReport>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a file's diagnostics were set or cleared. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly ignores: IgnoreStore,
    private readonly config: ConfigService,
  ) {
    this.disposables.push(
      this.collection,
      this.changed,
      ignores.onDidChange(() => this.republishAll()),
      config.onDidChange('comments', () => this.republishAll()),
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

  /** Every checked sentence and kind of the last report, with its range, flagged and ignored state; document order. */
  placed(uri: vscode.Uri): PlacedFinding[] {
    const report = this.reports.get(uri.toString());
    if (!report) return [];
    const { findings } = this.config.get(uri).comments;
    const fileIgnored = this.ignores.isFileIgnored(uri);
    const placed: PlacedFinding[] = [];
    for (const sentence of report.check.sentences) {
      const start = report.lines.position(sentence.range.start);
      const end = report.lines.position(sentence.range.end);
      const range = new vscode.Range(start.line, start.character, end.line, end.character);
      const ignored = fileIgnored || this.ignores.isCommentIgnored(sentence.commentKey);
      for (const kind of FINDING_KINDS) {
        const score = sentence.scores[kind];
        if (score)
          placed.push({
            sentence,
            kind,
            score,
            range,
            flagged: score.probability >= findings[kind].threshold,
            ignored,
          });
      }
    }
    return placed;
  }

  /** The published diagnostics of a file. */
  diagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** The finding a diagnostic was made from (matched by range and code). */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): PlacedFinding | undefined {
    return this.placed(uri).find(
      (p) => p.range.isEqual(diagnostic.range) && FINDING_KIND_INFO[p.kind].code === diagnostic.code,
    );
  }

  /** Removes a file's report and diagnostics. */
  delete(uri: vscode.Uri): void {
    this.reports.delete(uri.toString());
    this.collection.delete(uri);
    this.changed.fire(uri);
  }

  private publish(uri: vscode.Uri): void {
    const { findings } = this.config.get(uri).comments;
    const diagnostics = this.placed(uri)
      .filter((p) => p.flagged && !p.ignored)
      .map(({ kind, score, range }) => {
        const diagnostic = new vscode.Diagnostic(
          range,
          findingMessage(kind, score.probability, score.contributors),
          findings[kind].severity,
        );
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = FINDING_KIND_INFO[kind].code;
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
