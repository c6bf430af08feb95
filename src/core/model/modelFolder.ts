/**
 * Where a model folder may be written, and how it is swapped in so that a crash at any instant
 * leaves a complete model at the target.
 *
 * A save writes the new model into a hidden sibling `.NAME.saving-PID-THREAD-TAG`, moves the old
 * model aside to `.NAME.replaced-PID-THREAD-TAG`, moves the new one into place and removes the old one. A
 * process killed between those steps leaves the target missing or stale folders behind; the next
 * load or save of that target finishes the job (recoverInterruptedSave): a missing target is
 * filled from a complete `.saving-` folder (the swap is completed) or else a complete `.replaced-`
 * folder (rolled back), and the hidden folders of saves that are no longer running are removed.
 *
 * Only a folder that holds a model of ours (a valid metadata.json), an empty folder or a path that
 * does not exist yet is ever replaced: anything else is refused before anything is written.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { MAX_MODEL_JSON_BYTES } from '../files/limits';
import { readRegularFile } from '../files/regularFile';
import { validateMetadata } from './metadata';

/** The files a model folder of ours holds (for a single network; an ensemble adds its members' files, see memberFileNames). */
export const MODEL_FILE_NAMES = Object.freeze({ model: 'model.json', weights: 'weights.bin', metadata: 'metadata.json' });

/**
 * The model.json and weights file of a model's network number `member` (1-based): model.json and
 * weights.bin for the first, model-K.json and weights-K.bin for member K of an ensemble.
 */
export function memberFileNames(member: number): { readonly model: string; readonly weights: string } {
  if (!(Number.isInteger(member) && member >= 1)) throw new Error(`a member number is a positive integer (got ${member})`);
  return member === 1
    ? { model: MODEL_FILE_NAMES.model, weights: MODEL_FILE_NAMES.weights }
    : { model: `model-${member}.json`, weights: `weights-${member}.bin` };
}

/** Whether `name` is a file a save of ours writes: model.json, weights.bin, metadata.json, model-K.json, weights-K.bin (K >= 2). */
export function isModelFileName(name: string): boolean {
  return (Object.values(MODEL_FILE_NAMES) as string[]).includes(name) || /^(model-([2-9]|[1-9]\d+)\.json|weights-([2-9]|[1-9]\d+)\.bin)$/.test(name);
}

/** Thrown when a model cannot be saved at a path: it names the path and says why. */
export class SaveTargetError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`cannot save a model to ${dir}: ${reason}`);
    this.name = 'SaveTargetError';
  }
}

/**
 * The file-system operations that change the disk during a save or a recovery. The default is
 * plain `fs`; a test passes a wrapper to fail or stop the process at any step.
 */
export interface SaveFileSystem {
  mkdir(dir: string, recursive: boolean): Promise<void>;
  /** Creates `file`, writes `data`, flushes it to disk and closes it. */
  writeFile(file: string, data: Uint8Array | string): Promise<void>;
  /** Flushes a folder's entries (new names, renames) to disk. */
  syncFolder(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder tree. */
  remove(target: string): Promise<void>;
}

/**
 * The hidden folders of the saves this thread is running. Hidden folders of another live process or
 * thread are never touched; those of this thread are stale once their save has returned. (The one
 * piece of module state here: it describes the thread, not any one caller.)
 */
const activeHiddenFolders = new Set<string>();

/** SaveFileSystem over node:fs. */
export const nodeSaveFileSystem: SaveFileSystem = Object.freeze({
  async mkdir(dir: string, recursive: boolean) {
    await fsp.mkdir(dir, { recursive });
  },
  async writeFile(file: string, data: Uint8Array | string) {
    const handle = await fsp.open(file, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async syncFolder(dir: string) {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } catch (error) {
      // Some file systems cannot fsync a folder; the rename is still atomic there.
      if (!['EINVAL', 'ENOTSUP', 'EPERM', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    } finally {
      await handle.close();
    }
  },
  async rename(from: string, to: string) {
    await fsp.rename(from, to);
  },
  async remove(target: string) {
    await fsp.rm(target, { recursive: true, force: true });
  },
});

/** What writeModelFolder needs besides the files. */
export interface SwapOptions {
  readonly fileSystem?: SaveFileSystem;
  /** Whether a folder holds a complete, loadable model (used to recover an interrupted save). */
  readonly isComplete: (dir: string) => Promise<boolean>;
  /** Told about problems that do not stop the save (e.g. the old model could not be removed). */
  readonly onWarning?: (message: string) => void;
}

/** A file to write: its content, or a function producing it while writing (so its failure happens mid-save). */
export type FileContent = Uint8Array | string | (() => Uint8Array | string);

/**
 * Checks that a model may be saved at `dir`, before any work: the path does not exist (and its
 * nearest existing ancestor is a folder we may write in), or it is an empty folder, or a folder
 * holding a model saved by Sentiment Lens (a valid metadata.json), which a save replaces.
 * Refuses files, symbolic links, other folders and the file-system root.
 * @throws SaveTargetError saying why, naming `dir`.
 */
export async function checkSaveTarget(dir: string): Promise<void> {
  const target = path.resolve(dir);
  if (path.dirname(target) === target) throw new SaveTargetError(dir, 'that is the root of the file system');
  const stat = await fsp.lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new SaveTargetError(dir, error.message);
  });
  if (stat) {
    if (stat.isSymbolicLink()) throw new SaveTargetError(dir, 'it is a symbolic link; give the model folder itself');
    if (!stat.isDirectory()) throw new SaveTargetError(dir, 'it is a file, not a model folder; Sentiment Lens only replaces a folder holding a model it saved');
    const problem = await whyNotReplaceable(target);
    if (problem) throw new SaveTargetError(dir, problem);
  }
  await checkWritableParent(dir, path.dirname(target));
}

/**
 * Writes `files` as the model folder `dir`, swapping it in so that every instant has a complete
 * model at `dir` or a complete one beside it that recoverInterruptedSave moves back: new files
 * into a hidden sibling (flushed), old folder renamed aside, new folder renamed into place, old
 * folder removed. A failure before the new folder is in place removes what was written and
 * leaves the old model; a failure to remove the old folder afterwards is only a warning.
 * @throws SaveTargetError when `dir` may not be replaced (see checkSaveTarget); nothing is written then.
 */
export async function writeModelFolder(dir: string, files: readonly (readonly [string, FileContent])[], options: SwapOptions): Promise<void> {
  const fileSystem = options.fileSystem ?? nodeSaveFileSystem;
  const target = path.resolve(dir);
  await recoverInterruptedSave(target, options);
  await checkSaveTarget(target);
  const tag = `${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`;
  const temporary = hiddenSibling(target, 'saving', tag);
  const aside = hiddenSibling(target, 'replaced', tag);
  activeHiddenFolders.add(temporary).add(aside);
  try {
    await swapIn(target, temporary, aside, files, fileSystem, options);
  } finally {
    activeHiddenFolders.delete(temporary);
    activeHiddenFolders.delete(aside);
  }
}

async function swapIn(target: string, temporary: string, aside: string, files: readonly (readonly [string, FileContent])[], fileSystem: SaveFileSystem, options: SwapOptions): Promise<void> {
  const parent = path.dirname(target);
  await fileSystem.mkdir(parent, true);
  await fileSystem.mkdir(temporary, false);
  let hadOld = false;
  try {
    for (const [name, content] of files) {
      await fileSystem.writeFile(path.join(temporary, name), typeof content === 'function' ? content() : content);
    }
    await fileSystem.syncFolder(temporary);
    // Checked again just before the swap: the folder may have changed while the files were written.
    await checkSaveTarget(target);
    hadOld = await fileSystem.rename(target, aside).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    try {
      await fileSystem.rename(temporary, target);
    } catch (error) {
      if (hadOld) {
        await fileSystem.rename(aside, target).catch((restoreError: Error) => {
          throw new Error(`${(error as Error).message}; the previous model is kept in ${aside} (${restoreError.message}) and is moved back the next time this model is loaded`);
        });
      }
      throw error;
    }
  } catch (error) {
    await fileSystem.remove(temporary).catch(() => undefined);
    throw error;
  }
  await fileSystem.syncFolder(parent).catch(() => undefined);
  if (hadOld) {
    await fileSystem.remove(aside).catch((error: Error) => {
      options.onWarning?.(`the new model is in place, but the previous one could not be removed from ${aside}: ${error.message}`);
    });
  }
}

/**
 * Finishes or rolls back a save of `dir` that was interrupted (the process was killed, the disk
 * filled, ...), and removes hidden `.saving-` / `.replaced-` siblings of `dir` left by processes
 * that no longer run. When `dir` is missing, the newest complete `.saving-` folder is moved in,
 * else the newest complete `.replaced-` one. Never throws: what cannot be done is reported to
 * `onWarning` and left for the next time.
 */
export async function recoverInterruptedSave(dir: string, options: SwapOptions): Promise<void> {
  const fileSystem = options.fileSystem ?? nodeSaveFileSystem;
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  let names: string[];
  try {
    names = await fsp.readdir(parent);
  } catch {
    return;
  }
  const leftovers: { full: string; kind: 'saving' | 'replaced'; mtime: number }[] = [];
  for (const name of names) {
    const parsed = parseHiddenSibling(path.basename(target), name);
    const full = path.join(parent, name);
    if (!parsed || isInUse(parsed, full)) continue;
    const stat = await fsp.lstat(full).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    // A .saving- folder holds only the files a save writes; anything else there is not ours to remove.
    if (parsed.kind === 'saving' && !(await holdsOnlyModelFiles(full))) continue;
    leftovers.push({ full, kind: parsed.kind, mtime: stat.mtimeMs });
  }
  if (leftovers.length === 0) return;
  const warn = (message: string) => options.onWarning?.(message);
  try {
    const exists = await fsp.lstat(target).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const newestFirst = (kind: 'saving' | 'replaced') => leftovers.filter((l) => l.kind === kind).sort((a, b) => b.mtime - a.mtime);
      for (const candidate of [...newestFirst('saving'), ...newestFirst('replaced')]) {
        if (!(await options.isComplete(candidate.full))) continue;
        await fileSystem.rename(candidate.full, target);
        leftovers.splice(leftovers.indexOf(candidate), 1);
        warn(`an interrupted save of ${target} was ${candidate.kind === 'saving' ? 'completed' : 'rolled back'}`);
        break;
      }
    }
    const targetNowExists = exists || (await fsp.lstat(target).then(() => true, () => false));
    for (const leftover of leftovers) {
      // Without a model at the target, a previous model may be the only copy left: keep it.
      if (!targetNowExists && leftover.kind === 'replaced') continue;
      await fileSystem.remove(leftover.full);
    }
  } catch (error) {
    warn(`could not clean up after an interrupted save of ${target}: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------

function hiddenSibling(target: string, kind: 'saving' | 'replaced', tag: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${tag}`);
}

interface HiddenSibling {
  readonly kind: 'saving' | 'replaced';
  readonly pid: number;
  readonly thread: number;
}

function parseHiddenSibling(base: string, name: string): HiddenSibling | undefined {
  const prefix = `.${base}.`;
  if (!name.startsWith(prefix)) return undefined;
  const match = /^(saving|replaced)-(\d+)-(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
  return match ? { kind: match[1] as 'saving' | 'replaced', pid: Number(match[2]), thread: Number(match[3]) } : undefined;
}

/** Whether a hidden folder may belong to a save that is still running. */
function isInUse(sibling: HiddenSibling, full: string): boolean {
  if (sibling.pid !== process.pid) return isRunning(sibling.pid);
  return sibling.thread !== threadId || activeHiddenFolders.has(full);
}

/** Whether a process with that id runs. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holdsOnlyModelFiles(dir: string): Promise<boolean> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => undefined);
  return entries !== undefined && entries.every((entry) => entry.isFile() && isModelFileName(entry.name));
}

/** Why an existing folder may not be replaced by a save, or undefined when it may. */
async function whyNotReplaceable(dir: string): Promise<string | undefined> {
  let entries: string[];
  try {
    entries = await fsp.readdir(dir);
  } catch (error) {
    return `cannot read the folder: ${(error as Error).message}`;
  }
  if (entries.length === 0) return undefined;
  const metadataFile = path.join(dir, MODEL_FILE_NAMES.metadata);
  let valid = false;
  try {
    const stat = await fsp.lstat(metadataFile);
    if (stat.isFile()) valid = validateMetadata(JSON.parse((await readRegularFile(metadataFile, MAX_MODEL_JSON_BYTES)).toString('utf8'))).problems.length === 0;
  } catch {
    valid = false;
  }
  if (valid) return undefined;
  const shown = entries.slice(0, 3).map((name) => JSON.stringify(name)).join(', ');
  const more = entries.length > 3 ? ` and ${entries.length - 3} more` : '';
  return `the folder is not a Sentiment Lens model (it holds ${shown}${more} but no valid ${MODEL_FILE_NAMES.metadata}), and a save would replace it; choose a new or empty folder`;
}

/** The nearest existing ancestor of `parent` must be a folder we may create entries in. */
async function checkWritableParent(dir: string, parent: string): Promise<void> {
  for (let current = parent; ; current = path.dirname(current)) {
    let stat;
    try {
      stat = await fsp.stat(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a component further up is a file; it is named when the walk reaches it.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(current) !== current) continue;
      throw new SaveTargetError(dir, (error as Error).message);
    }
    if (!stat.isDirectory()) throw new SaveTargetError(dir, `${current} is not a folder`);
    try {
      await fsp.access(current, constants.W_OK | constants.X_OK);
    } catch {
      throw new SaveTargetError(dir, `cannot create files in ${current} (permission denied)`);
    }
    return;
  }
}
