/**
 * Source of the engine's WebAssembly SIMD kernels, as WebAssembly text generated here, and the
 * dev-time assembler that turns it into the binary checked in as kernelsBinary.ts.
 *
 * Regenerate after changing this file:  npx tsx src/core/engine/kernelsWat.ts
 * (needs the `wabt` dev dependency; the runtime never loads wabt). A unit test checks that the
 * checked-in binary matches this source.
 */

/** Rows of C computed together by the main gemm tile (x 8 columns). */
export const GEMM_TILE_ROWS = 4;

function rowBlock(rows: number, label: string): string {
  const r = [...Array(rows).keys()];
  const accs = r.flatMap((i) => [`$c${i}0`, `$c${i}1`]);
  const init = r
    .map(
      (i) => `
        (local.set $pc (i32.add (local.get $C) (i32.add (i32.mul (i32.add (local.get $i) (i32.const ${i})) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))))
        (if (local.get $acc)
          (then (local.set $c${i}0 (v128.load (local.get $pc))) (local.set $c${i}1 (v128.load offset=16 (local.get $pc))))
          (else (local.set $c${i}0 (v128.const i32x4 0 0 0 0)) (local.set $c${i}1 (v128.const i32x4 0 0 0 0))))
        (local.set $pa${i} (i32.add (local.get $A) (i32.mul (i32.add (local.get $i) (i32.const ${i})) (local.get $ars))))`,
    )
    .join('');
  const body = r
    .map(
      (i) => `
            (local.set $a (v128.load32_splat (local.get $pa${i})))
            (local.set $c${i}0 (f32x4.add (local.get $c${i}0) (f32x4.mul (local.get $a) (local.get $b0))))
            (local.set $c${i}1 (f32x4.add (local.get $c${i}1) (f32x4.mul (local.get $a) (local.get $b1))))
            (local.set $pa${i} (i32.add (local.get $pa${i}) (local.get $aks)))`,
    )
    .join('');
  const store = r
    .map(
      (i) => `
        (local.set $pc (i32.add (local.get $C) (i32.add (i32.mul (i32.add (local.get $i) (i32.const ${i})) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))))
        (v128.store (local.get $pc) (local.get $c${i}0))
        (v128.store offset=16 (local.get $pc) (local.get $c${i}1))`,
    )
    .join('');
  void accs;
  return `
    (block $rows_done_${label}
      (loop $rows_${label}
        (br_if $rows_done_${label} (i32.gt_s (i32.add (local.get $i) (i32.const ${rows})) (local.get $M)))
        (local.set $j (i32.const 0))
        (block $cols_done_${label}
          (loop $cols_${label}
            (br_if $cols_done_${label} (i32.ge_s (local.get $j) (local.get $N)))${init}
            (local.set $pb (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $k (local.get $K))
            (block $k_done_${label}
              (br_if $k_done_${label} (i32.le_s (local.get $k) (i32.const 0)))
              (loop $k_${label}
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))${body}
                (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br_if $k_${label} (i32.gt_s (local.get $k) (i32.const 0)))))${store}
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols_${label})))
        (local.set $i (i32.add (local.get $i) (i32.const ${rows})))
        (br $rows_${label})))`;
}

/**
 * WebAssembly text of the kernel module. Exports `memory` and
 * `gemm(M, N, K, A, aRowStride, aKStride, B, ldb, C, ldc, accumulate)`:
 * C[M, N] (+)= A[M, K] B[K, N] over f32, where A(i, k) is at byte A + i*aRowStride + k*aKStride
 * (so a transposed A is just other strides), B and C are row-major with leading dimensions ldb,
 * ldc in elements, N must be a multiple of 8, and accumulate != 0 adds to C instead of
 * overwriting it. Pointers are byte offsets into `memory`.
 */
export function kernelsWat(): string {
  const tileRows = GEMM_TILE_ROWS;
  const locals = [
    ...[...Array(tileRows).keys()].map((i) => `(local $pa${i} i32)`),
    ...[...Array(tileRows).keys()].flatMap((i) => [`(local $c${i}0 v128)`, `(local $c${i}1 v128)`]),
  ].join(' ');
  return `(module
  (memory (export "memory") 1)
  (func (export "gemm")
    (param $M i32) (param $N i32) (param $K i32)
    (param $A i32) (param $ars i32) (param $aks i32)
    (param $B i32) (param $ldb i32) (param $C i32) (param $ldc i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pb i32) (local $pc i32)
    (local $a v128) (local $b0 v128) (local $b1 v128) ${locals}
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $i (i32.const 0))${rowBlock(tileRows, 'tile')}${rowBlock(1, 'one')})
)`;
}

/** Assembles kernelsWat() with wabt (dev dependency, dev time only). */
export async function assembleKernels(): Promise<Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wabtFactory = require('wabt') as () => Promise<{
    parseWat(name: string, text: string, features?: Record<string, boolean>): {
      toBinary(options: Record<string, boolean>): { buffer: Uint8Array };
      destroy(): void;
    };
  }>;
  const wabt = await wabtFactory();
  const module = wabt.parseWat('kernels.wat', kernelsWat(), { simd: true });
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

if (require.main === module) {
  void assembleKernels().then((binary) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs') as typeof import('fs');
    const base64 = Buffer.from(binary).toString('base64');
    const text =
      '/** The engine\'s WebAssembly kernels, assembled from kernelsWat.ts (regenerate: npx tsx src/core/engine/kernelsWat.ts). */\n' +
      `export const KERNELS_WASM_BASE64 =\n  '${base64}';\n`;
    fs.writeFileSync(require('path').join(__dirname, 'kernelsBinary.ts'), text);
    console.log(`wrote kernelsBinary.ts (${binary.length} bytes)`);
  });
}
