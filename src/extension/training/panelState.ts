/**
 * The training panel's state across a window reload, without VS Code APIs (unit-tested). The state
 * the webview kept is untrusted: the host decides which file is read and with which limit.
 */
import { DEFAULT_MAX_BYTES } from '../../core/readers/files';
import { DataSource, PanelSnapshot, RUNNING_STATUSES, sourceFiles } from '../../protocol/views';

/** Whether two data sources read the same files the same way. */
export function sameSource(a: DataSource, b: DataSource): boolean {
  if (a.kind === 'pair' || b.kind === 'pair') {
    return a.kind === b.kind && sourceFiles(a).join('\0') === sourceFiles(b).join('\0');
  }
  return (
    a.path === b.path &&
    a.format === b.format &&
    a.hasHeader === b.hasHeader &&
    a.textColumn === b.textColumn &&
    a.labelColumn === b.labelColumn
  );
}

/**
 * The snapshot kept by the webview, after a window reload: a run that was going on is over (its
 * worker is gone), and a finished run's weights are gone, so it cannot be saved any more. The
 * file limit is the host's, and the data source is kept only when it is `lastSource`, the one the
 * host itself read last (else the panel asks for a file again).
 */
export function restoredSnapshot(saved: PanelSnapshot, lastSource: DataSource | undefined): PanelSnapshot {
  const run = saved.run;
  const trusted = saved.source !== undefined && lastSource !== undefined && sameSource(saved.source.source, lastSource);
  const report = run.report && !run.report.savedAs ? { ...run.report, saveable: false } : run.report;
  const interrupted = RUNNING_STATUSES.has(run.status);
  return {
    ...saved,
    source: trusted ? saved.source : undefined,
    maxFileBytes: DEFAULT_MAX_BYTES,
    notice: undefined,
    run: interrupted
      ? {
          ...run,
          status: 'failed',
          report: undefined,
          remainingSeconds: undefined,
          message: 'The window was reloaded during training, which stopped the run. Your saved models are unchanged.',
        }
      : { ...run, report },
  };
}
