// The WebAssembly text of the SIMD elementwise kernels and sums. Every op here rounds exactly
// as the JavaScript reference does on float32 buffers (IEEE add, sub, mul, div, sqrt are
// correctly rounded either way; max, min, comparisons and where are exact), so switching
// kernels never changes a result. Operands are addresses in bytes; n counts elements.

const V = (name: string): string => `(local.get $${name})`

/** Binary ops: a SIMD body over v128 x, y and a scalar body over f32 x, y. */
export const BINARY_OPS = {
  add: ['(f32x4.add $x $y)', '(f32.add $x $y)'],
  sub: ['(f32x4.sub $x $y)', '(f32.sub $x $y)'],
  mul: ['(f32x4.mul $x $y)', '(f32.mul $x $y)'],
  div: ['(f32x4.div $x $y)', '(f32.div $x $y)'],
  // ties and NaN in the first operand keep the first operand, as in elementwise.ts
  maximum: [
    '(v128.bitselect $x $y (v128.or (f32x4.ge $x $y) (f32x4.ne $x $x)))',
    '(select $x $y (i32.or (f32.ge $x $y) (f32.ne $x $x)))',
  ],
  minimum: [
    '(v128.bitselect $x $y (v128.or (f32x4.le $x $y) (f32x4.ne $x $x)))',
    '(select $x $y (i32.or (f32.le $x $y) (f32.ne $x $x)))',
  ],
  cmp_gt: [
    '(v128.and (f32x4.gt $x $y) (f32x4.splat (f32.const 1)))',
    '(f32.convert_i32_u (f32.gt $x $y))',
  ],
} as const

export const UNARY_OPS = {
  neg: ['(f32x4.neg $x)', '(f32.neg $x)'],
  abs: ['(f32x4.abs $x)', '(f32.abs $x)'],
  sqrt: ['(f32x4.sqrt $x)', '(f32.sqrt $x)'],
} as const

/**
 * Operand layouts: vv both full; vs second a scalar; sv first a scalar; vr second a row of
 * `inner` elements repeated (a bias). Each names how x and y are read at element i.
 */
export const LAYOUTS = ['vv', 'vs', 'sv', 'vr'] as const
export type Layout = (typeof LAYOUTS)[number]

const fill = (body: string, x: string, y: string): string =>
  body.replaceAll('$x', x).replaceAll('$y', y)

function operand(layout: Layout, which: 'a' | 'b'): [string, string] {
  const scalar = (layout === 'vs' && which === 'b') || (layout === 'sv' && which === 'a')
  if (scalar) return [V(`${which}4`), V(`${which}1`)]
  const at = `(i32.add ${V(which)} ${layout === 'vr' && which === 'b' ? V('r') : V('i')})`
  return [`(v128.load ${at})`, `(f32.load ${at})`]
}

function binary(name: string, [simd, scalar]: readonly [string, string], layout: Layout): string {
  const [xa, sa] = operand(layout, 'a')
  const [xb, sb] = operand(layout, 'b')
  const row = layout === 'vr'
  const step = (bytes: number): string =>
    row
      ? `(local.set $r (i32.add ${V('r')} (i32.const ${bytes})))
        (if (i32.ge_u ${V('r')} ${V('rowBytes')}) (then (local.set $r (i32.const 0))))`
      : ''
  return `
  (func (export "${name}_${layout}") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
      (param $inner i32)
    (local $i i32) (local $end4 i32) (local $end i32) (local $r i32) (local $rowBytes i32)
    (local $a1 f32) (local $b1 f32) (local $a4 v128) (local $b4 v128)
    ${layout === 'sv' ? `(local.set $a1 (f32.load ${V('a')})) (local.set $a4 (f32x4.splat ${V('a1')}))` : ''}
    ${layout === 'vs' ? `(local.set $b1 (f32.load ${V('b')})) (local.set $b4 (f32x4.splat ${V('b1')}))` : ''}
    (local.set $rowBytes (i32.shl ${V('inner')} (i32.const 2)))
    (local.set $end (i32.shl ${V('n')} (i32.const 2)))
    (local.set $end4 (i32.and ${V('end')} (i32.const -16)))
    ${row ? '(if (i32.and (local.get $inner) (i32.const 3)) (then (local.set $end4 (i32.const 0))))' : ''}
    (block $vDone (loop $v
      (br_if $vDone (i32.ge_u ${V('i')} ${V('end4')}))
      (v128.store (i32.add ${V('o')} ${V('i')}) ${fill(simd, xa, xb)})
      (local.set $i (i32.add ${V('i')} (i32.const 16)))
      ${step(16)}
      (br $v)))
    (block $sDone (loop $s
      (br_if $sDone (i32.ge_u ${V('i')} ${V('end')}))
      (f32.store (i32.add ${V('o')} ${V('i')}) ${fill(scalar, sa, sb)})
      (local.set $i (i32.add ${V('i')} (i32.const 4)))
      ${step(4)}
      (br $s))))`
}

function unary(name: string, [simd, scalar]: readonly [string, string]): string {
  const x4 = `(v128.load (i32.add ${V('a')} ${V('i')}))`
  const x1 = `(f32.load (i32.add ${V('a')} ${V('i')}))`
  return `
  (func (export "${name}") (param $a i32) (param $o i32) (param $n i32)
    (local $i i32) (local $end4 i32) (local $end i32)
    (local.set $end (i32.shl ${V('n')} (i32.const 2)))
    (local.set $end4 (i32.and ${V('end')} (i32.const -16)))
    (block $vDone (loop $v
      (br_if $vDone (i32.ge_u ${V('i')} ${V('end4')}))
      (v128.store (i32.add ${V('o')} ${V('i')}) ${fill(simd, x4, '')})
      (local.set $i (i32.add ${V('i')} (i32.const 16)))
      (br $v)))
    (block $sDone (loop $s
      (br_if $sDone (i32.ge_u ${V('i')} ${V('end')}))
      (f32.store (i32.add ${V('o')} ${V('i')}) ${fill(scalar, x1, '')})
      (local.set $i (i32.add ${V('i')} (i32.const 4)))
      (br $s))))`
}

/** a ± s·g and s·g − a, s a scalar: the optimizer update's two kernels in one pass. */
export const AXPY_FORMS = {
  axpy_add: '(f32x4.add $a $t)',
  axpy_sub: '(f32x4.sub $a $t)',
  axpy_rsub: '(f32x4.sub $t $a)',
} as const

function axpy(name: string, body: string): string {
  const scalar = body
    .replaceAll('f32x4', 'f32')
    .replace('$a', `(f32.load (i32.add ${V('a')} ${V('i')}))`)
    .replace('$t', `(f32.mul ${V('s1')} (f32.load (i32.add ${V('g')} ${V('i')})))`)
  const simd = body
    .replace('$a', `(v128.load (i32.add ${V('a')} ${V('i')}))`)
    .replace('$t', `(f32x4.mul ${V('s4')} (v128.load (i32.add ${V('g')} ${V('i')})))`)
  return `
  (func (export "${name}") (param $a i32) (param $s i32) (param $g i32) (param $o i32) (param $n i32)
    (local $i i32) (local $end4 i32) (local $end i32) (local $s1 f32) (local $s4 v128)
    (local.set $s1 (f32.load ${V('s')}))
    (local.set $s4 (f32x4.splat ${V('s1')}))
    (local.set $end (i32.shl ${V('n')} (i32.const 2)))
    (local.set $end4 (i32.and ${V('end')} (i32.const -16)))
    (block $vDone (loop $v
      (br_if $vDone (i32.ge_u ${V('i')} ${V('end4')}))
      (v128.store (i32.add ${V('o')} ${V('i')}) ${simd})
      (local.set $i (i32.add ${V('i')} (i32.const 16)))
      (br $v)))
    (block $sDone (loop $s
      (br_if $sDone (i32.ge_u ${V('i')} ${V('end')}))
      (f32.store (i32.add ${V('o')} ${V('i')}) ${scalar})
      (local.set $i (i32.add ${V('i')} (i32.const 4)))
      (br $s))))`
}

/** The where layouts: c is full; a and b are each full (v) or a scalar (s). */
export const WHERE_LAYOUTS = ['vv', 'sv', 'vs'] as const

/** where(c, a, b): c ≠ 0 picks a (NaN ≠ 0, as in JavaScript). */
function where(layout: (typeof WHERE_LAYOUTS)[number]): string {
  const at = (base: string, kind: 'v128' | 'f32'): string =>
    `(${kind}.load (i32.add ${V(base)} ${V('i')}))`
  const pick = (which: 'a' | 'b', kind: 'v128' | 'f32'): string =>
    layout[which === 'a' ? 0 : 1] === 's'
      ? V(`${which}${kind === 'v128' ? 4 : 1}`)
      : at(which, kind)
  const splat = (which: 'a' | 'b'): string =>
    `(local.set $${which}1 (f32.load ${V(which)})) (local.set $${which}4 (f32x4.splat ${V(`${which}1`)}))`
  return `
  (func (export "where_${layout}") (param $c i32) (param $a i32) (param $b i32) (param $o i32)
      (param $n i32)
    (local $i i32) (local $end4 i32) (local $end i32)
    (local $a1 f32) (local $b1 f32) (local $a4 v128) (local $b4 v128)
    ${layout[0] === 's' ? splat('a') : ''} ${layout[1] === 's' ? splat('b') : ''}
    (local.set $end (i32.shl ${V('n')} (i32.const 2)))
    (local.set $end4 (i32.and ${V('end')} (i32.const -16)))
    (block $vDone (loop $v
      (br_if $vDone (i32.ge_u ${V('i')} ${V('end4')}))
      (v128.store (i32.add ${V('o')} ${V('i')}) (v128.bitselect ${pick('a', 'v128')} ${pick('b', 'v128')}
        (f32x4.ne ${at('c', 'v128')} (v128.const i32x4 0 0 0 0))))
      (local.set $i (i32.add ${V('i')} (i32.const 16)))
      (br $v)))
    (block $sDone (loop $s
      (br_if $sDone (i32.ge_u ${V('i')} ${V('end')}))
      (f32.store (i32.add ${V('o')} ${V('i')}) (select ${pick('a', 'f32')} ${pick('b', 'f32')}
        (f32.ne ${at('c', 'f32')} (f32.const 0))))
      (local.set $i (i32.add ${V('i')} (i32.const 4)))
      (br $s))))`
}

/**
 * out[o, j] = Σ_r x[o, r, j] for x viewed as [outer, mid, inner] (inner a multiple of 4),
 * adding in r order from zero, exactly like the reference's running float32 sum.
 */
function sumInner(): string {
  return `
  (func (export "sum_inner") (param $x i32) (param $out i32) (param $outer i32) (param $mid i32)
      (param $inner i32)
    (local $o i32) (local $r i32) (local $j i32) (local $row i32) (local $dst i32)
    (local.set $row (i32.shl ${V('inner')} (i32.const 2)))
    (memory.fill ${V('out')} (i32.const 0) (i32.mul ${V('outer')} ${V('row')}))
    (block $oDone (loop $oLoop
      (br_if $oDone (i32.ge_u ${V('o')} ${V('outer')}))
      (local.set $dst (i32.add ${V('out')} (i32.mul ${V('o')} ${V('row')})))
      (local.set $r (i32.const 0))
      (block $rDone (loop $rLoop
        (br_if $rDone (i32.ge_u ${V('r')} ${V('mid')}))
        (local.set $j (i32.const 0))
        (block $jDone (loop $jLoop
          (br_if $jDone (i32.ge_u ${V('j')} ${V('row')}))
          (v128.store (i32.add ${V('dst')} ${V('j')}) (f32x4.add
            (v128.load (i32.add ${V('dst')} ${V('j')})) (v128.load (i32.add ${V('x')} ${V('j')}))))
          (local.set $j (i32.add ${V('j')} (i32.const 16)))
          (br $jLoop)))
        (local.set $x (i32.add ${V('x')} ${V('row')}))
        (local.set $r (i32.add ${V('r')} (i32.const 1)))
        (br $rLoop)))
      (local.set $o (i32.add ${V('o')} (i32.const 1)))
      (br $oLoop))))`
}

export function elementwiseWat(): string {
  const binaries = Object.entries(BINARY_OPS).flatMap(([name, bodies]) =>
    LAYOUTS.map((layout) => binary(name, bodies, layout)),
  )
  const unaries = Object.entries(UNARY_OPS).map(([name, bodies]) => unary(name, bodies))
  const axpys = Object.entries(AXPY_FORMS).map(([name, body]) => axpy(name, body))
  return [...binaries, ...unaries, ...axpys, ...WHERE_LAYOUTS.map(where), sumInner()].join('\n')
}
