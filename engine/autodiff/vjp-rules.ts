// One vector-Jacobian product rule per primitive: given the cotangent g of an equation's
// output, the cotangent of each operand, written as IR. Each entry is lazy (built only for
// operands that need it) or null where no gradient flows (indices, conditions, keys).

import type { OpAttrs, OpName, ProgramBuilder, Value } from '../ir'

export interface VjpContext<K extends OpName> {
  readonly args: readonly Value[]
  readonly out: Value
  readonly attrs: OpAttrs[K]
}
export type LazyCotangent = (() => Value) | null
export type VjpRule<K extends OpName> = (
  ir: ProgramBuilder,
  eq: VjpContext<K>,
  g: Value,
) => readonly LazyCotangent[]

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI)

function at(args: readonly Value[], i: number): Value {
  const v = args[i]
  if (v === undefined) throw new Error(`vjp: operand ${i} missing`)
  return v
}
const x0 = (eq: { args: readonly Value[] }): Value => at(eq.args, 0)
const x1 = (eq: { args: readonly Value[] }): Value => at(eq.args, 1)
/** keepdims form of a reduction's output, for broadcasting back over the reduced axes. */
const keptShape = (x: Value, axes: readonly number[]): number[] =>
  x.shape.map((d, i) => (axes.includes(i) ? 1 : d))

export const VJP_RULES: { [K in OpName]: VjpRule<K> } = {
  neg: (ir, _, g) => [() => ir.neg(g)],
  exp: (ir, eq, g) => [() => ir.mul(g, eq.out)],
  log: (ir, eq, g) => [() => ir.div(g, x0(eq))],
  sqrt: (ir, eq, g) => [() => ir.div(g, ir.mul(eq.out, 2))],
  tanh: (ir, eq, g) => [() => ir.mul(g, ir.sub(1, ir.mul(eq.out, eq.out)))],
  erf: (ir, eq, g) => [
    () => ir.mul(g, ir.mul(ir.exp(ir.neg(ir.square(x0(eq)))), TWO_OVER_SQRT_PI)),
  ],
  sin: (ir, eq, g) => [() => ir.mul(g, ir.cos(x0(eq)))],
  cos: (ir, eq, g) => [() => ir.neg(ir.mul(g, ir.sin(x0(eq))))],
  abs: (ir, eq, g) => [() => ir.mul(g, ir.sign(x0(eq)))],
  sign: () => [null],
  stop_gradient: () => [null],

  add: (ir, eq, g) => [() => ir.sumTo(g, x0(eq).shape), () => ir.sumTo(g, x1(eq).shape)],
  sub: (ir, eq, g) => [() => ir.sumTo(g, x0(eq).shape), () => ir.sumTo(ir.neg(g), x1(eq).shape)],
  mul: (ir, eq, g) => [
    () => ir.sumTo(ir.mul(g, x1(eq)), x0(eq).shape),
    () => ir.sumTo(ir.mul(g, x0(eq)), x1(eq).shape),
  ],
  div: (ir, eq, g) => [
    () => ir.sumTo(ir.div(g, x1(eq)), x0(eq).shape),
    () => ir.sumTo(ir.neg(ir.div(ir.mul(g, eq.out), x1(eq))), x1(eq).shape),
  ],
  pow: (ir, eq, g) => [
    () => ir.sumTo(ir.mul(g, ir.mul(x1(eq), ir.pow(x0(eq), ir.sub(x1(eq), 1)))), x0(eq).shape),
    // d/db a^b = a^b log a, taken as 0 where a <= 0 (where a^b is not smooth in b)
    () => {
      const logA = ir.where(ir.cmpGt(x0(eq), 0), ir.log(x0(eq)), 0)
      return ir.sumTo(ir.mul(g, ir.mul(eq.out, logA)), x1(eq).shape)
    },
  ],
  // ties go to the first operand
  maximum: (ir, eq, g) => pick(ir, ir.cmpGt(x1(eq), x0(eq)), eq.args, g),
  minimum: (ir, eq, g) => pick(ir, ir.cmpGt(x0(eq), x1(eq)), eq.args, g),
  cmp_gt: () => [null, null],
  where: (ir, eq, g) => [
    null,
    () => ir.sumTo(ir.where(x0(eq), g, 0), x1(eq).shape),
    () => ir.sumTo(ir.where(x0(eq), 0, g), at(eq.args, 2).shape),
  ],

  sum: (ir, eq, g) => [
    () => ir.expand(ir.reshape(g, keptShape(x0(eq), eq.attrs.axes)), x0(eq).shape),
  ],
  // split evenly between tied maxima
  max: (ir, eq, g) => [
    () => {
      const x = x0(eq)
      const kept = keptShape(x, eq.attrs.axes)
      const isMax = ir.sub(1, ir.cmpGt(ir.reshape(eq.out, kept), x))
      const share = ir.div(ir.reshape(g, kept), ir.sum(isMax, eq.attrs.axes, true))
      return ir.mul(isMax, share)
    },
  ],
  reshape: (ir, eq, g) => [() => ir.reshape(g, x0(eq).shape)],
  permute: (ir, eq, g) => [() => ir.permute(g, inverse(eq.attrs.perm))],
  expand: (ir, eq, g) => [() => ir.sumTo(g, x0(eq).shape)],
  slice: (ir, eq, g) => [
    () => {
      const { starts, ends } = eq.attrs
      return ir.pad(
        g,
        starts,
        x0(eq).shape.map((d, i) => d - (ends[i] ?? d)),
      )
    },
  ],
  pad: (ir, eq, g) => [
    () => {
      const { before } = eq.attrs
      return ir.slice(
        g,
        before,
        x0(eq).shape.map((d, i) => d + (before[i] ?? 0)),
      )
    },
  ],
  concat: (ir, eq, g) => {
    let offset = 0
    return eq.args.map((a) => {
      const start = offset
      offset += a.shape[eq.attrs.axis] ?? 0
      return () =>
        ir.slice(
          g,
          g.shape.map((_, i) => (i === eq.attrs.axis ? start : 0)),
          g.shape.map((d, i) => (i === eq.attrs.axis ? start + (a.shape[i] ?? 0) : d)),
        )
    })
  },

  matmul: (ir, eq, g) => matmulVjp(ir, x0(eq), x1(eq), eq.attrs, g),
  // conv2d (x, w) and its two gradients form a closed family: each one's VJP is the others
  conv2d: (ir, eq, g) => {
    const { stride, padding } = eq.attrs
    return [
      () => ir.conv2dGradInput(g, x1(eq), { stride, padding, inputSize: spatial(x0(eq)) }),
      () => ir.conv2dGradWeight(x0(eq), g, { stride, padding, kernelSize: spatial(x1(eq)) }),
    ]
  },
  conv2d_grad_input: (ir, eq, g) => {
    const { stride, padding } = eq.attrs
    return [
      () => ir.conv2d(g, x1(eq), { stride, padding }),
      () => ir.conv2dGradWeight(g, x0(eq), { stride, padding, kernelSize: spatial(x1(eq)) }),
    ]
  },
  conv2d_grad_weight: (ir, eq, g) => {
    const { stride, padding } = eq.attrs
    return [
      () => ir.conv2dGradInput(x1(eq), g, { stride, padding, inputSize: spatial(x0(eq)) }),
      () => ir.conv2d(x0(eq), g, { stride, padding }),
    ]
  },
  maxpool2d: (ir, eq, g) => [() => ir.maxpool2dGrad(x0(eq), g, eq.attrs)],
  // the routing is piecewise constant in x: no gradient to x
  maxpool2d_grad: (ir, eq, g) => [null, () => ir.maxpool2dSelect(x0(eq), g, eq.attrs)],
  maxpool2d_select: (ir, eq, g) => [null, () => ir.maxpool2dGrad(x0(eq), g, eq.attrs)],
  avgpool2d: (ir, eq, g) => [
    () => ir.avgpool2dGrad(g, { ...eq.attrs, inputSize: spatial(x0(eq)) }),
  ],
  avgpool2d_grad: (ir, { attrs: { kernel, stride, padding } }, g) => [
    () => ir.avgpool2d(g, { kernel, stride, padding }),
  ],
  gather: (ir, eq, g) => [() => ir.scatterAdd(g, x1(eq), x0(eq).shape[0] ?? 0), null],
  scatter_add: (ir, eq, g) => [() => ir.gather(g, x1(eq)), null],
  full: () => [],
  iota: () => [],
  random_uniform: () => [null],
}

/** a gets g where `bWins` is 0, b where it is 1. */
function pick(ir: ProgramBuilder, bWins: Value, args: readonly Value[], g: Value): LazyCotangent[] {
  return [
    () => ir.sumTo(ir.where(bWins, 0, g), at(args, 0).shape),
    () => ir.sumTo(ir.where(bWins, g, 0), at(args, 1).shape),
  ]
}

/**
 * C = op(A)·op(B), op = transpose where flagged. Each cotangent is one matmul with flags, so no
 * transpose is materialised; broadcast batch axes are summed away.
 */
function matmulVjp(
  ir: ProgramBuilder,
  a: Value,
  b: Value,
  t: OpAttrs['matmul'],
  g: Value,
): LazyCotangent[] {
  const mm = (p: Value, q: Value, transposeA: boolean, transposeB: boolean): Value =>
    ir.matmul(p, q, { transposeA, transposeB })
  // Split products are a backend's late rewrite; autodiff only sees whole ones.
  if ((t.depthParts ?? 1) !== 1) throw new Error('matmul: no gradient for a split product')
  const { transposeA: tA, transposeB: tB } = t
  const da = tA ? (): Value => mm(b, g, tB, true) : (): Value => mm(g, b, false, !tB)
  const db = tB ? (): Value => mm(g, a, true, tA) : (): Value => mm(a, g, !tA, false)
  return [() => ir.sumTo(da(), a.shape), () => ir.sumTo(db(), b.shape)]
}

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length).fill(0)
  perm.forEach((p, i) => (inv[p] = i))
  return inv
}

function spatial(v: Value): number[] {
  return [v.shape[2] ?? 0, v.shape[3] ?? 0]
}
