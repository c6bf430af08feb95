/**
 * SHA-256 fingerprints of training data files (Node `fs` and `crypto`), recorded in a model's
 * metadata so a model can say exactly which data it was trained on.
 */

import { createHash } from 'node:crypto';
import { readRegularFileSync } from '../files/regularFile';

/** Any size: the files were read (and size-checked) before they are fingerprinted. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Hex SHA-256 of one file's bytes: the same value as `sha256sum` prints. Throws if unreadable. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readRegularFileSync(path, NO_LIMIT)).digest('hex');
}

/**
 * Hex SHA-256 over the files' bytes, in the given order. Each file's bytes are preceded by their
 * length as an 8-byte big-endian integer, so moving a line from the end of one file to the start
 * of the next (which relabels it in a polarity pair) changes the fingerprint. File names are not
 * hashed: renaming or moving the files keeps it. Throws if a file cannot be read.
 */
export function fingerprintFiles(paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const path of paths) {
    const bytes = readRegularFileSync(path, NO_LIMIT);
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.length));
    hash.update(length).update(bytes);
  }
  return hash.digest('hex');
}
