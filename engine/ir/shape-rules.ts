// Shape rules of the movement, contraction, window and indexing ops, kept apart from the op
// table so that the table stays one screen per op family. Each throws ShapeError on misfit.

import type { Shape } from './shape'
import {
  broadcastShapes,
  checkAxes,
  fail,
  fmtShape,
  numel,
  rankAtLeast,
  rankIs,
  sameShape,
  windowOut,
  nchw,
  pair,
} from './shape'

export function reshapeShape(a: Shape, shape: readonly number[]): Shape {
  if (numel(a) !== numel(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(`cannot reshape ${fmtShape(a)} to ${fmtShape(shape)}`)
  }
  return shape
}

export function permuteShape(a: Shape, perm: readonly number[]): Shape {
  if (perm.length !== a.length) fail(`perm ${fmtShape(perm)} for rank ${a.length}`)
  checkAxes(perm, a.length)
  return perm.map((p) => a[p] ?? 0)
}

export function expandShape(a: Shape, shape: readonly number[]): Shape {
  if (a.length > shape.length) fail(`cannot expand ${fmtShape(a)} to ${fmtShape(shape)}`)
  const lead = shape.length - a.length
  a.forEach((d, i) => {
    if (d !== 1 && d !== shape[i + lead]) fail(`cannot expand ${fmtShape(a)} to ${fmtShape(shape)}`)
  })
  return shape
}

export function sliceShape(a: Shape, starts: readonly number[], ends: readonly number[]): Shape {
  if (starts.length !== a.length || ends.length !== a.length) fail(`slice rank != ${a.length}`)
  return a.map((d, i) => {
    const s = starts[i] ?? 0
    const e = ends[i] ?? 0
    if (s < 0 || e < s || e > d) fail(`slice [${s}, ${e}) out of axis ${i} of ${fmtShape(a)}`)
    return e - s
  })
}

export function padShape(a: Shape, before: readonly number[], after: readonly number[]): Shape {
  if (before.length !== a.length || after.length !== a.length) fail(`pad rank != ${a.length}`)
  return a.map((d, i) => {
    const b = before[i] ?? 0
    const e = after[i] ?? 0
    if (b < 0 || e < 0) fail('negative padding (use slice)')
    return d + b + e
  })
}

export function concatShape(args: readonly Shape[], axis: number): Shape {
  const first = args[0]
  if (first === undefined) return fail('concat of nothing')
  checkAxes([axis], first.length)
  let total = 0
  for (const s of args) {
    const same = s.length === first.length && s.every((d, i) => i === axis || d === first[i])
    if (!same) fail(`concat on axis ${axis}: ${args.map(fmtShape).join(', ')}`)
    total += s[axis] ?? 0
  }
  return first.map((d, i) => (i === axis ? total : d))
}

function checkParts(depth: number, parts: number): void {
  if (!Number.isInteger(parts) || parts < 1 || depth % parts !== 0)
    fail(`depth ${depth} does not split into ${parts} equal parts`)
}

export function matmulShape(a: Shape, b: Shape, tA: boolean, tB: boolean, parts = 1): Shape {
  rankAtLeast(a, 2, 'matmul lhs')
  rankAtLeast(b, 2, 'matmul rhs')
  const [m, ka] = tA ? [a.at(-1), a.at(-2)] : [a.at(-2), a.at(-1)]
  const [kb, n] = tB ? [b.at(-1), b.at(-2)] : [b.at(-2), b.at(-1)]
  if (ka !== kb)
    fail(`inner sizes differ: ${fmtShape(a)}${tA ? 'ᵀ' : ''} x ${fmtShape(b)}${tB ? 'ᵀ' : ''}`)
  checkParts(ka ?? 0, parts)
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2))
  return [...(parts > 1 ? [parts] : []), ...batch, m ?? 0, n ?? 0]
}

export function conv2dShape(
  x: Shape,
  w: Shape,
  stride: readonly number[],
  padding: readonly number[],
): Shape {
  rankIs(x, 4, 'conv2d input')
  rankIs(w, 4, 'conv2d weight')
  const [n, c, h, wd] = nchw(x)
  const [o, cw, kh, kw] = nchw(w)
  if (c !== cw) fail(`input channels ${c} != weight channels ${cw}`)
  const [sh, sw] = pair(stride, 1)
  const [ph, pw] = pair(padding, 0)
  return [n, o, windowOut(h, kh, sh, ph), windowOut(wd, kw, sw, pw)]
}

interface ConvGradAttrs {
  stride: readonly number[]
  padding: readonly number[]
  inputSize?: readonly number[]
  kernelSize?: readonly number[]
}

/** conv2d_grad_input (gy, w) -> x shape; conv2d_grad_weight (x, gy) -> w shape. */
export function checkConvGrad(
  kind: 'input' | 'weight',
  p: Shape,
  q: Shape,
  a: ConvGradAttrs,
): Shape {
  rankIs(p, 4, `conv2d_grad_${kind}`)
  rankIs(q, 4, `conv2d_grad_${kind}`)
  const [x, w, gy] =
    kind === 'input'
      ? [[nchw(p)[0], nchw(q)[1], ...pair(a.inputSize ?? [], 0)], q, p]
      : [p, [nchw(q)[1], nchw(p)[1], ...pair(a.kernelSize ?? [], 0)], q]
  const y = conv2dShape(x, w, a.stride, a.padding)
  if (!sameShape(y, gy)) fail(`gradient ${fmtShape(gy)} != conv2d output ${fmtShape(y)}`)
  return kind === 'input' ? x : w
}

export function pool2dShape(
  x: Shape,
  a: { kernel: readonly number[]; stride: readonly number[]; padding: readonly number[] },
): Shape {
  rankIs(x, 4, 'pool2d input')
  const [n, c, h, w] = nchw(x)
  const [kh, kw] = pair(a.kernel, 1)
  const [sh, sw] = pair(a.stride, 1)
  const [ph, pw] = pair(a.padding, 0)
  if (2 * ph > kh || 2 * pw > kw) fail('pool padding must be at most half the kernel')
  return [n, c, windowOut(h, kh, sh, ph), windowOut(w, kw, sw, pw)]
}

export function gatherShape(x: Shape, idx: Shape): Shape {
  rankAtLeast(x, 1, 'gather table')
  return [...idx, ...x.slice(1)]
}

export function scatterShape(g: Shape, idx: Shape, rows: number): Shape {
  const lead = g.slice(0, idx.length)
  if (!sameShape(lead, idx)) fail(`scatter_add ${fmtShape(g)} does not start with ${fmtShape(idx)}`)
  if (!Number.isInteger(rows) || rows < 1) fail(`scatter_add rows ${rows}`)
  return [rows, ...g.slice(idx.length)]
}

interface Window {
  kernel: readonly number[]
  stride: readonly number[]
  padding: readonly number[]
}

export function checkedShape(shape: readonly number[]): Shape {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`bad shape ${fmtShape(shape)}`)
  return shape
}

export function scalarKey(key: Shape | undefined): void {
  if (key === undefined || numel(key) !== 1) fail('random key must be a single number')
}

export function samePooled(x: Shape | undefined, gy: Shape | undefined, a: Window): Shape {
  const pooled = pool2dShape(x ?? [], a)
  if (!sameShape(pooled, gy ?? [])) fail(`gradient ${fmtShape(gy ?? [])} != ${fmtShape(pooled)}`)
  return x ?? []
}

export function selectShape(x: Shape | undefined, z: Shape | undefined, a: Window): Shape {
  if (!sameShape(x ?? [], z ?? [])) fail(`${fmtShape(z ?? [])} != ${fmtShape(x ?? [])}`)
  return pool2dShape(x ?? [], a)
}

export function avgGradShape(gy: Shape, a: Window & { inputSize: readonly number[] }): Shape {
  rankAtLeast(gy, 4, 'avgpool2d_grad')
  const [n, c] = nchw(gy)
  const x = [n, c, ...a.inputSize]
  const pooled = pool2dShape(x, a)
  if (!sameShape(pooled, gy)) fail(`gradient ${fmtShape(gy)} != pooled ${fmtShape(pooled)}`)
  return x
}
