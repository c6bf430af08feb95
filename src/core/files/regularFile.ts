/**
 * Reading files from users safely: only regular files (a symbolic link is followed and its target
 * checked), never a FIFO (which would block), a device such as /dev/zero (endless) or a folder,
 * and never more than a given number of bytes. The file is opened without blocking and checked
 * with fstat on the open descriptor, so it cannot be swapped between the check and the read.
 */
import { constants, promises as fsp } from 'node:fs';
import * as fs from 'node:fs';

/** Why a file was refused: not a regular file, or over the size limit. */
export class FileRefusedError extends Error {
  constructor(
    readonly file: string,
    readonly kind: 'not-regular' | 'too-large',
    /** Why, without the file name. */
    readonly reason: string,
    /** The file's size, for 'too-large'. */
    readonly size = 0,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'FileRefusedError';
  }
}

// O_NONBLOCK: opening a FIFO for reading must not wait for a writer (0 where the platform lacks it).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a non-regular file is, for messages. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function check(file: string, stat: fs.Stats, maxBytes: number): void {
  if (!stat.isFile())
    throw new FileRefusedError(file, 'not-regular', `it is ${kindOf(stat)}; only regular files are read`);
  if (stat.size > maxBytes)
    throw new FileRefusedError(
      file,
      'too-large',
      `it is ${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit`,
      stat.size,
    );
}

/** Bytes as "512 bytes", "3.2 MB". */
export function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The bytes of a regular file of at most `maxBytes` (a file that grows while being read is cut
 * at `maxBytes`).
 * @throws FileRefusedError for anything but a regular file, or one over `maxBytes`; the usual
 *   fs errors (ENOENT, EACCES) otherwise.
 */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd);
    check(file, stat, maxBytes);
    const buffer = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < buffer.length) {
      const read = fs.readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    fs.closeSync(fd);
  }
}

/** readRegularFileSync without blocking the thread. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await fsp.open(file, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    check(file, stat, maxBytes);
    const buffer = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * A read stream over a regular file (any size): the file is opened and checked first.
 * @throws FileRefusedError for anything but a regular file.
 */
export async function openRegularFileStream(file: string): Promise<fs.ReadStream> {
  const handle = await fsp.open(file, OPEN_FLAGS);
  try {
    check(file, await handle.stat(), Number.POSITIVE_INFINITY);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle.createReadStream();
}
