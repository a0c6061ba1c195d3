// The conformance cases: every primitive on awkward sizes (1, 7, 63, 65, 1000: not multiples
// of any tile), with broadcasting, every matmul transpose form, strided and padded windows and
// invalid indices. Keyed by OpName, so a new op does not compile until it has a case here.

import type { OpAttrs, OpName } from '../../engine/ir'

export interface OperandSpec {
  readonly shape: readonly number[]
  /** Uniform in [lo, hi) (default [-1, 1)), or fixed values (indices, conditions, keys). */
  readonly lo?: number
  readonly hi?: number
  readonly values?: readonly number[]
}

export interface OpCase<A> {
  readonly label: string
  readonly operands: readonly OperandSpec[]
  readonly attrs: A
}

type Cases = { readonly [K in OpName]: readonly OpCase<OpAttrs[K]>[] }
type NoAttrs = OpAttrs['neg']

const s = (...shape: number[]): OperandSpec => ({ shape })
const pos = (...shape: number[]): OperandSpec => ({ shape, lo: 0.1, hi: 3 })
const wide = (...shape: number[]): OperandSpec => ({ shape, lo: -3, hi: 3 })
const fixed = (shape: number[], values: number[]): OperandSpec => ({ shape, values })
const none = {} as const
const ints = (n: number, mod: number, bad: readonly number[] = []): number[] =>
  Array.from({ length: n }, (_, i) => bad[i] ?? (i * 37 + 11) % mod)
const mask = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => ((i * 7) % 3 === 0 ? 0 : 1))

const unary = (x: OperandSpec = s(7, 63)): OpCase<NoAttrs>[] => [
  { label: '[1000]', operands: [{ ...x, shape: [1000] }], attrs: none },
  { label: `[${x.shape.join(',')}]`, operands: [x], attrs: none },
  { label: '[1]', operands: [{ ...x, shape: [1] }], attrs: none },
]
const binary: OpCase<NoAttrs>[] = [
  { label: '[65,63] ⊕ [63]', operands: [s(65, 63), s(63)], attrs: none },
  { label: '[1] ⊕ [7,65]', operands: [s(1), s(7, 65)], attrs: none },
  { label: '[7,1] ⊕ [1,63]', operands: [s(7, 1), s(1, 63)], attrs: none },
  { label: '[1000] ⊕ [1000]', operands: [s(1000), s(1000)], attrs: none },
]
const mm = (a: number[], b: number[], tA: boolean, tB: boolean): OpCase<OpAttrs['matmul']> => ({
  label: `[${a}]${tA ? 'ᵀ' : ''} × [${b}]${tB ? 'ᵀ' : ''}`,
  operands: [s(...a), s(...b)],
  attrs: { transposeA: tA, transposeB: tB },
})
const stride2 = { stride: [2, 2], padding: [1, 1] }
const win2 = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }
const overlap = { kernel: [3, 3], stride: [1, 1], padding: [1, 1] }

export const OP_CASES: Cases = {
  neg: unary(),
  exp: unary(wide(7, 63)),
  log: unary(pos(7, 63)),
  sqrt: unary(pos(7, 63)),
  tanh: unary(wide(7, 63)),
  erf: unary(wide(7, 63)),
  sin: unary(wide(7, 63)),
  cos: unary(wide(7, 63)),
  abs: unary(),
  sign: unary(),
  stop_gradient: unary(),
  add: binary,
  sub: binary,
  mul: binary,
  maximum: binary,
  minimum: binary,
  cmp_gt: binary,
  div: [
    { label: '[65,63] / [63]', operands: [s(65, 63), pos(63)], attrs: none },
    { label: '[7,1] / [7,65]', operands: [s(7, 1), pos(7, 65)], attrs: none },
  ],
  pow: [
    { label: '[65,63] ^ [65,63]', operands: [pos(65, 63), s(65, 63)], attrs: none },
    { label: '[1000] ^ []', operands: [pos(1000), s()], attrs: none },
  ],
  where: [
    {
      label: 'c[7,63] ? [7,63] : [63]',
      operands: [fixed([7, 63], mask(441)), s(7, 63), s(63)],
      attrs: none,
    },
    { label: 'c[65] ? [7,1] : []', operands: [fixed([65], mask(65)), s(7, 1), s()], attrs: none },
  ],
  sum: [
    { label: '[7,63,65] over 1', operands: [s(7, 63, 65)], attrs: { axes: [1], keepdims: false } },
    {
      label: '[7,63,65] over 0,2 kept',
      operands: [s(7, 63, 65)],
      attrs: { axes: [0, 2], keepdims: true },
    },
    { label: '[1000] over 0', operands: [pos(1000)], attrs: { axes: [0], keepdims: false } },
    {
      label: '[2,7,1000] over 0,2 (cooperative)',
      operands: [pos(2, 7, 1000)],
      attrs: { axes: [0, 2], keepdims: false },
    },
    // Large enough to run in two stages (split-reduce.ts): to one value, and to many kept;
    // columns (a bias gradient's shape) run as one kernel up to 512 deep (reduce.ts).
    {
      label: '[300,257] over 0,1 (split)',
      operands: [pos(300, 257)],
      attrs: { axes: [0, 1], keepdims: false },
    },
    {
      label: '[1024,65] over 0 kept (split, columns)',
      operands: [s(1024, 65)],
      attrs: { axes: [0], keepdims: true },
    },
    {
      label: '[256,300] over 0 kept (columns)',
      operands: [s(256, 300)],
      attrs: { axes: [0], keepdims: true },
    },
  ],
  max: [
    { label: '[7,63,65] over 1', operands: [s(7, 63, 65)], attrs: { axes: [1], keepdims: false } },
    {
      label: '[7,63,65] over 0,2 kept',
      operands: [s(7, 63, 65)],
      attrs: { axes: [0, 2], keepdims: true },
    },
    {
      label: '[2,7,1000] over 0,2 (cooperative)',
      operands: [s(2, 7, 1000)],
      attrs: { axes: [0, 2], keepdims: false },
    },
    {
      label: '[3,1024,100] over 1 (split, columns)',
      operands: [s(3, 1024, 100)],
      attrs: { axes: [1], keepdims: false },
    },
    {
      label: '[3,256,100] over 1 (columns)',
      operands: [s(3, 256, 100)],
      attrs: { axes: [1], keepdims: false },
    },
    { label: '[7,65] over 1', operands: [s(7, 65)], attrs: { axes: [1], keepdims: false } },
  ],
  reshape: [{ label: '[7,63] → [63,1,7]', operands: [s(7, 63)], attrs: { shape: [63, 1, 7] } }],
  permute: [
    { label: '[7,63,65] by 2,0,1', operands: [s(7, 63, 65)], attrs: { perm: [2, 0, 1] } },
    { label: '[65,7] by 1,0', operands: [s(65, 7)], attrs: { perm: [1, 0] } },
  ],
  expand: [
    { label: '[7,1] → [3,7,65]', operands: [s(7, 1)], attrs: { shape: [3, 7, 65] } },
    { label: '[1] → [1000]', operands: [s(1)], attrs: { shape: [1000] } },
  ],
  slice: [
    {
      label: '[65,63][1:64, 2:60]',
      operands: [s(65, 63)],
      attrs: { starts: [1, 2], ends: [64, 60] },
    },
    { label: '[1000][7:]', operands: [s(1000)], attrs: { starts: [7], ends: [1000] } },
  ],
  pad: [
    {
      label: '[7,63] pad 1,0 / 0,2',
      operands: [s(7, 63)],
      attrs: { before: [1, 0], after: [0, 2] },
    },
  ],
  concat: [
    {
      label: '[7,1]|[7,63]|[7,65] on 1',
      operands: [s(7, 1), s(7, 63), s(7, 65)],
      attrs: { axis: 1 },
    },
    { label: '[1,65]|[63,65] on 0', operands: [s(1, 65), s(63, 65)], attrs: { axis: 0 } },
  ],
  matmul: [
    mm([63, 65], [65, 7], false, false),
    mm([65, 63], [65, 7], true, false),
    mm([63, 65], [7, 65], false, true),
    mm([65, 63], [7, 65], true, true),
    mm([2, 7, 65], [65, 63], false, false),
    mm([63, 65], [2, 7, 65], false, true),
    mm([2, 65, 7], [2, 65, 63], true, false),
    mm([1, 1000], [1000, 1], false, false),
    mm([3, 2000], [5, 2000], false, true),
    mm([1, 1], [1, 1], false, false),
    // Too big for the one-invocation-per-element product, too ragged for vec4s: register blocks.
    mm([63, 65], [65, 70], false, false),
    mm([65, 63], [7, 65], true, true),
    // Large enough for the vec4 products of wide.ts, with edges that are not whole blocks.
    mm([130, 68], [68, 132], false, false),
    mm([68, 132], [68, 136], true, false),
    mm([130, 68], [132, 68], false, true),
  ],
  conv2d: [
    {
      label: '[2,3,7,7] * [5,3,3,3] s2 p1',
      operands: [s(2, 3, 7, 7), s(5, 3, 3, 3)],
      attrs: stride2,
    },
    {
      label: '[1,2,9,8] * [4,2,2,3]',
      operands: [s(1, 2, 9, 8), s(4, 2, 2, 3)],
      attrs: { stride: [1, 1], padding: [0, 0] },
    },
  ],
  conv2d_grad_input: [
    {
      label: 'gy[2,5,4,4] w[5,3,3,3] → [7,7]',
      operands: [s(2, 5, 4, 4), s(5, 3, 3, 3)],
      attrs: { ...stride2, inputSize: [7, 7] },
    },
  ],
  conv2d_grad_weight: [
    {
      label: 'x[4,1,28,28] gy[4,2,28,28] → 3×3 (depth split)',
      operands: [s(4, 1, 28, 28), s(4, 2, 28, 28)],
      attrs: { stride: [1, 1], padding: [1, 1], kernelSize: [3, 3] },
    },
    {
      label: 'x[2,3,7,7] gy[2,5,4,4] → 3×3',
      operands: [s(2, 3, 7, 7), s(2, 5, 4, 4)],
      attrs: { ...stride2, kernelSize: [3, 3] },
    },
  ],
  maxpool2d: [
    { label: '[2,3,7,7] 2×2 s2', operands: [s(2, 3, 7, 7)], attrs: win2 },
    { label: '[1,2,9,8] 3×3 s1 p1', operands: [s(1, 2, 9, 8)], attrs: overlap },
  ],
  maxpool2d_grad: [
    {
      label: 'x[2,3,7,7] gy[2,3,3,3] 2×2 s2',
      operands: [s(2, 3, 7, 7), s(2, 3, 3, 3)],
      attrs: win2,
    },
    { label: 'x[1,2,9,8] 3×3 s1 p1', operands: [s(1, 2, 9, 8), s(1, 2, 9, 8)], attrs: overlap },
  ],
  maxpool2d_select: [
    { label: 'x[1,2,9,8] z 3×3 s1 p1', operands: [s(1, 2, 9, 8), s(1, 2, 9, 8)], attrs: overlap },
  ],
  avgpool2d: [
    { label: '[2,3,7,7] 2×2 s2', operands: [s(2, 3, 7, 7)], attrs: win2 },
    { label: '[1,2,9,8] 3×3 s1 p1', operands: [s(1, 2, 9, 8)], attrs: overlap },
  ],
  avgpool2d_grad: [
    {
      label: 'gy[1,2,9,8] 3×3 s1 p1',
      operands: [s(1, 2, 9, 8)],
      attrs: { ...overlap, inputSize: [9, 8] },
    },
  ],
  gather: [
    {
      label: '[65,7] by [63] (2 invalid)',
      operands: [s(65, 7), fixed([63], ints(63, 65, [-1, 65]))],
      attrs: none,
    },
    { label: '[1000] by [7,9]', operands: [s(1000), fixed([7, 9], ints(63, 1000))], attrs: none },
  ],
  scatter_add: [
    {
      label: '[63,7] into 65 rows',
      operands: [s(63, 7), fixed([63], ints(63, 65, [-1]))],
      attrs: { rows: 65 },
    },
  ],
  full: [{ label: '[7,63] = 0.5', operands: [], attrs: { shape: [7, 63], value: 0.5 } }],
  iota: [
    { label: '[7,63] along 1', operands: [], attrs: { shape: [7, 63], axis: 1 } },
    { label: '[65,7] along 0', operands: [], attrs: { shape: [65, 7], axis: 0 } },
  ],
  random_uniform: [
    { label: 'key 7 [7,63]', operands: [fixed([], [7])], attrs: { shape: [7, 63], seed: 3 } },
    {
      label: 'key 123456 [1000]',
      operands: [fixed([], [123456])],
      attrs: { shape: [1000], seed: 0xfffffff0 },
    },
  ],
}

/** Ops whose operands have no gradient to check, with the reason (the rest run backward too). */
export const FORWARD_ONLY: Partial<Record<OpName, string>> = {
  full: 'a source: no operands',
  iota: 'a source: no operands',
  random_uniform: 'its only operand is the key, which has no gradient',
}
