/**
 * Loads the WebAssembly SIMD kernels (see scripts/kernelsWat.ts) and manages one instance's memory as a
 * bump-allocated workspace of f32 buffers. Runs in the Node main thread and in worker_threads
 * (synchronous compile of a ~1 KB module).
 */
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64, OPTIMIZER_WASM_BASE64 } from './kernelsBinary';

/** The kernel module's exports (see scripts/kernelsWat.ts). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  gemm(
    M: number,
    N: number,
    K: number,
    A: number,
    aRowStride: number,
    aKStride: number,
    B: number,
    ldb: number,
    C: number,
    ldc: number,
    accumulate: number,
  ): void;
  gru_fwd_zr(n: number, Hp: number, g: number, hp: number, rh: number): void;
  gru_fwd_h(n: number, Hp: number, g: number, hp: number, h: number): void;
  gru_inf_zr(n: number, Hp: number, g: number, hp: number, rh: number, q: number, scales: number, qmax: number): void;
  gru_inf_h(n: number, Hp: number, g: number, hp: number, h: number, q: number, scales: number, qmax: number): void;
  gru_bwd_a(
    n: number,
    nNext: number,
    Hp: number,
    g: number,
    dg: number,
    hp: number,
    dO: number,
    carry: number,
    next: number,
  ): void;
  gru_bwd_r(n: number, Hp: number, g: number, dg: number, hp: number, dRH: number, next: number): void;
  softmax_rows(n: number, C: number, ld: number, p: number, bias: number): void;
  quantize_rows(
    n: number,
    K: number,
    src: number,
    lds: number,
    dst: number,
    ldq: number,
    scales: number,
    qmax: number,
  ): void;
  qgemm(
    M: number,
    N: number,
    KP: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    C: number,
    ldc: number,
    sa: number,
    sb: number,
  ): void;
  qgemm_from(
    M: number,
    N: number,
    KP: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    C: number,
    ldc: number,
    sa: number,
    sb: number,
    P: number,
    poff: number,
  ): void;
  mul(n4: number, dst: number, a: number, b: number): void;
  column_sums(n: number, cols: number, src: number, ld: number, sums: number): void;
  keep_mask(
    states: number,
    lanes: number,
    n: number,
    stride: number,
    out: number,
    threshold: number,
    scale: number,
  ): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    n4: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
    gscale: number,
  ): void;
}

/**
 * The optimizer module's exports (see optimizerWat in scripts/kernelsWat.ts): the kernel module's
 * adam; the same with the weights' moving average at byte offset `a` updated in the same sweep
 * (keep and take: the average's decay and 1 - decay); that average alone.
 */
export interface OptimizerExports {
  adam: KernelExports['adam'];
  adam_average(
    w: number,
    g: number,
    m: number,
    v: number,
    a: number,
    n4: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
    gscale: number,
    keep: number,
    take: number,
  ): void;
  average(a: number, w: number, n4: number, keep: number, take: number): void;
}

let compiledModule: WebAssembly.Module | undefined;
let compiledOptimizerModule: WebAssembly.Module | undefined;
let compiledRelaxedModule: WebAssembly.Module | undefined;
let relaxedSupport: boolean | undefined;

/**
 * Whether this runtime accepts relaxed SIMD (`f32x4.relaxed_madd`): VS Code's Electron does, Node 20
 * only with --experimental-wasm-relaxed-simd. Checked once per thread by validating the relaxed module.
 */
export function relaxedSimdAvailable(): boolean {
  relaxedSupport ??= WebAssembly.validate(Buffer.from(KERNELS_RELAXED_WASM_BASE64, 'base64'));
  return relaxedSupport;
}

/** The compiled kernel module (compiled once per thread, on first use; it is immutable). */
function kernelModule(relaxed: boolean): WebAssembly.Module {
  if (relaxed) {
    compiledRelaxedModule ??= new WebAssembly.Module(Buffer.from(KERNELS_RELAXED_WASM_BASE64, 'base64'));
    return compiledRelaxedModule;
  }
  compiledModule ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return compiledModule;
}

/**
 * Rows of K per call of a transposed-A gemm (weight gradients Xᵀ dG over the tokens of a batch):
 * 128 rows of X and of dG stay in cache across the tiles of C (1.5x at K = 2,800, measured).
 */
const TRANSPOSED_K_SLICE = 128;

/**
 * An instance of the optimizer module over `memory`, a shared WebAssembly.Memory (the module is
 * compiled once per thread).
 */
export function optimizerKernels(memory: WebAssembly.Memory): OptimizerExports {
  compiledOptimizerModule ??= new WebAssembly.Module(Buffer.from(OPTIMIZER_WASM_BASE64, 'base64'));
  return new WebAssembly.Instance(compiledOptimizerModule, { env: { memory } }).exports as unknown as OptimizerExports;
}

/** Rounds n up to a multiple of 8 (the gemm kernel's column granularity). */
export function roundUp8(n: number): number {
  return (n + 7) & ~7;
}

/** A matrix inside the workspace: element (i, j) is `data[offset + i * ld + j]`. */
export interface Matrix {
  /** Offset in f32 elements from the start of memory. */
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  /** Leading dimension (elements per row, >= cols). */
  readonly ld: number;
}

/**
 * One kernel instance plus a bump allocator over its memory. Usage per call: `reset()`, any
 * number of `alloc()`, then `commit()` (grows memory once), then read/write through `data`
 * (a Float32Array over all of memory; it is replaced when memory grows, so re-read it after
 * commit). Not thread-safe; one per engine object.
 */
export class Workspace {
  private readonly exports: KernelExports;
  private top = 0;
  /** All of memory as f32. Valid until the next commit(). */
  data: Float32Array;
  /** Whether gemm uses relaxed-SIMD multiply-adds. */
  readonly relaxedSimd: boolean;

  /**
   * @param options.relaxedSimd use the relaxed-SIMD gemm when the runtime has it (results then
   *   differ from the plain module's by float rounding; training keeps the plain one, so that its
   *   weights do not depend on the runtime).
   */
  constructor(options: { relaxedSimd?: boolean } = {}) {
    this.relaxedSimd = options.relaxedSimd === true && relaxedSimdAvailable();
    const instance = new WebAssembly.Instance(kernelModule(this.relaxedSimd), {});
    this.exports = instance.exports as unknown as KernelExports;
    this.data = new Float32Array(this.exports.memory.buffer);
  }

  /** The raw kernel exports (pointers are byte offsets; see scripts/kernelsWat.ts for each kernel's contract). */
  get kernels(): KernelExports {
    return this.exports;
  }

  /** Elements allocated since the last reset() (every allocation lies in [0, allocated)). */
  get allocated(): number {
    return this.top;
  }

  /** Frees every allocation (memory is kept, contents are stale). */
  reset(): void {
    this.top = 0;
  }

  /** Reserves a rows x cols matrix (ld = cols rounded up to 8); 64-byte aligned. */
  alloc(rows: number, cols: number, ld = roundUp8(cols)): Matrix {
    const offset = this.top;
    this.top += (rows * ld + 15) & ~15;
    return { offset, rows, cols, ld };
  }

  /** Makes sure memory covers every allocation so far; refreshes `data`. */
  commit(): void {
    const neededBytes = this.top * 4;
    const memory = this.exports.memory;
    if (memory.buffer.byteLength < neededBytes) {
      memory.grow(Math.ceil((neededBytes - memory.buffer.byteLength) / 65536));
    }
    if (this.data.buffer !== memory.buffer || this.data.length * 4 !== memory.buffer.byteLength) {
      this.data = new Float32Array(memory.buffer);
    }
  }

  /** A view of a matrix's storage (rows * ld elements). Valid until the next commit(). */
  view(m: Matrix): Float32Array {
    return this.data.subarray(m.offset, m.offset + m.rows * m.ld);
  }

  /**
   * C (+)= A B, with A [M, K] (or A^T when transA: A stored [K, M]), B [K, N], C [M, N], given as
   * element offsets and leading dimensions inside the workspace. N must be a multiple of 8.
   */
  gemm(
    M: number,
    N: number,
    K: number,
    a: number,
    lda: number,
    transA: boolean,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: boolean,
  ): void {
    if (M <= 0 || N <= 0) return;
    if ((N & 7) !== 0) throw new Error(`gemm: N=${N} must be a multiple of 8`);
    if (!transA) {
      this.exports.gemm(M, N, K, a * 4, lda * 4, 4, b * 4, ldb, c * 4, ldc, accumulate ? 1 : 0);
      return;
    }
    // A transposed product sums over a long K (the tokens of a batch): done in slices of K, the
    // slices of A and B stay in cache while every tile of C passes over them. C is stored and
    // reloaded between slices exactly (f32 in registers and in memory), so the sums are the same.
    for (let k0 = 0; k0 < K || k0 === 0; k0 += TRANSPOSED_K_SLICE) {
      const k = Math.min(TRANSPOSED_K_SLICE, K - k0);
      this.exports.gemm(
        M,
        N,
        k,
        (a + k0 * lda) * 4,
        4,
        lda * 4,
        (b + k0 * ldb) * 4,
        ldb,
        c * 4,
        ldc,
        accumulate || k0 > 0 ? 1 : 0,
      );
    }
  }
}
