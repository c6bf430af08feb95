import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataSource } from '../../protocol/views';

/** Extensions of files that may hold labelled data. */
const LABELLED_EXTENSIONS = ['csv', 'tsv', 'jsonl', 'ndjson', 'txt', 'pos', 'neg'];

/** The data source for a chosen file: a .pos/.neg file with its sibling becomes a pair. */
export function sourceForFile(file: string): DataSource {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.pos' || ext === '.neg') {
    const stem = file.slice(0, -ext.length);
    const positivePath = `${stem}${ext === '.pos' ? ext : '.pos'}`;
    const negativePath = `${stem}${ext === '.neg' ? ext : '.neg'}`;
    const other = ext === '.pos' ? negativePath : positivePath;
    const sibling = [other, other.toUpperCase()].find((f) => fs.existsSync(f));
    if (sibling)
      return {
        kind: 'pair',
        positivePath: ext === '.pos' ? file : sibling,
        negativePath: ext === '.neg' ? file : sibling,
      };
  }
  return { kind: 'file', path: file };
}

/** A quick pick item that opens the panel on a source, or asks for a file. */
export interface SourcePickItem extends vscode.QuickPickItem {
  readonly source?: DataSource;
  readonly browse?: true;
}

/**
 * Items for "Train on Workspace File": the active editor's file, the workspace's likely labelled
 * files (.csv .tsv .jsonl .txt, and .pos/.neg pairs as one item), then "Browse...".
 */
export async function candidateSourceItems(): Promise<SourcePickItem[]> {
  const items: SourcePickItem[] = [];
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    items.push({
      label: `$(file) ${path.basename(active.fsPath)}`,
      description: 'the file open in the editor',
      source: sourceForFile(active.fsPath),
    });
  }
  const found = await vscode.workspace.findFiles(
    `**/*.{${LABELLED_EXTENSIONS.join(',')}}`,
    '**/{node_modules,.git,dist,out}/**',
    500,
  );
  const seen = new Set<string>(active ? [active.fsPath] : []);
  for (const uri of found.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    if (seen.has(uri.fsPath)) continue;
    const source = sourceForFile(uri.fsPath);
    const key = source.kind === 'pair' ? source.positivePath : source.path;
    if (source.kind === 'pair') {
      seen.add(source.positivePath);
      seen.add(source.negativePath);
    }
    seen.add(key);
    const relative = vscode.workspace.asRelativePath(uri);
    items.push(
      source.kind === 'pair'
        ? {
            label: `${path.basename(source.positivePath)} + ${path.basename(source.negativePath)}`,
            description: `${path.dirname(relative)} · one sentence per line, a file per class`,
            source,
          }
        : {
            label: path.basename(uri.fsPath),
            description: path.dirname(relative) === '.' ? '' : path.dirname(relative),
            source,
          },
    );
  }
  items.push({ label: '$(folder-opened) Browse...', description: 'choose a file anywhere', browse: true });
  return items;
}

/** The open-file dialog for a training file. */
export async function browseForSource(): Promise<DataSource | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Train on this file',
    filters: { 'Labelled data': LABELLED_EXTENSIONS, 'All files': ['*'] },
  });
  return picked?.[0] ? sourceForFile(picked[0].fsPath) : undefined;
}
