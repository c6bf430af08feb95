import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_BYTES } from '../../src/core/readers/files';
import { restoredSnapshot, sameSource } from '../../src/extension/training/panelState';
import { DataSource, IDLE_RUN, PanelSnapshot, SourceView } from '../../src/protocol/views';

const chosen: DataSource = { kind: 'file', path: '/work/data/reviews.csv', format: 'csv' };

function savedState(source: DataSource, maxFileBytes: number): PanelSnapshot {
  const view = {
    source,
    title: 'x',
    format: 'csv',
    encoding: 'utf-8',
    examples: 2,
    labelCounts: {},
    preview: [],
    problems: [],
    problemsTotal: 0,
  } as unknown as SourceView;
  return {
    settings: {},
    defaults: {},
    run: IDLE_RUN,
    models: [],
    maxFileBytes,
    source: view,
  } as unknown as PanelSnapshot;
}

describe('panelState', () => {
  it('keeps the restored source only when it is the one the host last read', () => {
    assert.deepEqual(restoredSnapshot(savedState(chosen, DEFAULT_MAX_BYTES), { ...chosen }).source?.source, chosen);
    const planted: DataSource = { kind: 'file', path: '/home/user/.ssh/id_rsa' };
    assert.equal(restoredSnapshot(savedState(planted, DEFAULT_MAX_BYTES), chosen).source, undefined);
    assert.equal(restoredSnapshot(savedState(chosen, DEFAULT_MAX_BYTES), undefined).source, undefined);
  });

  it("uses the host's file size limit, not the one in the webview's state", () => {
    assert.equal(restoredSnapshot(savedState(chosen, Number.MAX_SAFE_INTEGER), chosen).maxFileBytes, DEFAULT_MAX_BYTES);
  });

  it('compares sources by files and reading options', () => {
    assert.ok(
      sameSource(
        { kind: 'pair', positivePath: 'a.pos', negativePath: 'a.neg' },
        { kind: 'pair', positivePath: 'a.pos', negativePath: 'a.neg' },
      ),
    );
    assert.ok(
      !sameSource(
        { kind: 'pair', positivePath: 'a.pos', negativePath: 'a.neg' },
        { kind: 'pair', positivePath: 'a.neg', negativePath: 'a.pos' },
      ),
    );
    assert.ok(!sameSource(chosen, { ...chosen, textColumn: 2 }));
    assert.ok(!sameSource(chosen, { kind: 'pair', positivePath: chosen.path, negativePath: chosen.path }));
  });
});
