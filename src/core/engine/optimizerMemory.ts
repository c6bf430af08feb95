/**
 * A trainer's weights, gradients and Adam moments (and, when it keeps one, the weights' moving
 * average) in one shared WebAssembly memory, updated by the optimizer module's kernels
 * (scripts/kernelsWat.ts). Shared, so that a two-thread trainer's helper thread reads the current
 * weights in place and applies Adam to its own part of them while the calling thread does the rest
 * (Adam and the average are element by element: any split of the elements gives the same weights).
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
  /** Element offset of the weights' moving average, or -1 when the layout keeps none. */
  readonly a: number;
  /** The length padded to a multiple of 16: the elements the average runs over (frozen arrays included). */
  readonly span: number;
}

/** Every weight array's slot, in flattenWeights() order, and the floats they take in all. */
export interface OptimizerLayout {
  readonly slots: readonly OptimizerSlot[];
  readonly floats: number;
}

/**
 * Elements [from, to) of slot `slot` (from and to multiples of 4). `averageOnly`: the weights'
 * moving average alone over these elements, no Adam step (weights this step leaves unchanged).
 */
export interface AdamRange {
  readonly slot: number;
  readonly from: number;
  readonly to: number;
  readonly averageOnly?: boolean;
}

/**
 * The scalars of one Adam step (c1, c2: bias corrections 1 - beta^t; scale: the clipping factor).
 * `average`: also update the weights' moving average, a = f32(keep * f64(a) + take * f64(w)) with
 * each new weight w (keep: the decay as float32; take: 1 - keep).
 */
export interface AdamStep {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly c1: number;
  readonly c2: number;
  readonly scale: number;
  readonly average?: { readonly keep: number; readonly take: number };
}

/**
 * The layout for weight arrays of the given lengths: per array its weights, gradient, first and
 * second moments back to back (then the weights' moving average, when `averaged`), each padded to a
 * multiple of 16 floats (64-byte aligned); arrays marked `frozen` get no gradient or moments.
 */
export function optimizerLayout(
  lengths: readonly number[],
  frozen: readonly boolean[],
  averaged = false,
): OptimizerLayout {
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
    const a = averaged ? alloc(length) : -1;
    return { w, g, m, v, length, padded: (moments + 15) & ~15, a, span: (length + 15) & ~15 };
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

  /** The moving average of slot i's weights (a view); only for a layout that keeps one. */
  average(i: number): Float32Array {
    const slot = this.layout.slots[i];
    if (slot.a < 0) throw new Error('this optimizer memory keeps no moving average');
    return this.data.subarray(slot.a, slot.a + slot.length);
  }

  /** Starts the moving average at the current weights (padding included). */
  startAverage(): void {
    for (const slot of this.layout.slots) {
      if (slot.a < 0) throw new Error('this optimizer memory keeps no moving average');
      this.data.copyWithin(slot.a, slot.w, slot.w + slot.span);
    }
  }

  /** Every element of every slot that has moments, as ranges. */
  allRanges(): AdamRange[] {
    return this.layout.slots.map((slot, i) => ({ slot: i, from: 0, to: slot.padded })).filter((r) => r.to > 0);
  }

  /**
   * Runs Adam over the given ranges with the gradients already in place, updating the moving
   * average with the new weights when `step.average` is given; the average alone over ranges
   * marked averageOnly.
   */
  adam(ranges: readonly AdamRange[], step: AdamStep): void {
    const { learningRate, beta1, beta2, epsilon, c1, c2, scale, average } = step;
    for (const { slot: i, from, to, averageOnly } of ranges) {
      if (to <= from) continue;
      const slot = this.layout.slots[i];
      if ((average || averageOnly) && slot.a < 0) throw new Error('this optimizer memory keeps no moving average');
      if (averageOnly) {
        if (!average) throw new Error("an average-only range needs the step's average");
        this.kernels.average((slot.a + from) * 4, (slot.w + from) * 4, to - from, average.keep, average.take);
        continue;
      }
      const [w, g, m, v] = [slot.w, slot.g, slot.m, slot.v].map((offset) => (offset + from) * 4);
      const scalars = [learningRate, beta1, beta2, epsilon, c1, c2, scale] as const;
      if (average)
        this.kernels.adam_average(w, g, m, v, (slot.a + from) * 4, to - from, ...scalars, average.keep, average.take);
      else this.kernels.adam(w, g, m, v, to - from, ...scalars);
    }
  }
}

/** A zeroed shared memory of at least `floats` f32 (one page at least), that never grows. */
function newSharedMemory(floats: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil((floats * 4) / 65536));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}
