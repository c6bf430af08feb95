/**
 * Source of the engine's WebAssembly SIMD kernels, as WebAssembly text generated here, and the
 * dev-time assembler that turns it into the binary checked in as src/core/engine/kernelsBinary.ts.
 *
 * Regenerate after changing this file:  npx tsx scripts/kernelsWat.ts
 * (needs the `wabt` dev dependency; the runtime never loads wabt). A unit test checks that the
 * checked-in binary matches this source.
 */
import { assembleWat } from './wabt';

/** Rows of C computed together by the main gemm tile (x 8 columns). */
export const GEMM_TILE_ROWS = 6;

function rowBlock(rows: number, label: string, relaxed: boolean): string {
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
            (local.set $c${i}0 ${madd('(local.get $a)', '(local.get $b0)', `(local.get $c${i}0)`, relaxed)})
            (local.set $c${i}1 ${madd('(local.get $a)', '(local.get $b1)', `(local.get $c${i}1)`, relaxed)})
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
  return rowColumnLoops({ rows, label, init, kCount: '$K', body, afterK: '', store });
}

/**
 * The loops shared by the gemm kernels: `rows` rows of A at a time (from $i), 8 columns of B at a time
 * (from 0 to $N), and for each block the loop over k ($pb walking B's rows by $ldb) of `body`, with
 * `init` before it, `afterK` and `store` after it.
 */
function rowColumnLoops(parts: {
  rows: number;
  label: string;
  init: string;
  kCount: string;
  body: string;
  afterK: string;
  store: string;
}): string {
  const { rows, label, init, kCount, body, afterK, store } = parts;
  return `
    (block $rows_done_${label}
      (loop $rows_${label}
        (br_if $rows_done_${label} (i32.gt_s (i32.add (local.get $i) (i32.const ${rows})) (local.get $M)))
        (local.set $j (i32.const 0))
        (block $cols_done_${label}
          (loop $cols_${label}
            (br_if $cols_done_${label} (i32.ge_s (local.get $j) (local.get $N)))${init}
            (local.set $pb (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $k (local.get ${kCount}))
            (block $k_done_${label}
              (br_if $k_done_${label} (i32.le_s (local.get $k) (i32.const 0)))
              (loop $k_${label}
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))${body}
                (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br_if $k_${label} (i32.gt_s (local.get $k) (i32.const 0)))))${afterK}${store}
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols_${label})))
        (local.set $i (i32.add (local.get $i) (i32.const ${rows})))
        (br $rows_${label})))`;
}

/** a * b + c over f32x4: relaxed_madd (fused where the CPU has FMA) or a multiply and an add. */
function madd(a: string, b: string, c: string, relaxed: boolean): string {
  return relaxed ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`;
}

/**
 * WebAssembly text of the kernel module. With `relaxed`, gemm's multiply-adds are relaxed SIMD
 * (`f32x4.relaxed_madd`: one fused instruction on CPUs with FMA, results within rounding of the
 * plain module's), which only runtimes with relaxed SIMD accept. Exports `memory` and
 * `gemm(M, N, K, A, aRowStride, aKStride, B, ldb, C, ldc, accumulate)`:
 * C[M, N] (+)= A[M, K] B[K, N] over f32, where A(i, k) is at byte A + i*aRowStride + k*aKStride
 * (so a transposed A is just other strides), B and C are row-major with leading dimensions ldb,
 * ldc in elements, N must be a multiple of 8, and accumulate != 0 adds to C instead of
 * overwriting it. Pointers are byte offsets into `memory`.
 */
export function kernelsWat(relaxed = false): string {
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
    (local.set $i (i32.const 0))${rowBlock(tileRows, 'tile', relaxed)}${rowBlock(2, 'two', relaxed)}${rowBlock(1, 'one', relaxed)})${GRU_KERNELS}${SOFTMAX_KERNEL}${ADAM_KERNEL}${integerKernels()}${ELEMENTWISE_KERNELS}
)`;
}

const f4 = (x: number | string) => `(f32x4.splat (f32.const ${x}))`;

/** Mask of the lanes of the 4 floats at byte offset $j of a row whose column index is below $C. */
const VALID_LANES =
  '(i32x4.lt_s (i32x4.add (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.shr_s (local.get $j) (i32.const 2)))) (i32x4.splat (local.get $C)))';

/** Locals used by {@link exp4}'s statements; declare them in every function that inlines it. */
const EXP4_LOCALS = '(local $ex_x v128) (local $ex_n v128) (local $ex_m v128) (local $ex_p v128)';

/** 1.5 * 2^23: adding it to a float of magnitude below 2^22 rounds it to an integer (ties to even). */
const ROUNDING_MAGIC = 12582912;

/**
 * Statements that set local `into` to exp of the 4 lanes of expression `x` (Cephes expf: range
 * reduction by ln 2 in two parts, degree-6 polynomial, 2^n built in the exponent bits). Relative
 * error ~1e-7; the input is clamped to [-87.3, 88] so the result stays a finite normal float, with
 * f32x4.pmax / pmin (one instruction each; f32x4.max / min expand into several for their NaN and
 * signed-zero rules, which cannot matter against these bounds: the results are the same, NaN included).
 * Generated inline rather than as a function: V8 does not inline calls between wasm functions,
 * and the call cost about as much as the polynomial. n = round(x log2 e) comes from adding and
 * subtracting {@link ROUNDING_MAGIC}, whose sum also holds n in its low mantissa bits: the same
 * values as f32x4.nearest and i32x4.trunc_sat_f32x4_s, which V8 expands into several instructions each.
 */
function exp4(into: string, x: string): string {
  return `
    (local.set $ex_x (f32x4.pmin (f32x4.pmax ${x} ${f4(-87.3)}) ${f4(88)}))
    (local.set $ex_m (f32x4.add (f32x4.mul (local.get $ex_x) ${f4(1.4426950408889634)}) ${f4(ROUNDING_MAGIC)}))
    (local.set $ex_n (f32x4.sub (local.get $ex_m) ${f4(ROUNDING_MAGIC)}))
    (local.set $ex_x (f32x4.sub (local.get $ex_x) (f32x4.mul (local.get $ex_n) ${f4(0.693359375)})))
    (local.set $ex_x (f32x4.add (local.get $ex_x) (f32x4.mul (local.get $ex_n) ${f4(2.1219444e-4)})))
    (local.set $ex_p (f32x4.add (f32x4.mul ${f4(1.98756915e-4)} (local.get $ex_x)) ${f4(1.3981999507e-3)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(8.3334519073e-3)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(4.1665795894e-2)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(1.6666665459e-1)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(5.0000001201e-1)}))
    (local.set $ex_p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $ex_p) (local.get $ex_x)) (local.get $ex_x)) (local.get $ex_x)) ${f4(1)}))
    (local.set ${into} (f32x4.mul (local.get $ex_p)
      (i32x4.shl (i32x4.add (local.get $ex_m) (i32x4.splat (i32.const ${127 - 0x4b400000}))) (i32.const 23))))`;
}

/**
 * The exp of inference's gate kernels: like {@link exp4} (same clamp, same 2^n in the exponent
 * bits) but through 2^t with t = x log2 e: n = round(t), f = t - n in [-1/2, 1/2], and 2^f from a
 * degree-5 polynomial fitted for relative error (1.9e-7 at most on [-1/2, 1/2] in f32 Horner; the
 * rounding of t adds up to |t| 6e-8, which only matters where sigmoid and tanh have saturated).
 * Fewer and shorter dependent operations than exp4's two-part reduction and degree-7 polynomial.
 */
function exp4Inference(into: string, x: string): string {
  return `
    (local.set $ex_x (f32x4.mul (f32x4.pmin (f32x4.pmax ${x} ${f4(-87.3)}) ${f4(88)}) ${f4(1.4426950408889634)}))
    (local.set $ex_m (f32x4.add (local.get $ex_x) ${f4(ROUNDING_MAGIC)}))
    (local.set $ex_x (f32x4.sub (local.get $ex_x) (f32x4.sub (local.get $ex_m) ${f4(ROUNDING_MAGIC)})))
    (local.set $ex_p (f32x4.add (f32x4.mul ${f4(0.0013264728477224708)} (local.get $ex_x)) ${f4(0.009671512991189957)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(0.05550733581185341)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(0.24022242426872253)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(0.6931470036506653)}))
    (local.set $ex_p (f32x4.add (f32x4.mul (local.get $ex_p) (local.get $ex_x)) ${f4(1)}))
    (local.set ${into} (f32x4.mul (local.get $ex_p)
      (i32x4.shl (i32x4.add (local.get $ex_m) (i32x4.splat (i32.const ${127 - 0x4b400000}))) (i32.const 23))))`;
}

/** Statements that set local `into` to sigmoid(x) = 1 / (1 + exp(-x)) (inlined exp4). */
function sigmoid4(into: string, x: string, exp = exp4): string {
  return `${exp(into, `(f32x4.neg ${x})`)}
    (local.set ${into} (f32x4.div ${f4(1)} (f32x4.add ${f4(1)} (local.get ${into}))))`;
}

/** Statements that set local `into` to tanh(x) = 1 - 2 / (exp(2x) + 1) (inlined exp4). */
function tanh4(into: string, x: string, exp = exp4): string {
  return `
    (local.set ${into} ${x})${exp(into, `(f32x4.add (local.get ${into}) (local.get ${into}))`)}
    (local.set ${into} (f32x4.sub ${f4(1)} (f32x4.div ${f4(2)} (f32x4.add (local.get ${into}) ${f4(1)}))))`;
}

/**
 * A loop over the n rows of a GRU step and, inside, over the Hp columns 4 at a time. In the body,
 * $pg is the byte address of gates(row, j) (row stride 3 * Hp), $ps of a state matrix's (row, j)
 * (row stride Hp), $hb = Hp * 4 bytes (the offset of the next gate block).
 */
function gruLoop(body: string): string {
  return `
    (local.set $hb (i32.shl (local.get $Hp) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $hb)))
            (local.set $pg (i32.add (i32.mul (local.get $i) (i32.mul (local.get $hb) (i32.const 3))) (local.get $j)))
            (local.set $ps (i32.add (i32.mul (local.get $i) (local.get $hb)) (local.get $j)))${body}
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))`;
}

const GRU_LOCALS = '(local $i i32) (local $j i32) (local $hb i32) (local $pg i32) (local $ps i32)';
const ld = (base: string, at: string, extra = '') =>
  `(v128.load (i32.add (local.get ${base}) ${extra ? `(i32.add (local.get ${at}) ${extra})` : `(local.get ${at})`}))`;
const st = (base: string, at: string, value: string, extra = '') =>
  `(v128.store (i32.add (local.get ${base}) ${extra ? `(i32.add (local.get ${at}) ${extra})` : `(local.get ${at})`}) ${value})`;
const HB = '(local.get $hb)';
const HB2 = '(i32.shl (local.get $hb) (i32.const 1))';

/**
 * GRU cell kernels over one time step's n packed rows (pointers are byte offsets; gates and dG
 * rows are [z | r | h~] blocks of Hp, state rows are Hp wide; Hp is a multiple of 8):
 * - gru_fwd_zr: z, r = sigmoid(pre-activations) in place; rh = r * hp.
 * - gru_fwd_h: h~ = tanh(pre-activation) in place; h = z * hp + (1 - z) * h~.
 * - gru_bwd_a: dh = dOut + carry (carry rows < nNext only); dz, dh~ into dG; next = dh * z.
 * - gru_bwd_r: given dRH = d(r * hp): dr into dG; next += dRH * r.
 */
const GRU_KERNELS = `
  (func (export "gru_fwd_zr") (param $n i32) (param $Hp i32) (param $g i32) (param $hp i32) (param $rh i32)
    ${GRU_LOCALS} ${EXP4_LOCALS} (local $z v128) (local $r v128)${gruLoop(`${sigmoid4('$z', ld('$g', '$pg'))}
            ${st('$g', '$pg', '(local.get $z)')}${sigmoid4('$r', ld('$g', '$pg', HB))}
            ${st('$g', '$pg', '(local.get $r)', HB)}
            ${st('$rh', '$ps', `(f32x4.mul (local.get $r) ${ld('$hp', '$ps')})`)}`)})
  (func (export "gru_fwd_h") (param $n i32) (param $Hp i32) (param $g i32) (param $hp i32) (param $h i32)
    ${GRU_LOCALS} ${EXP4_LOCALS} (local $z v128) (local $c v128)${gruLoop(`
            (local.set $z ${ld('$g', '$pg')})${tanh4('$c', ld('$g', '$pg', HB2))}
            ${st('$g', '$pg', '(local.get $c)', HB2)}
            ${st('$h', '$ps', `(f32x4.add (f32x4.mul (local.get $z) ${ld('$hp', '$ps')}) (f32x4.mul (f32x4.sub ${f4(1)} (local.get $z)) (local.get $c)))`)}`)})
  (func (export "gru_bwd_a") (param $n i32) (param $nNext i32) (param $Hp i32) (param $g i32) (param $dg i32)
    (param $hp i32) (param $dO i32) (param $carry i32) (param $next i32)
    ${GRU_LOCALS} (local $dh v128) (local $z v128) (local $c v128)${gruLoop(`
            (local.set $dh ${ld('$dO', '$ps')})
            (if (i32.lt_s (local.get $i) (local.get $nNext))
              (then (local.set $dh (f32x4.add (local.get $dh) ${ld('$carry', '$ps')}))))
            (local.set $z ${ld('$g', '$pg')})
            (local.set $c ${ld('$g', '$pg', HB2)})
            ${st('$dg', '$pg', `(f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (f32x4.sub ${ld('$hp', '$ps')} (local.get $c))) (local.get $z)) (f32x4.sub ${f4(1)} (local.get $z)))`)}
            ${st('$dg', '$pg', `(f32x4.mul (f32x4.mul (local.get $dh) (f32x4.sub ${f4(1)} (local.get $z))) (f32x4.sub ${f4(1)} (f32x4.mul (local.get $c) (local.get $c))))`, HB2)}
            ${st('$next', '$ps', '(f32x4.mul (local.get $dh) (local.get $z))')}`)})
  (func (export "gru_bwd_r") (param $n i32) (param $Hp i32) (param $g i32) (param $dg i32) (param $hp i32)
    (param $dRH i32) (param $next i32)
    ${GRU_LOCALS} (local $r v128) (local $d v128)${gruLoop(`
            (local.set $r ${ld('$g', '$pg', HB)})
            (local.set $d ${ld('$dRH', '$ps')})
            ${st('$dg', '$pg', `(f32x4.mul (f32x4.mul (f32x4.mul (local.get $d) ${ld('$hp', '$ps')}) (local.get $r)) (f32x4.sub ${f4(1)} (local.get $r)))`, HB)}
            ${st('$next', '$ps', `(f32x4.add ${ld('$next', '$ps')} (f32x4.mul (local.get $d) (local.get $r)))`)}`)})`;

/**
 * softmax_rows(n, C, ld, p, bias): for each of n rows of C logits at byte offset p (row stride ld
 * floats, ld a multiple of 4), adds the bias (C floats at byte offset bias, zero-padded to a
 * multiple of 4) and replaces the row's first C entries by their softmax: exp(x - max) / sum,
 * with exp4. Entries between C and the next multiple of 4 are set to 0; later ones are untouched.
 */
const SOFTMAX_KERNEL = `
  (func (export "softmax_rows") (param $n i32) (param $C i32) (param $ld i32) (param $p i32) (param $bias i32)
    (local $i i32) (local $j i32) (local $end i32) (local $row i32) (local $x v128) (local $m v128) (local $s v128)
    ${EXP4_LOCALS}
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (i32.add (local.get $C) (i32.const 3)) (i32.const -4)) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $row (i32.add (local.get $p) (i32.mul (local.get $i) (local.get $ld))))
        (local.set $m ${f4('-inf')})
        (local.set $j (i32.const 0))
        (block $max_done
          (loop $max
            (br_if $max_done (i32.ge_s (local.get $j) (local.get $end)))
            (local.set $x (f32x4.add ${ld('$row', '$j')} ${ld('$bias', '$j')}))
            ${st('$row', '$j', '(local.get $x)')}
            (local.set $m (f32x4.max (local.get $m) (v128.bitselect (local.get $x) ${f4('-inf')} ${VALID_LANES})))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $max)))
        (local.set $m (f32x4.max (local.get $m) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
        (local.set $m (f32x4.max (local.get $m) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $m) (local.get $m))))
        (local.set $s (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $exp_done
          (loop $exp
            (br_if $exp_done (i32.ge_s (local.get $j) (local.get $end)))${exp4('$x', `(f32x4.sub ${ld('$row', '$j')} (local.get $m))`)}
            (local.set $x (v128.and (local.get $x) ${VALID_LANES}))
            ${st('$row', '$j', '(local.get $x)')}
            (local.set $s (f32x4.add (local.get $s) (local.get $x)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $exp)))
        (local.set $s (f32x4.add (local.get $s) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s))))
        (local.set $s (f32x4.add (local.get $s) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $s) (local.get $s))))
        (local.set $j (i32.const 0))
        (block $div_done
          (loop $div
            (br_if $div_done (i32.ge_s (local.get $j) (local.get $end)))
            ${st('$row', '$j', `(f32x4.div ${ld('$row', '$j')} (local.get $s))`)}
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $div)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))`;

/**
 * Adam over n4 floats (a multiple of 4) at byte offsets w, g, m, v, with the gradient scaled by
 * gscale (global-norm clipping) first: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr (m / c1) / (sqrt(v / c2) + eps), where c1, c2 are the bias corrections 1 - beta^t.
 *
 * With `averaged` (the optimizer module's `adam_average`): two more parameters after gscale, keep and
 * take (f64), and the weights' moving average at byte offset a, updated with each new weight in the
 * same sweep: a = f32(keep * f64(a) + take * f64(w)), the float64 products and sum rounded once, as
 * {@link AVERAGE_KERNEL} and that expression in JavaScript compute it.
 */
function adamKernel(name: string, averaged: boolean): string {
  const newWeights = `(f32x4.sub ${ld('$w', '$at')} (f32x4.div (f32x4.mul (f32x4.splat (local.get $lr)) (f32x4.div (local.get $mi) (f32x4.splat (local.get $c1))))
          (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vi) (f32x4.splat (local.get $c2)))) (f32x4.splat (local.get $eps)))))`;
  const update = averaged
    ? `(local.set $wi ${newWeights})
        ${st('$w', '$at', '(local.get $wi)')}
        (local.set $x ${ld('$a', '$at')})
        ${st('$a', '$at', averagedLanes('(local.get $x)', '(local.get $wi)'))}`
    : st('$w', '$at', newWeights);
  return `
  (func (export "${name}") (param $w i32) (param $g i32) (param $m i32) (param $v i32)${averaged ? ' (param $a i32)' : ''} (param $n4 i32)
    (param $lr f32) (param $b1 f32) (param $b2 f32) (param $eps f32) (param $c1 f32) (param $c2 f32) (param $gscale f32)${averaged ? ' (param $keep f64) (param $take f64)' : ''}
    (local $at i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $vb1 v128) (local $vb2 v128) (local $va1 v128) (local $va2 v128)${averaged ? ' (local $wi v128) (local $x v128) (local $keep2 v128) (local $take2 v128)' : ''}
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $va1 (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
    (local.set $va2 (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))${
      averaged
        ? `
    (local.set $keep2 (f64x2.splat (local.get $keep)))
    (local.set $take2 (f64x2.splat (local.get $take)))`
        : ''
    }
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $at) (local.get $end)))
        (local.set $gi (f32x4.mul ${ld('$g', '$at')} (f32x4.splat (local.get $gscale))))
        (local.set $mi (f32x4.add (f32x4.mul (local.get $vb1) ${ld('$m', '$at')}) (f32x4.mul (local.get $va1) (local.get $gi))))
        (local.set $vi (f32x4.add (f32x4.mul (local.get $vb2) ${ld('$v', '$at')}) (f32x4.mul (f32x4.mul (local.get $va2) (local.get $gi)) (local.get $gi))))
        ${st('$m', '$at', '(local.get $mi)')}
        ${st('$v', '$at', '(local.get $vi)')}
        ${update}
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $each))))`;
}

const ADAM_KERNEL = adamKernel('adam', false);

/**
 * f32(keep * f64(a) + take * f64(w)) in each lane of the two f32x4 values `a` and `w` (expressions),
 * with $keep2 and $take2 (f64x2 splats) in scope: each half promoted to f64x2, the products and sum
 * in float64, demoted and the halves put back together.
 */
function averagedLanes(a: string, w: string): string {
  const high = (x: string) => `(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${x} ${x})`;
  const half = (x: string, y: string) => `(f32x4.demote_f64x2_zero
              (f64x2.add
                (f64x2.mul (local.get $keep2) (f64x2.promote_low_f32x4 ${x}))
                (f64x2.mul (local.get $take2) (f64x2.promote_low_f32x4 ${y}))))`;
  return `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            ${half(a, w)}
            ${half(high(a), high(w))})`;
}

/**
 * The weights' moving average without an Adam step (weights Adam did not update this step, e.g. a
 * frozen embedding): average(a, w, n4, keep, take) sets a = f32(keep * f64(a) + take * f64(w)) over
 * n4 floats (a multiple of 4) at byte offsets a and w.
 */
const AVERAGE_KERNEL = `
  (func (export "average") (param $a i32) (param $w i32) (param $n4 i32) (param $keep f64) (param $take f64)
    (local $at i32) (local $end i32) (local $x v128) (local $y v128) (local $keep2 v128) (local $take2 v128)
    (local.set $keep2 (f64x2.splat (local.get $keep)))
    (local.set $take2 (f64x2.splat (local.get $take)))
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $at) (local.get $end)))
        (local.set $x ${ld('$a', '$at')})
        (local.set $y ${ld('$w', '$at')})
        ${st('$a', '$at', averagedLanes('(local.get $x)', '(local.get $y)'))}
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $each))))`;

/**
 * Element-wise helpers of a training pass:
 * - `mul(n4, dst, a, b)`: dst = a * b over n4 floats (a multiple of 4; dst may be a or b), the
 *   dropout masks' products;
 * - `column_sums(n, cols, src, ld, sums)`: sums[j] += src[i, j] for i = 0 .. n-1 in order, in f64
 *   (f32 rows of src with ld floats each, cols a multiple of 4, sums [cols] f64 at byte offset
 *   sums): a bias gradient, summed as a float64 loop over the rows would;
 * - `keep_mask(states, lanes, n, stride, out, threshold, scale)`: n values of each of `lanes` (1-4)
 *   inverted-dropout mask rows at byte offsets out + q * stride, drawn from 4 mulberry32 streams
 *   side by side (their states: 4 u32 at byte offset states, advanced n times, lanes past `lanes`
 *   included): scale where the draw is below threshold (unsigned), else 0. The same draws as
 *   Random.fillKeepMask per stream.
 */
const ELEMENTWISE_KERNELS = `
  (func (export "mul") (param $n4 i32) (param $dst i32) (param $a i32) (param $b i32)
    (local $at i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n4) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $at) (local.get $end)))
        ${st('$dst', '$at', `(f32x4.mul ${ld('$a', '$at')} ${ld('$b', '$at')})`)}
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $each))))
  (func (export "column_sums") (param $n i32) (param $cols i32) (param $src i32) (param $ld i32) (param $sums i32)
    (local $i i32) (local $j i32) (local $x v128) (local $ps i32) (local $pd i32)
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $cols)))
            (local.set $ps (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $pd (i32.add (local.get $sums) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $x (v128.load (local.get $ps)))
            (v128.store (local.get $pd)
              (f64x2.add (v128.load (local.get $pd)) (f64x2.promote_low_f32x4 (local.get $x))))
            (v128.store offset=16 (local.get $pd)
              (f64x2.add (v128.load offset=16 (local.get $pd))
                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols)))
        (local.set $src (i32.add (local.get $src) (local.get $ld)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
  (func (export "keep_mask") (param $states i32) (param $lanes i32) (param $n i32) (param $stride i32)
    (param $out i32) (param $threshold i32) (param $scale f32)
    (local $s v128) (local $t v128) (local $v v128) (local $vt v128) (local $vs v128) (local $j i32) (local $at i32)
    (local.set $s (v128.load (local.get $states)))
    (local.set $vt (i32x4.splat (local.get $threshold)))
    (local.set $vs (f32x4.splat (local.get $scale)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $s (i32x4.add (local.get $s) (i32x4.splat (i32.const 0x6d2b79f5))))
        (local.set $t (i32x4.mul (v128.xor (local.get $s) (i32x4.shr_u (local.get $s) (i32.const 15)))
          (v128.or (local.get $s) (i32x4.splat (i32.const 1)))))
        (local.set $t (v128.xor (local.get $t) (i32x4.add (local.get $t)
          (i32x4.mul (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 7)))
            (v128.or (local.get $t) (i32x4.splat (i32.const 61)))))))
        (local.set $t (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 14))))
        (local.set $v (v128.and (i32x4.lt_u (local.get $t) (local.get $vt)) (local.get $vs)))
        (local.set $at (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
        (f32.store (local.get $at) (f32x4.extract_lane 0 (local.get $v)))
        (if (i32.gt_s (local.get $lanes) (i32.const 1))
          (then (f32.store (i32.add (local.get $at) (local.get $stride)) (f32x4.extract_lane 1 (local.get $v)))))
        (if (i32.gt_s (local.get $lanes) (i32.const 2))
          (then (f32.store (i32.add (local.get $at) (i32.shl (local.get $stride) (i32.const 1))) (f32x4.extract_lane 2 (local.get $v)))))
        (if (i32.gt_s (local.get $lanes) (i32.const 3))
          (then (f32.store (i32.add (local.get $at) (i32.mul (local.get $stride) (i32.const 3))) (f32x4.extract_lane 3 (local.get $v)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $each)))
    (v128.store (local.get $states) (local.get $s)))`;

/**
 * The 4 lanes of float expression `x` (|x| < 2^22) rounded to the nearest integer (ties to even) as
 * int32: adding {@link ROUNDING_MAGIC} leaves the integer in the sum's low mantissa bits, and
 * subtracting the magic number's bit pattern as an integer leaves it alone. The same values as
 * f32x4.nearest then i32x4.trunc_sat_f32x4_s, which V8 expands into several instructions each.
 */
function roundToInt(x: string): string {
  return `(i32x4.sub (f32x4.add ${x} ${f4(ROUNDING_MAGIC)}) (i32x4.splat (i32.const ${0x4b400000})))`;
}

/**
 * Statements that end one row's quantization (see quantize_rows): given $m, the running maximum of
 * the row's |x| bit patterns per lane, store the row's scale max |x| / $qmax as f32 at byte address
 * `scaleAt` and write the $end / 4 floats at byte address $row (a multiple of 8) rounded to int16 at
 * $out onwards. Uses locals $m, $max, $inv, $j, $row, $out, $end and parameter $qmax.
 */
function quantizeRow(label: string, scaleAt: string): string {
  return `
        (local.set $m (i32x4.max_s (local.get $m) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
        (local.set $m (i32x4.max_s (local.get $m) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $m) (local.get $m))))
        (local.set $max (f32x4.extract_lane 0 (local.get $m)))
        (f32.store ${scaleAt} (f32.div (local.get $max) (local.get $qmax)))
        (local.set $inv (f32x4.splat (select (f32.div (local.get $qmax) (local.get $max)) (f32.const 0) (f32.gt (local.get $max) (f32.const 0)))))
        (local.set $j (i32.const 0))
        (block $${label}_done
          (loop $${label}
            (br_if $${label}_done (i32.ge_s (local.get $j) (local.get $end)))
            (v128.store (local.get $out) (i16x8.narrow_i32x4_s
              ${roundToInt(`(f32x4.mul ${ld('$row', '$j')} (local.get $inv))`)}
              ${roundToInt(`(f32x4.mul ${ld('$row', '$j', '(i32.const 16)')} (local.get $inv))`)}))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $${label})))`;
}

/** Locals of {@link quantizeRow} (besides $j and the $qmax parameter). */
const QUANTIZE_ROW_LOCALS =
  '(local $m v128) (local $max f32) (local $inv v128) (local $row i32) (local $out i32) (local $end i32)';

/**
 * A loop over the n rows of a GRU step for the inference kernels: for each row, $rg is the byte
 * address of its gates [z | r | h~] (Hp each), $rp of its previous state, $row of the state row the
 * kernel writes (base `dest`, row stride Hp), $out of its quantized row (base $q, row stride Hp
 * int16); `body` runs for each 4 columns ($j bytes in, up to $end = Hp * 4) and keeps in $m the
 * maximum of |written value| bit patterns, then the row is quantized into $q with its scale at
 * $scales + 4 i.
 */
function gruInferenceLoop(dest: string, body: string): string {
  return `
    (local.set $end (i32.shl (local.get $Hp) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $rg (i32.add (local.get $g) (i32.mul (local.get $i) (i32.mul (local.get $end) (i32.const 3)))))
        (local.set $rp (i32.add (local.get $hp) (i32.mul (local.get $i) (local.get $end))))
        (local.set $row (i32.add (local.get ${dest}) (i32.mul (local.get $i) (local.get $end))))
        (local.set $m (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $end)))${body}
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $out (i32.add (local.get $q) (i32.mul (local.get $i) (i32.shl (local.get $Hp) (i32.const 1)))))${quantizeRow('q', '(i32.add (local.get $scales) (i32.shl (local.get $i) (i32.const 2)))')}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))`;
}

const GRU_INFERENCE_LOCALS = `(local $i i32) (local $j i32) (local $rg i32) (local $rp i32) ${QUANTIZE_ROW_LOCALS} (local $z v128) (local $x v128)`;
const at = (base: string, extra = '') =>
  extra
    ? `(i32.add (i32.add (local.get ${base}) (local.get $j)) ${extra})`
    : `(i32.add (local.get ${base}) (local.get $j))`;
const HPB = '(local.get $end)';
const HPB2 = '(i32.shl (local.get $end) (i32.const 1))';

/**
 * GRU kernels of inference with integer recurrent products (the same arithmetic as gru_fwd_zr and
 * gru_fwd_h, then the row quantized as quantize_rows does it, for the next product; pointers are
 * byte offsets, q int16 rows of Hp, scales f32):
 * - gru_inf_zr(n, Hp, g, hp, rh, q, scales, qmax): z = sigmoid in place; rh = sigmoid(r's
 *   pre-activation) * hp, and rh quantized into q / scales (r itself is not stored);
 * - gru_inf_h(n, Hp, g, hp, h, q, scales, qmax): h = z * hp + (1 - z) * tanh(h~'s pre-activation),
 *   and h quantized into q / scales (h~ is not stored).
 */
const GRU_INFERENCE_KERNELS = `
  (func (export "gru_inf_zr") (param $n i32) (param $Hp i32) (param $g i32) (param $hp i32) (param $rh i32)
    (param $q i32) (param $scales i32) (param $qmax f32)
    ${GRU_INFERENCE_LOCALS} ${EXP4_LOCALS}${gruInferenceLoop(
      '$rh',
      `${sigmoid4('$z', `(v128.load ${at('$rg')})`, exp4Inference)}
            (v128.store ${at('$rg')} (local.get $z))${sigmoid4('$x', `(v128.load ${at('$rg', HPB)})`, exp4Inference)}
            (local.set $x (f32x4.mul (local.get $x) (v128.load ${at('$rp')})))
            (v128.store ${at('$row')} (local.get $x))
            (local.set $m (i32x4.max_s (local.get $m) (f32x4.abs (local.get $x))))`,
    )})
  (func (export "gru_inf_h") (param $n i32) (param $Hp i32) (param $g i32) (param $hp i32) (param $h i32)
    (param $q i32) (param $scales i32) (param $qmax f32)
    ${GRU_INFERENCE_LOCALS} ${EXP4_LOCALS}${gruInferenceLoop(
      '$h',
      `
            (local.set $z (v128.load ${at('$rg')}))${tanh4('$x', `(v128.load ${at('$rg', HPB2)})`, exp4Inference)}
            (local.set $x (f32x4.add (f32x4.mul (local.get $z) (v128.load ${at('$rp')})) (f32x4.mul (f32x4.sub ${f4(1)} (local.get $z)) (local.get $x))))
            (v128.store ${at('$row')} (local.get $x))
            (local.set $m (i32x4.max_s (local.get $m) (f32x4.abs (local.get $x))))`,
    )})`;

/** Rows of C computed together by the integer gemm's main tile (x 8 columns). */
export const QGEMM_TILE_ROWS = 6;

/**
 * One row block of the integer gemm. With `fromRows`, each row's addend is read from the row
 * whose byte address is the i32 at $P + 4 i, plus $poff, instead of from C itself.
 */
function qRowBlock(rows: number, label: string, fromRows = false): string {
  const r = [...Array(rows).keys()];
  const init = r
    .map(
      (i) => `
        (local.set $c${i}0 (v128.const i32x4 0 0 0 0)) (local.set $c${i}1 (v128.const i32x4 0 0 0 0))
        (local.set $pa${i} (i32.add (local.get $A) (i32.mul (i32.add (local.get $i) (i32.const ${i})) (local.get $lda))))`,
    )
    .join('');
  const body = r
    .map(
      (i) => `
            (local.set $a (v128.load32_splat (local.get $pa${i})))
            (local.set $c${i}0 (i32x4.add (local.get $c${i}0) (i32x4.dot_i16x8_s (local.get $a) (local.get $b0))))
            (local.set $c${i}1 (i32x4.add (local.get $c${i}1) (i32x4.dot_i16x8_s (local.get $a) (local.get $b1))))
            (local.set $pa${i} (i32.add (local.get $pa${i}) (i32.const 4)))`,
    )
    .join('');
  const store = r
    .map(
      (i) => `
        (local.set $pc (i32.add (local.get $C) (i32.add (i32.mul (i32.add (local.get $i) (i32.const ${i})) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $s (f32x4.splat (f32.load (i32.add (local.get $sa) (i32.shl (i32.add (local.get $i) (i32.const ${i})) (i32.const 2))))))${
          fromRows
            ? `
        (local.set $pp (i32.add (i32.add (i32.load (i32.add (local.get $P) (i32.shl (i32.add (local.get $i) (i32.const ${i})) (i32.const 2)))) (local.get $poff)) (i32.shl (local.get $j) (i32.const 2))))`
            : ''
        }
        (v128.store (local.get $pc) (f32x4.add (v128.load (local.get ${fromRows ? '$pp' : '$pc'}))
          (f32x4.mul (f32x4.convert_i32x4_s (local.get $c${i}0)) (f32x4.mul (local.get $s) (local.get $s0)))))
        (v128.store offset=16 (local.get $pc) (f32x4.add (v128.load offset=16 (local.get ${fromRows ? '$pp' : '$pc'}))
          (f32x4.mul (f32x4.convert_i32x4_s (local.get $c${i}1)) (f32x4.mul (local.get $s) (local.get $s1)))))`,
    )
    .join('');
  const afterK = `
            (local.set $s0 (v128.load (i32.add (local.get $sb) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $s1 (v128.load offset=16 (i32.add (local.get $sb) (i32.shl (local.get $j) (i32.const 2)))))`;
  return rowColumnLoops({ rows, label, init, kCount: '$KP', body, afterK, store });
}

/**
 * The integer kernels of inference (standard SIMD; pointers are byte offsets):
 * - quantize_rows(n, K, src, lds, dst, ldq, scales, qmax): for each of n rows of K floats (K a
 *   multiple of 8; row stride lds floats), scale = max |x| / qmax, stored as f32 at scales + 4 i, and
 *   q = round(x / scale) (ties to even, see roundToInt; 0 for an all-zero row) as K int16 at dst (row stride ldq
 *   int16). The division is a product with qmax / max |x|, computed once per row. The maximum
 *   is taken over the bit patterns of |x| as int32 (ordered as the floats are, for non-negative
 *   floats): one instruction, where f32x4.max expands into several for its NaN rules.
 * - qgemm(M, N, KP, A, lda, B, ldb, C, ldc, sa, sb): C[M, N] += (A B)(i, j) * sa[i] * sb[j] over f32,
 *   where A is int16 [M, 2 KP] (row stride lda bytes), B int16 [2 KP, N] stored as pairs: the
 *   4 bytes of (B(2p, j), B(2p + 1, j)) at B + 4 (p ldb + j), and sa (per row of A), sb (per column
 *   of B) are f32. Products of pairs of k (i32x4.dot_i16x8_s) are summed exactly in int32, then
 *   converted and scaled once: the caller keeps 2 KP * max|A| * max|B| below 2^31. N must be a
 *   multiple of 8.
 * - qgemm_from(M, N, KP, A, lda, B, ldb, C, ldc, sa, sb, P, poff): the same, but C(i, j) =
 *   X_i(j) + (A B)(i, j) * sa[i] * sb[j], where X_i is the f32 row at byte address
 *   i32[P + 4 i] + poff (the same operations as qgemm with C(i, :) = X_i beforehand: inference
 *   reads each row's input projection from the projection cache instead of copying it into C).
 */
function integerKernels(): string {
  const tileRows = QGEMM_TILE_ROWS;
  const locals = [
    ...[...Array(tileRows).keys()].map((i) => `(local $pa${i} i32)`),
    ...[...Array(tileRows).keys()].flatMap((i) => [`(local $c${i}0 v128)`, `(local $c${i}1 v128)`]),
  ].join(' ');
  return `
  (func (export "quantize_rows") (param $n i32) (param $K i32) (param $src i32) (param $lds i32)
    (param $dst i32) (param $ldq i32) (param $scales i32) (param $qmax f32)
    (local $i i32) (local $j i32) (local $end i32) (local $row i32) (local $out i32)
    (local $m v128) (local $inv v128) (local $x v128) (local $max f32)
    (local.set $lds (i32.shl (local.get $lds) (i32.const 2)))
    (local.set $ldq (i32.shl (local.get $ldq) (i32.const 1)))
    (local.set $end (i32.shl (local.get $K) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $row (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $lds))))
        (local.set $m (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $max_done
          (loop $max
            (br_if $max_done (i32.ge_s (local.get $j) (local.get $end)))
            (local.set $m (i32x4.max_s (local.get $m) (f32x4.abs ${ld('$row', '$j')})))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $max)))
        (local.set $out (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $ldq))))${quantizeRow('q', '(i32.add (local.get $scales) (i32.shl (local.get $i) (i32.const 2)))')}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
  (func (export "qgemm")
    (param $M i32) (param $N i32) (param $KP i32) (param $A i32) (param $lda i32)
    (param $B i32) (param $ldb i32) (param $C i32) (param $ldc i32) (param $sa i32) (param $sb i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pb i32) (local $pc i32)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $s v128) (local $s0 v128) (local $s1 v128) ${locals}
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $i (i32.const 0))${qRowBlock(tileRows, 'tile')}${qRowBlock(2, 'two')}${qRowBlock(1, 'one')})
  (func (export "qgemm_from")
    (param $M i32) (param $N i32) (param $KP i32) (param $A i32) (param $lda i32)
    (param $B i32) (param $ldb i32) (param $C i32) (param $ldc i32) (param $sa i32) (param $sb i32)
    (param $P i32) (param $poff i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pb i32) (local $pc i32) (local $pp i32)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $s v128) (local $s0 v128) (local $s1 v128) ${locals}
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $i (i32.const 0))${qRowBlock(tileRows, 'tile', true)}${qRowBlock(2, 'two', true)}${qRowBlock(1, 'one', true)})${GRU_INFERENCE_KERNELS}`;
}

/** Assembles kernelsWat(relaxed) with wabt (dev dependency, dev time only). */
export async function assembleKernels(relaxed = false): Promise<Uint8Array> {
  return assembleWat('kernels.wat', kernelsWat(relaxed), { simd: true, relaxed_simd: relaxed });
}

/**
 * WebAssembly text of the optimizer module: the same `adam` kernel as the kernel module, over an
 * imported shared memory (`env.memory`), so that a trainer and its helper thread can each update
 * their own part of the weights held in one memory; `adam_average`, the same with the weights'
 * moving average updated in the same sweep, and `average`, that average alone.
 */
export function optimizerWat(): string {
  return `(module
  (import "env" "memory" (memory 1 65536 shared))${ADAM_KERNEL}${adamKernel('adam_average', true)}${AVERAGE_KERNEL}
)`;
}

/** Assembles optimizerWat() with wabt (dev dependency, dev time only). */
export async function assembleOptimizer(): Promise<Uint8Array> {
  return assembleWat('optimizer.wat', optimizerWat(), { simd: true, threads: true });
}

if (require.main === module) {
  void Promise.all([assembleKernels(false), assembleKernels(true), assembleOptimizer()]).then(
    ([binary, relaxedBinary, optimizerBinary]) => {
      const fs = require('fs') as typeof import('fs');
      const text =
        "/** The engine's WebAssembly kernels, assembled from scripts/kernelsWat.ts (regenerate: npx tsx scripts/kernelsWat.ts). */\n" +
        `export const KERNELS_WASM_BASE64 =\n  '${Buffer.from(binary).toString('base64')}';\n\n` +
        '/** The same with relaxed-SIMD multiply-adds in gemm (only for runtimes that validate it). */\n' +
        `export const KERNELS_RELAXED_WASM_BASE64 =\n  '${Buffer.from(relaxedBinary).toString('base64')}';\n\n` +
        '/** Adam over an imported shared memory (a trainer and its helper thread update one memory). */\n' +
        `export const OPTIMIZER_WASM_BASE64 =\n  '${Buffer.from(optimizerBinary).toString('base64')}';\n`;
      fs.writeFileSync(require('path').join(__dirname, '..', 'src', 'core', 'engine', 'kernelsBinary.ts'), text);
      console.log(
        `wrote src/core/engine/kernelsBinary.ts (${binary.length}, ${relaxedBinary.length} and ${optimizerBinary.length} bytes)`,
      );
    },
  );
}
