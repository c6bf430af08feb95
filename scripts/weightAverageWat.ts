/**
 * Source of the weight-average kernel (WebAssembly SIMD, text generated here) and the dev-time
 * assembler that turns it into the binary checked in as src/core/training/weightAverageBinary.ts.
 * Used by src/core/training/weightAverage.ts.
 *
 * Regenerate after changing this file:  npx tsx scripts/weightAverageWat.ts
 * (needs the `wabt` dev dependency; the runtime never loads wabt). A unit test checks that the
 * checked-in binary matches this source.
 */
import { assembleWat } from './wabt';

/**
 * The module: memory (imported, sized by the caller) and
 *
 *   average(avg, src, n, keep, take)
 *
 * avg[i] = f32(keep * f64(avg[i]) + take * f64(src[i])) for the n float32 values at byte offsets avg
 * and src: each product and the sum in float64, rounded once to float32, which is what the same
 * expression computes in JavaScript over Float32Arrays, bit for bit. Four values per step (two
 * float64x2 halves), the last n mod 4 one at a time.
 */
export function weightAverageWat(): string {
  const half = (lanes: string) => `
            (f64x2.add
              (f64x2.mul (local.get $keep2) (f64x2.promote_low_f32x4 ${lanes.replaceAll('$V', '$a')}))
              (f64x2.mul (local.get $take2) (f64x2.promote_low_f32x4 ${lanes.replaceAll('$V', '$s')})))`;
  const high = '(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $V) (local.get $V))';
  return `(module
  (import "env" "memory" (memory 1))
  (func (export "average") (param $avg i32) (param $src i32) (param $n i32) (param $keep f64) (param $take f64)
    (local $end i32) (local $vectorEnd i32) (local $a v128) (local $s v128) (local $keep2 v128) (local $take2 v128)
    (local.set $keep2 (f64x2.splat (local.get $keep)))
    (local.set $take2 (f64x2.splat (local.get $take)))
    (local.set $end (i32.add (local.get $avg) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $avg) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectors_done
      (loop $vectors
        (br_if $vectors_done (i32.ge_u (local.get $avg) (local.get $vectorEnd)))
        (local.set $a (v128.load (local.get $avg)))
        (local.set $s (v128.load (local.get $src)))
        (v128.store (local.get $avg)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero ${half('(local.get $V)')})
            (f32x4.demote_f64x2_zero ${half(high)})))
        (local.set $avg (i32.add (local.get $avg) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vectors)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $avg) (local.get $end)))
        (f32.store (local.get $avg)
          (f32.demote_f64
            (f64.add
              (f64.mul (local.get $keep) (f64.promote_f32 (f32.load (local.get $avg))))
              (f64.mul (local.get $take) (f64.promote_f32 (f32.load (local.get $src)))))))
        (local.set $avg (i32.add (local.get $avg) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail)))))
`;
}

/** Assembles weightAverageWat() with wabt (dev dependency, dev time only). */
export async function assembleWeightAverageKernel(): Promise<Uint8Array> {
  return assembleWat('weightAverage.wat', weightAverageWat(), { simd: true });
}

if (require.main === module) {
  void assembleWeightAverageKernel().then((binary) => {
    const fs = require('fs') as typeof import('fs');
    const base64 = Buffer.from(binary).toString('base64');
    const text =
      '/** The weight-average WebAssembly kernel, assembled from scripts/weightAverageWat.ts (regenerate: npx tsx scripts/weightAverageWat.ts). */\n' +
      `export const WEIGHT_AVERAGE_WASM_BASE64 =\n  '${base64}';\n`;
    fs.writeFileSync(require('path').join(__dirname, '..', 'src', 'core', 'training', 'weightAverageBinary.ts'), text);
    console.log(`wrote src/core/training/weightAverageBinary.ts (${binary.length} bytes)`);
  });
}
