/**
 * A small seeded pseudo-random generator (mulberry32) with uniform, normal (Box-Muller) and
 * shuffling helpers. Deterministic: the same seed always gives the same sequence.
 */

/** The 32-bit state a {@link Random} of this seed starts from (mulberry32's, for generators elsewhere). */
export function randomState(seed: number): number {
  return (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
}

/** Seeded PRNG. Not cryptographic; 32-bit state. */
export class Random {
  private state: number;
  private spareNormal: number | undefined;

  /** @param seed any number; its low 32 bits seed the generator. */
  constructor(seed: number) {
    this.state = randomState(seed);
  }

  /** Next uint32 in [0, 2^32). */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * Draws `n` values into out[at..at+n): `scale` where next() < keep, else 0 (an inverted dropout
   * mask). The same draws and values as that loop over next(), without a call per element.
   */
  fillKeepMask(out: Float32Array, at: number, n: number, keep: number, scale: number): void {
    // next() < keep exactly when the uint32 draw is below keep * 2^32 (both sides scaled by a power of 2).
    const threshold = keep * 4294967296;
    let state = this.state;
    for (let i = 0; i < n; i++) {
      let t = (state = (state + 0x6d2b79f5) >>> 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[at + i] = (t ^ (t >>> 14)) >>> 0 < threshold ? scale : 0;
    }
    this.state = state;
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A shuffled copy of `items` (the input is not changed). */
  shuffled<T>(items: readonly T[]): T[] {
    return this.shuffle(items.slice());
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }
}

/** murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit seed derived from several integers (e.g. seed, step, layer, sentence), so that
 * independent streams can be keyed by position instead of drawn one after another.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x2545f491;
  for (const part of parts) h = fmix32((h ^ fmix32(Math.floor(part) >>> 0)) + 0x9e3779b9);
  return h;
}
