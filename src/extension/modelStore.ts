import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MODEL_FILES } from '../core/model/modelIO';

/** Where a model lives: shipped inside the extension, or trained/imported by the user. */
export type ModelOrigin = 'bundled' | 'user';

/** A model folder the extension knows about. */
export interface ModelEntry {
  readonly name: string;
  readonly origin: ModelOrigin;
  readonly dir: string;
}

/**
 * The model folders: bundled ones under `<extension>/model/<name>/` (read-only) and the user's
 * under `<globalStorage>/models/<name>/`. A user model may not take a bundled model's name.
 * Fires `onDidChange` when the user's models change (save, rename, delete, import).
 */
export class ModelStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the set of user models or their files changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionDir: string,
    private readonly storageDir: string,
  ) {}

  /** Folder holding the bundled models. */
  get bundledRoot(): string {
    return path.join(this.extensionDir, 'model');
  }

  /** Folder holding the user's models. */
  get userRoot(): string {
    return path.join(this.storageDir, 'models');
  }

  /** Every model folder that holds a model.json, bundled first, each group sorted by name. */
  list(): ModelEntry[] {
    const scan = (root: string, origin: ModelOrigin): ModelEntry[] => {
      let names: string[] = [];
      try {
        names = fs.readdirSync(root).filter((name) => !name.startsWith('.') && fs.existsSync(path.join(root, name, MODEL_FILES.model)));
      } catch {
        names = [];
      }
      return names.sort().map((name) => ({ name, origin, dir: path.join(root, name) }));
    };
    const bundled = scan(this.bundledRoot, 'bundled');
    const taken = new Set(bundled.map((m) => m.name));
    return [...bundled, ...scan(this.userRoot, 'user').filter((m) => !taken.has(m.name))];
  }

  /** The model of that name, or undefined. */
  find(name: string): ModelEntry | undefined {
    return this.list().find((m) => m.name === name);
  }

  /** Tells listeners that user models changed (called by whoever wrote them). */
  notifyChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
