/**
 * The moving average of the weights that training keeps (the `weightAveraging` option): after every
 * batch, average = decay * average + (1 - decay) * current, in a WebAssembly SIMD kernel
 * (scripts/weightAverageWat.ts) that gives the same float32 values as that expression in JavaScript
 * (float64 products and sum, rounded once), four values at a time.
 *
 * The average lives in the kernel's memory: `weights` are views into it, updated in place (a
 * Predictor built on them reads each update, like one built on a Trainer's weights).
 */
import { unflattenWeights, flattenWeights, type Architecture, type NetworkWeights } from '../model/architecture';
import { WEIGHT_AVERAGE_WASM_BASE64 } from './weightAverageBinary';

interface AverageKernel {
  average(average: number, source: number, n: number, keep: number, take: number): void;
}

const PAGE_BYTES = 65536;

export class WeightAverage {
  /** The averaged weights (views into the kernel's memory). */
  readonly weights: NetworkWeights;
  private readonly kernel: AverageKernel;
  private readonly memory: WebAssembly.Memory;
  private readonly count: number;
  private readonly keep: number;
  private readonly take: number;

  /** Starts the average at a copy of `initial`; `decay` as the `weightAveraging` option (0 < decay < 1). */
  constructor(arch: Architecture, initial: NetworkWeights, decay: number) {
    const arrays = flattenWeights(initial);
    this.count = arrays.reduce((sum, array) => sum + array.length, 0);
    // The average, then room for a copy of the current weights (the kernel's second operand).
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.count * 8) / PAGE_BYTES) || 1 });
    const module = new WebAssembly.Module(Buffer.from(WEIGHT_AVERAGE_WASM_BASE64, 'base64'));
    this.kernel = new WebAssembly.Instance(module, { env: { memory: this.memory } })
      .exports as unknown as AverageKernel;
    let offset = 0;
    const views = arrays.map((array) => {
      const view = new Float32Array(this.memory.buffer, offset * 4, array.length);
      view.set(array);
      offset += array.length;
      return view;
    });
    this.weights = unflattenWeights(arch, views);
    this.keep = Math.fround(decay);
    this.take = 1 - this.keep;
  }

  /** average = decay * average + (1 - decay) * current, for every weight. */
  update(current: NetworkWeights): void {
    const sources = flattenWeights(current);
    const count = sources.reduce((sum, source) => sum + source.length, 0);
    if (count !== this.count) throw new Error(`weights to average have ${count} values, expected ${this.count}`);
    const staging = new Float32Array(this.memory.buffer, this.count * 4, this.count);
    let offset = 0;
    for (const source of sources) {
      staging.set(source, offset);
      offset += source.length;
    }
    this.kernel.average(0, this.count * 4, this.count, this.keep, this.take);
  }
}
