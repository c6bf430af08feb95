/**
 * Where the full datasets live, for the tests and scripts that use them: the folder named by
 * SENTIMENT_LENS_DATA, else ../shared/data beside the repository. It holds rt-polaritydata/ and
 * senti4sd/ as described in its README; tests that need a file from it skip when it is absent.
 */
import { resolve } from 'node:path';

/** The datasets folder (absolute). */
export function dataDir(): string {
  return resolve(process.env.SENTIMENT_LENS_DATA || resolve(__dirname, '..', '..', 'shared', 'data'));
}

/** A file or folder inside the datasets folder, e.g. `dataPath('senti4sd', 'train.tsv')`. */
export function dataPath(...parts: string[]): string {
  return resolve(dataDir(), ...parts);
}
