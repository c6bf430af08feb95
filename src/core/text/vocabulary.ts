/**
 * Token <-> id mapping built from training text. Id 0 is padding, id 1 stands for every word
 * outside the vocabulary; the rest are the training tokens seen at least `minCount` times,
 * most frequent first (ties alphabetical), at most `maxSize` ids in all.
 */

export const PAD_ID = 0;
export const OOV_ID = 1;
export const PAD_TOKEN = '<pad>';
export const OOV_TOKEN = '<unk>';

/** How a vocabulary is built. */
export interface VocabularyOptions {
  /** Minimum number of occurrences in the training text (default 1). */
  readonly minCount?: number;
  /** Maximum number of ids, PAD and OOV included (default unlimited). */
  readonly maxSize?: number;
}

/** An immutable vocabulary. */
export class Vocabulary {
  private readonly ids: ReadonlyMap<string, number>;

  /** @param tokens id -> token; tokens[0] must be PAD_TOKEN and tokens[1] OOV_TOKEN. */
  constructor(readonly tokens: readonly string[]) {
    if (tokens[PAD_ID] !== PAD_TOKEN || tokens[OOV_ID] !== OOV_TOKEN) {
      throw new Error(`a vocabulary must start with "${PAD_TOKEN}" and "${OOV_TOKEN}"`);
    }
    const ids = new Map<string, number>();
    tokens.forEach((token, id) => {
      if (ids.has(token))
        throw new Error(`token "${token}" appears twice in the vocabulary (ids ${ids.get(token)} and ${id})`);
      ids.set(token, id);
    });
    this.ids = ids;
  }

  /** Builds a vocabulary from tokenized training sentences (inputs are not changed). */
  static build(sentences: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
    const minCount = options.minCount ?? 1;
    const maxSize = options.maxSize ?? Infinity;
    if (maxSize < 2) throw new Error('maxSize must leave room for PAD and OOV (>= 2)');
    const counts = new Map<string, number>();
    for (const sentence of sentences) {
      for (const token of sentence) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    counts.delete(PAD_TOKEN);
    counts.delete(OOV_TOKEN);
    const kept = [...counts.entries()]
      .filter(([, count]) => count >= minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, Math.max(0, maxSize - 2))
      .map(([token]) => token);
    return new Vocabulary([PAD_TOKEN, OOV_TOKEN, ...kept]);
  }

  /** Number of ids, PAD and OOV included (= rows of the embedding). */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token, OOV_ID when unknown. */
  idOf(token: string): number {
    return this.ids.get(token) ?? OOV_ID;
  }

  /** Ids of a token sequence (int32, same length). */
  encode(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    tokens.forEach((token, i) => (out[i] = this.idOf(token)));
    return out;
  }
}
