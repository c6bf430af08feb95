/**
 * Source of the skip-gram kernel (WebAssembly SIMD, text generated here) and the dev-time assembler
 * that turns it into the binary checked in as src/core/engine/skipgramBinary.ts. Used by src/core/training/skipgram.ts.
 *
 * Regenerate after changing this file:  npx tsx scripts/skipgramWat.ts
 * (needs the `wabt` dev dependency; the runtime never loads wabt). A unit test checks that the
 * checked-in binary matches this source.
 */
import { assembleWat } from './wabt';

import { SKIPGRAM_MAX_EXP, SKIPGRAM_SIGMOID_TABLE_SIZE } from '../src/core/training/skipgram';

/**
 * The module: memory (exported, grown by the caller) and `sg_pair`, one (context word, centre word)
 * update with its negative samples, as word2vec.c's inner loop:
 *
 *   sg_pair(in, out, rowBytes, targets, n, alpha, sig, grad)
 *
 * - in: byte offset of the context word's input vector; out: byte offset of output vector 0;
 *   rowBytes: bytes per vector (a multiple of 16; padding lanes stay 0);
 * - targets: n word ids (i32) at that offset, the centre word first (label 1), then the negatives
 *   (label 0);
 * - sig: the sigmoid table (f32, SIZE + 1 values); grad: a scratch vector of rowBytes.
 *
 * For each target t: dot = in . out[t] (f32x4 lanes, then the four lanes summed), the gradient
 * g = (label - sigmoid(dot)) alpha from the table (saturating beyond ±MAX_EXP), grad += g out[t],
 * out[t] += g in; at the end in += grad.
 */
export function skipgramWat(): string {
  const scale = SKIPGRAM_SIGMOID_TABLE_SIZE / SKIPGRAM_MAX_EXP / 2;
  const loop = (name: string, body: string) => `
      (local.set $k (i32.const 0))
      (block $${name}_done
        (loop $${name}
          (br_if $${name}_done (i32.ge_u (local.get $k) (local.get $rowBytes)))${body}
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br $${name})))`;
  const at = (base: string) => `(i32.add (local.get ${base}) (local.get $k))`;
  return `(module
  (memory (export "memory") 1)
  (func (export "sg_pair")
    (param $in i32) (param $out i32) (param $rowBytes i32) (param $targets i32) (param $n i32)
    (param $alpha f32) (param $sig i32) (param $grad i32)
    (local $t i32) (local $po i32) (local $k i32) (local $acc v128) (local $dot f32) (local $g f32)
    (local $label f32) (local $gv v128) (local $o v128)
    ${loop(
      'zero',
      `
          (v128.store ${at('$grad')} (v128.const i32x4 0 0 0 0))`,
    )}
    (local.set $t (i32.const 0))
    (block $targets_done
      (loop $each
        (br_if $targets_done (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $po (i32.add (local.get $out)
          (i32.mul (i32.load (i32.add (local.get $targets) (i32.shl (local.get $t) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $label (select (f32.const 1) (f32.const 0) (i32.eqz (local.get $t))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        ${loop(
          'dot',
          `
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load ${at('$in')}) (v128.load ${at('$po')}))))`,
        )}
        (local.set $dot (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (if (f32.gt (local.get $dot) (f32.const ${SKIPGRAM_MAX_EXP}))
          (then (local.set $g (f32.mul (f32.sub (local.get $label) (f32.const 1)) (local.get $alpha))))
          (else
            (if (f32.lt (local.get $dot) (f32.const -${SKIPGRAM_MAX_EXP}))
              (then (local.set $g (f32.mul (local.get $label) (local.get $alpha))))
              (else (local.set $g (f32.mul
                (f32.sub (local.get $label)
                  (f32.load (i32.add (local.get $sig) (i32.shl
                    (i32.trunc_sat_f32_s (f32.mul (f32.add (local.get $dot) (f32.const ${SKIPGRAM_MAX_EXP})) (f32.const ${scale})))
                    (i32.const 2)))))
                (local.get $alpha)))))))
        (local.set $gv (f32x4.splat (local.get $g)))
        ${loop(
          'update',
          `
          (local.set $o (v128.load ${at('$po')}))
          (v128.store ${at('$grad')} (f32x4.add (v128.load ${at('$grad')}) (f32x4.mul (local.get $gv) (local.get $o))))
          (v128.store ${at('$po')} (f32x4.add (local.get $o) (f32x4.mul (local.get $gv) (v128.load ${at('$in')}))))`,
        )}
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each)))
    ${loop(
      'apply',
      `
          (v128.store ${at('$in')} (f32x4.add (v128.load ${at('$in')}) (v128.load ${at('$grad')})))`,
    )}))
`;
}

/** Assembles skipgramWat() with wabt (dev dependency, dev time only). */
export async function assembleSkipgramKernel(): Promise<Uint8Array> {
  return assembleWat('skipgram.wat', skipgramWat(), { simd: true, sat_float_to_int: true });
}

if (require.main === module) {
  void assembleSkipgramKernel().then((binary) => {
    const fs = require('fs') as typeof import('fs');
    const base64 = Buffer.from(binary).toString('base64');
    const text =
      '/** The skip-gram WebAssembly kernel, assembled from scripts/skipgramWat.ts (regenerate: npx tsx scripts/skipgramWat.ts). */\n' +
      `export const SKIPGRAM_WASM_BASE64 =\n  '${base64}';\n`;
    fs.writeFileSync(require('path').join(__dirname, '..', 'src', 'core', 'engine', 'skipgramBinary.ts'), text);
    console.log(`wrote src/core/engine/skipgramBinary.ts (${binary.length} bytes)`);
  });
}
