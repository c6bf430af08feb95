import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MODEL_NAME, MODEL_NAME_RULE } from '../protocol/modelNames';
import type { ModelMetadata } from '../core/model/metadata';
import { MAX_MODEL_JSON_BYTES } from '../core/files/limits';
import { loadModel, MODEL_FILES } from '../core/model/modelIO';
import { readRegularFile, readRegularFileSync } from '../core/files/regularFile';

/** Where a model lives: shipped inside the extension, or trained/imported by the user. */
export type ModelOrigin = 'bundled' | 'user';

/** A model folder the extension knows about. */
export interface ModelEntry {
  readonly name: string;
  readonly origin: ModelOrigin;
  readonly dir: string;
}

/** What the model list shows of a model's metadata.json (read without loading the weights). */
export interface ModelSummary {
  readonly accuracy?: number;
  readonly macroF1?: number;
  readonly createdAt?: string;
  readonly description?: string;
  readonly labels?: readonly string[];
  readonly problem?: string;
}

/**
 * The model folders: bundled ones under `<extension>/model/<name>/` (read-only) and the user's
 * under `<globalStorage>/models/<name>/`. A user model may not take a bundled model's name.
 * Fires `onDidChange` when the user's models change (save, rename, delete, import).
 * The one place that knows where model folders are and changes them; every change is atomic
 * (a temporary sibling folder, then a rename), so a failure leaves the old state.
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
        names = fs
          .readdirSync(root)
          .filter((name) => !name.startsWith('.') && fs.existsSync(path.join(root, name, MODEL_FILES.model)));
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

  /** Why `name` cannot be used for a new user model, or undefined when it can. */
  checkNewName(name: string): string | undefined {
    if (!MODEL_NAME.test(name)) return `"${name}" is not a valid model name: use ${MODEL_NAME_RULE}`;
    const existing = this.find(name);
    if (existing) return `a ${existing.origin === 'bundled' ? 'bundled ' : ''}model named "${name}" already exists`;
    return undefined;
  }

  /** The folder a user model of that name lives (or would live) in; throws on an invalid name. */
  userModelDir(name: string): string {
    if (!MODEL_NAME.test(name)) throw new Error(`"${name}" is not a valid model name`);
    return path.join(this.userRoot, name);
  }

  /** Accuracy, date and description from a model's metadata.json; `problem` when unreadable. */
  summary(entry: ModelEntry): ModelSummary {
    try {
      const metadata = JSON.parse(
        readRegularFileSync(path.join(entry.dir, MODEL_FILES.metadata), MAX_MODEL_JSON_BYTES).toString('utf8'),
      ) as Partial<ModelMetadata>;
      const validation = metadata.metrics?.validation;
      return {
        accuracy: typeof validation?.accuracy === 'number' ? validation.accuracy : undefined,
        macroF1: typeof validation?.macroF1 === 'number' ? validation.macroF1 : undefined,
        createdAt: typeof metadata.createdAt === 'string' ? metadata.createdAt : undefined,
        description: typeof metadata.description === 'string' ? metadata.description : undefined,
        labels: Array.isArray(metadata.labels) ? metadata.labels.map(String) : undefined,
      };
    } catch (error) {
      return { problem: `cannot read ${MODEL_FILES.metadata}: ${(error as Error).message}` };
    }
  }

  /** Deletes a user model (bundled models cannot be deleted): moved aside atomically, then removed. */
  async delete(name: string): Promise<void> {
    const entry = this.userEntry(name);
    fs.mkdirSync(this.userRoot, { recursive: true });
    const trash = path.join(this.userRoot, `.deleting-${name}-${randomBytes(4).toString('hex')}`);
    await fs.promises.rename(entry.dir, trash);
    this.notifyChanged();
    await fs.promises.rm(trash, { recursive: true, force: true });
  }

  /** Renames a user model's folder (one atomic rename) and the name in its metadata.json. */
  async rename(from: string, to: string): Promise<ModelEntry> {
    const entry = this.userEntry(from);
    const problem = this.checkNewName(to);
    if (problem) throw new Error(problem);
    const target = this.userModelDir(to);
    await fs.promises.rename(entry.dir, target);
    try {
      const metadataPath = path.join(target, MODEL_FILES.metadata);
      const metadata = JSON.parse(
        (await readRegularFile(metadataPath, MAX_MODEL_JSON_BYTES)).toString('utf8'),
      ) as Record<string, unknown>;
      await writeFileAtomically(metadataPath, `${JSON.stringify({ ...metadata, name: to }, null, 2)}\n`);
    } finally {
      this.notifyChanged();
    }
    return { name: to, origin: 'user', dir: target };
  }

  /**
   * Imports a model folder (ours, or a Keras model converted by the TensorFlow.js converter with a
   * metadata.json beside it) as user model `name`: validated by loading it, copied to a temporary
   * folder, the copy validated again (only regular files are copied, so a folder of symbolic links
   * or special files fails here), then renamed into place.
   */
  async import(sourceDir: string, name: string): Promise<ModelEntry> {
    const problem = this.checkNewName(name);
    if (problem) throw new Error(problem);
    const loaded = await loadModel(sourceDir); // throws ModelLoadError listing every problem
    loaded.dispose();
    const target = this.userModelDir(name);
    await copyFolderAtomically(sourceDir, target, async (copy) => {
      try {
        (await loadModel(copy)).dispose();
      } catch (error) {
        throw new Error(
          `the copy of ${sourceDir} is not a complete model (are its files symbolic links or special files?): ${(error as Error).message}`,
        );
      }
    });
    this.notifyChanged();
    return { name, origin: 'user', dir: target };
  }

  /** Copies a model's folder (bundled or user) to `<destinationParent>/<name>`; returns that path. */
  async export(name: string, destinationParent: string): Promise<string> {
    const entry = this.find(name);
    if (!entry) throw new Error(`no model named "${name}"`);
    const target = path.join(destinationParent, name);
    if (fs.existsSync(target)) throw new Error(`${target} already exists`);
    await copyFolderAtomically(entry.dir, target);
    return target;
  }

  private userEntry(name: string): ModelEntry {
    const entry = this.find(name);
    if (!entry) throw new Error(`no model named "${name}"`);
    if (entry.origin !== 'user') throw new Error(`"${name}" is a bundled model; it cannot be changed`);
    return entry;
  }

  /** Tells listeners that user models changed (called by whoever wrote them). */
  notifyChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Copies a folder's regular files (not sub-folders, links or special files) into a temporary
 * sibling of `target`, checks the copy with `validate` (when given), then renames it into place.
 */
async function copyFolderAtomically(
  source: string,
  target: string,
  validate?: (copy: string) => Promise<void>,
): Promise<void> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.copying-${randomBytes(4).toString('hex')}`,
  );
  try {
    await fs.promises.mkdir(temporary);
    for (const entry of await fs.promises.readdir(source, { withFileTypes: true })) {
      if (entry.isFile()) await fs.promises.copyFile(path.join(source, entry.name), path.join(temporary, entry.name));
    }
    await validate?.(temporary);
    await fs.promises.rename(temporary, target);
  } catch (error) {
    await fs.promises.rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** Writes a file through a temporary sibling and a rename. */
async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  await fs.promises.writeFile(temporary, text);
  await fs.promises.rename(temporary, file);
}
