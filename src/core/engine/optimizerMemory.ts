/**
 * A trainer's weights, gradients and Adam moments in one shared WebAssembly memory, updated by
 * the optimizer module's `adam` kernel (scripts/kernelsWat.ts). Shared, so that a two-thread
 * trainer's helper thread reads the current weights in place and applies Adam to its own part of
 * them while the calling thread does the rest (Adam is element by element: any split of the
 * elements gives the same weights).
 */
import { optimizerKernels, type OptimizerExports } from './kernels';

/** Where one weight array lives: element offsets of its weights, gradient and moments. */
export interface OptimizerSlot {
  readonly w: number;
  readonly g: number;
  readonly m: number;
  readonly v: number;
  /** The weight array's length. */
  readonly length: number;
  /** Elements Adam runs over: the length padded to a multiple of 16 (zeros), or 0 when the array is frozen. */
  readonly padded: number;
}

/** Every weight array's slot, in flattenWeights() order, and the floats they take in all. */
export interface OptimizerLayout {
  readonly slots: readonly OptimizerSlot[];
  readonly floats: number;
}

/** Elements [from, to) of slot `slot` (from and to multiples of 4). */
export interface AdamRange {
  readonly slot: number;
  readonly from: number;
  readonly to: number;
}

/** The scalars of one Adam step (c1, c2: bias corrections 1 - beta^t; scale: the clipping factor). */
export interface AdamStep {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly c1: number;
  readonly c2: number;
  readonly scale: number;
}

/**
 * The layout for weight arrays of the given lengths: per array its weights, gradient, first and
 * second moments back to back, each padded to a multiple of 16 floats (64-byte aligned); arrays
 * marked `frozen` get no gradient or moments.
 */
export function optimizerLayout(lengths: readonly number[], frozen: readonly boolean[]): OptimizerLayout {
  let top = 0;
  const alloc = (n: number) => {
    const at = top;
    top += (n + 15) & ~15;
    return at;
  };
  const slots = lengths.map((length, i) => {
    const moments = frozen[i] ? 0 : length;
    const w = alloc(length);
    const g = alloc(moments);
    const m = alloc(moments);
    const v = alloc(moments);
    return { w, g, m, v, length, padded: (moments + 15) & ~15 };
  });
  return { slots, floats: top };
}

/** The optimizer's memory and its adam kernel, in one thread. */
export class OptimizerMemory {
  /** All of memory as f32 (the memory never grows). */
  readonly data: Float32Array;
  private readonly kernels: OptimizerExports;

  /**
   * @param memory an existing optimizer memory (a helper thread's view of its trainer's); default:
   *   a new zeroed shared memory sized for `layout`.
   */
  constructor(
    readonly layout: OptimizerLayout,
    readonly memory: WebAssembly.Memory = newSharedMemory(layout.floats),
  ) {
    this.data = new Float32Array(memory.buffer);
    this.kernels = optimizerKernels(memory);
  }

  /** The weights of slot i (a view). */
  weights(i: number): Float32Array {
    const slot = this.layout.slots[i];
    return this.data.subarray(slot.w, slot.w + slot.length);
  }

  /** Every element of every slot that has moments, as ranges. */
  allRanges(): AdamRange[] {
    return this.layout.slots.map((slot, i) => ({ slot: i, from: 0, to: slot.padded })).filter((r) => r.to > 0);
  }

  /** Runs Adam over the given ranges with the gradients already in place. */
  adam(ranges: readonly AdamRange[], step: AdamStep): void {
    const { learningRate, beta1, beta2, epsilon, c1, c2, scale } = step;
    for (const { slot: i, from, to } of ranges) {
      if (to <= from) continue;
      const slot = this.layout.slots[i];
      this.kernels.adam(
        (slot.w + from) * 4,
        (slot.g + from) * 4,
        (slot.m + from) * 4,
        (slot.v + from) * 4,
        to - from,
        learningRate,
        beta1,
        beta2,
        epsilon,
        c1,
        c2,
        scale,
      );
    }
  }
}

/** A zeroed shared memory of at least `floats` f32 (one page at least), that never grows. */
function newSharedMemory(floats: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil((floats * 4) / 65536));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}
