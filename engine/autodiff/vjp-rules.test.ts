// Every primitive's VJP rule against finite differences (float64), including broadcasting,
// every matmul transpose form, strided/padded windows and repeated indices. The case table is
// keyed by OpName, so a new op without a gradient check does not compile.

import { describe, expect, it } from 'vitest'
import type { OpAttrs, OpName } from '../ir'
import { OP_NAMES, ProgramBuilder } from '../ir'
import type { OperandSpec } from '../test/gradcheck'
import { gradcheck, gradcheckOp } from '../test/gradcheck'

interface Case<K extends OpName> {
  readonly operands: readonly OperandSpec[]
  readonly attrs: OpAttrs[K]
  readonly label?: string
}
type Cases = { [K in OpName]: readonly Case<K>[] }

const s = (...shape: number[]): OperandSpec => ({ shape })
const pos = (...shape: number[]): OperandSpec => ({ shape, lo: 0.5, hi: 2 })
const fixed = (shape: number[], values: number[]): OperandSpec => ({ shape, values, nondiff: true })
const none = {} as const

const unary = [{ operands: [s(2, 3)], attrs: none }]
const positive = [{ operands: [pos(2, 3)], attrs: none }]
const binary = [
  { operands: [s(2, 3), s(2, 3)], attrs: none, label: 'same shape' },
  { operands: [s(2, 3), s(3)], attrs: none, label: 'row broadcast' },
  { operands: [s(2, 1), s(1, 3)], attrs: none, label: 'outer broadcast' },
  { operands: [s(), s(2, 3)], attrs: none, label: 'scalar lhs' },
]
const mm = (
  a: number[],
  b: number[],
  transposeA: boolean,
  transposeB: boolean,
): Case<'matmul'> => ({
  operands: [s(...a), s(...b)],
  attrs: { transposeA, transposeB },
  label: `${a}${transposeA ? 'ᵀ' : ''} x ${b}${transposeB ? 'ᵀ' : ''}`,
})
const conv = { stride: [2, 2], padding: [1, 1] }
const win = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }
const overlap = { kernel: [3, 3], stride: [1, 1], padding: [1, 1] }

const CASES: Cases = {
  neg: unary,
  exp: unary,
  log: positive,
  sqrt: positive,
  tanh: unary,
  erf: unary,
  sin: unary,
  cos: unary,
  abs: unary,
  sign: unary,
  stop_gradient: [{ operands: [{ ...s(2, 3), nondiff: true }], attrs: none }],
  add: binary,
  sub: binary,
  mul: binary,
  maximum: binary,
  minimum: binary,
  cmp_gt: binary,
  div: [
    { operands: [s(2, 3), pos(3)], attrs: none },
    { operands: [s(2, 1), pos(2, 3)], attrs: none },
  ],
  pow: [
    { operands: [pos(2, 3), s(2, 3)], attrs: none },
    { operands: [pos(2, 3), s()], attrs: none },
  ],
  where: [
    { operands: [fixed([2, 3], [1, 0, 0, 1, 1, 0]), s(2, 3), s(3)], attrs: none },
    { operands: [fixed([3], [0, 1, 0]), s(2, 1), s()], attrs: none },
  ],
  sum: [
    { operands: [s(2, 3, 4)], attrs: { axes: [1], keepdims: false } },
    { operands: [s(2, 3, 4)], attrs: { axes: [0, 2], keepdims: true } },
  ],
  max: [
    { operands: [s(2, 3, 4)], attrs: { axes: [1], keepdims: false } },
    { operands: [s(2, 3, 4)], attrs: { axes: [0, 2], keepdims: true } },
  ],
  reshape: [{ operands: [s(2, 3)], attrs: { shape: [3, 1, 2] } }],
  permute: [{ operands: [s(2, 3, 4)], attrs: { perm: [2, 0, 1] } }],
  expand: [{ operands: [s(3, 1)], attrs: { shape: [2, 3, 4] } }],
  slice: [{ operands: [s(4, 5)], attrs: { starts: [1, 0], ends: [3, 4] } }],
  pad: [{ operands: [s(2, 3)], attrs: { before: [1, 0], after: [0, 2] } }],
  concat: [{ operands: [s(2, 1), s(2, 3), s(2, 2)], attrs: { axis: 1 } }],
  matmul: [
    mm([3, 4], [4, 5], false, false),
    mm([4, 3], [4, 5], true, false),
    mm([3, 4], [5, 4], false, true),
    mm([4, 3], [5, 4], true, true),
    mm([2, 3, 4], [4, 5], false, false),
    mm([3, 4], [2, 5, 4], false, true),
    mm([2, 4, 3], [2, 4, 5], true, false),
  ],
  conv2d: [
    { operands: [s(2, 2, 5, 5), s(3, 2, 3, 3)], attrs: conv },
    { operands: [s(1, 2, 4, 5), s(2, 2, 2, 3)], attrs: { stride: [1, 1], padding: [0, 0] } },
  ],
  conv2d_grad_input: [
    { operands: [s(2, 3, 3, 3), s(3, 2, 3, 3)], attrs: { ...conv, inputSize: [5, 5] } },
  ],
  conv2d_grad_weight: [
    { operands: [s(2, 2, 5, 5), s(2, 3, 3, 3)], attrs: { ...conv, kernelSize: [3, 3] } },
  ],
  maxpool2d: [
    { operands: [s(1, 2, 4, 4)], attrs: win },
    { operands: [s(1, 1, 4, 5)], attrs: overlap },
  ],
  maxpool2d_grad: [
    { operands: [{ ...s(1, 2, 4, 4), nondiff: true }, s(1, 2, 2, 2)], attrs: win },
    { operands: [{ ...s(1, 1, 4, 5), nondiff: true }, s(1, 1, 4, 5)], attrs: overlap },
  ],
  maxpool2d_select: [
    { operands: [{ ...s(1, 1, 4, 5), nondiff: true }, s(1, 1, 4, 5)], attrs: overlap },
  ],
  avgpool2d: [
    { operands: [s(1, 2, 4, 4)], attrs: win },
    { operands: [s(1, 1, 4, 5)], attrs: overlap },
  ],
  avgpool2d_grad: [{ operands: [s(1, 1, 4, 5)], attrs: { ...overlap, inputSize: [4, 5] } }],
  gather: [{ operands: [s(5, 3), fixed([2, 2], [0, 3, 3, 4])], attrs: none }],
  scatter_add: [{ operands: [s(4, 3), fixed([4], [1, 0, 1, 3])], attrs: { rows: 5 } }],
  full: [],
  iota: [],
  random_uniform: [{ operands: [fixed([], [7])], attrs: { shape: [2, 3], seed: 3 } }],
}

describe('VJP rules pass finite-difference checks', () => {
  for (const op of OP_NAMES) {
    const cases: readonly Case<OpName>[] = CASES[op]
    cases.forEach((c, i) => {
      it(`${op} ${c.label ?? i}`, () => {
        const r = gradcheckOp(op, c.operands, c.attrs as never, { seed: 11 + i })
        expect(r.failures).toEqual([])
      })
    })
  }
})

describe('gradients of whole programs', () => {
  it('stop_gradient blocks the gradient', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [3])
    b.output('loss', b.sum(b.mul(x, b.stopGradient(x)), [0]))
    // d/dx Σ x·sg(x) = sg(x) = x, not 2x
    const r = gradcheck(b.build(), { wrt: ['x'], values: { x: [1, 2, 3] } })
    expect(r.ok).toBe(false)
  })

  it('a value used twice accumulates both paths (softmax cross-entropy)', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [2, 3])
    const y = b.constant('y', [2, 3], [0, 1, 0, 1, 0, 0])
    const logp = b.logSoftmax(b.tanh(b.mul(x, x)), 1)
    b.output('loss', b.neg(b.sum(b.mul(logp, y), [0, 1])))
    const r = gradcheck(b.build(), { wrt: ['x'], values: { x: [0.1, -0.7, 0.4, 1.2, 0.3, -0.5] } })
    expect(r.failures).toEqual([])
  })
})
