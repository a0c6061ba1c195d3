// The primitive op table: every op the IR knows, keyed by name, with its attribute types, shape
// rule, dtype rule and cost. OpName is derived from this table, so every other per-op table
// (VJP rules, CPU kernels, WGSL programs) stops compiling until it covers a new op.

import type { Shape } from './shape'
import { broadcastShapes, checkAxes, numel, reducedShape } from './shape'
import {
  avgGradShape,
  checkConvGrad,
  checkedShape,
  concatShape,
  conv2dShape,
  expandShape,
  gatherShape,
  matmulShape,
  padShape,
  permuteShape,
  pool2dShape,
  reshapeShape,
  samePooled,
  scalarKey,
  scatterShape,
  selectShape,
  sliceShape,
} from './shape-rules'

export type DType = 'f32'
export type AttrKind = 'int' | 'ints' | 'float' | 'bool'
/** An attribute's kind in an op's schema; a trailing '?' marks one that may be left out. */
export type AttrSpec = AttrKind | `${AttrKind}?`
/** How an op touches memory; fusion groups elementwise ops, FLOP counts and printers use it. */
export type OpKind =
  'elementwise' | 'reduce' | 'movement' | 'matmul' | 'window' | 'index' | 'source'
type NoAttrs = Record<string, never>

export interface OpDef<A> {
  readonly kind: OpKind
  /** Number of operands, or 'variadic' (at least one). */
  readonly arity: number | 'variadic'
  readonly attrs: { readonly [K in keyof A]-?: AttrSpec }
  /** Output shape from operand shapes; throws ShapeError naming what does not fit. */
  shape(args: readonly Shape[], attrs: A): Shape
  /** All values are float32 for now (indices are float32 holding integers). */
  dtype(args: readonly DType[]): DType
  /** Floating-point operations for one evaluation (multiply-add counts 2). */
  flops(args: readonly Shape[], out: Shape, attrs: A): number
}

const f32 = (): DType => 'f32'
const perOutput = (_: readonly Shape[], out: Shape): number => numel(out)
const free = (): number => 0

/** One table entry; the dtype rule defaults to float32 (the only dtype so far). */
function def<A>(d: Omit<OpDef<A>, 'dtype'> & Partial<Pick<OpDef<A>, 'dtype'>>): OpDef<A> {
  return { dtype: f32, ...d }
}

const unary = (): OpDef<NoAttrs> =>
  def<NoAttrs>({
    kind: 'elementwise',
    arity: 1,
    attrs: {},
    shape: ([a]) => a ?? [],
    flops: perOutput,
  })
const binary = (): OpDef<NoAttrs> =>
  def<NoAttrs>({
    kind: 'elementwise',
    arity: 2,
    attrs: {},
    flops: perOutput,
    shape: (args) => broadcastShapes(...args),
  })

export interface MatmulAttrs {
  transposeA: boolean
  transposeB: boolean
  depthParts?: number
}

interface ReduceAttrs {
  axes: readonly number[]
  keepdims: boolean
}
const reduce = (): OpDef<ReduceAttrs> =>
  def<ReduceAttrs>({
    kind: 'reduce',
    arity: 1,
    attrs: { axes: 'ints', keepdims: 'bool' },
    flops: ([a]) => numel(a ?? []),
    shape: ([a], { axes, keepdims }) => reducedShape(a ?? [], axes, keepdims),
  })

export interface WindowAttrs {
  kernel: readonly number[]
  stride: readonly number[]
  padding: readonly number[]
}
const windowAttrs = { kernel: 'ints', stride: 'ints', padding: 'ints' } as const
interface ConvAttrs {
  stride: readonly number[]
  padding: readonly number[]
}
const convFlops = (out: Shape, w: Shape): number => 2 * numel(out) * numel(w.slice(1))

export const OPS = {
  // elementwise, one operand
  neg: unary(),
  exp: unary(),
  log: unary(),
  sqrt: unary(),
  tanh: unary(),
  erf: unary(),
  sin: unary(),
  cos: unary(),
  abs: unary(),
  sign: unary(),
  /** Identity forward, zero derivative: keeps max-subtraction out of softmax's backward pass. */
  stop_gradient: unary(),
  // elementwise, numpy broadcasting
  add: binary(),
  sub: binary(),
  mul: binary(),
  div: binary(),
  pow: binary(),
  maximum: binary(),
  minimum: binary(),
  /** 1 where a > b, else 0. */
  cmp_gt: binary(),
  /** where(c, a, b): a where c != 0, else b. */
  where: def<NoAttrs>({
    kind: 'elementwise',
    arity: 3,
    attrs: {},
    flops: perOutput,
    shape: (args) => broadcastShapes(...args),
  }),
  // reductions
  sum: reduce(),
  max: reduce(),
  // movement
  reshape: def<{ shape: readonly number[] }>({
    kind: 'movement',
    arity: 1,
    attrs: { shape: 'ints' },
    flops: free,
    shape: ([a], { shape }) => reshapeShape(a ?? [], shape),
  }),
  permute: def<{ perm: readonly number[] }>({
    kind: 'movement',
    arity: 1,
    attrs: { perm: 'ints' },
    flops: free,
    shape: ([a], { perm }) => permuteShape(a ?? [], perm),
  }),
  /** Broadcast to `shape` (numpy rules), materialised. */
  expand: def<{ shape: readonly number[] }>({
    kind: 'movement',
    arity: 1,
    attrs: { shape: 'ints' },
    flops: free,
    shape: ([a], { shape }) => expandShape(a ?? [], shape),
  }),
  /** Step-1 slice: [starts, ends) per axis. */
  slice: def<{ starts: readonly number[]; ends: readonly number[] }>({
    kind: 'movement',
    arity: 1,
    attrs: { starts: 'ints', ends: 'ints' },
    flops: free,
    shape: ([a], { starts, ends }) => sliceShape(a ?? [], starts, ends),
  }),
  /** Zero padding: `before` and `after` elements per axis. */
  pad: def<{ before: readonly number[]; after: readonly number[] }>({
    kind: 'movement',
    arity: 1,
    attrs: { before: 'ints', after: 'ints' },
    flops: free,
    shape: ([a], { before, after }) => padShape(a ?? [], before, after),
  }),
  concat: def<{ axis: number }>({
    kind: 'movement',
    arity: 'variadic',
    attrs: { axis: 'int' },
    flops: free,
    shape: (args, { axis }) => concatShape(args, axis),
  }),
  // contractions
  /**
   * [...batch, m, k] x [...batch, k, n]; flags read an operand transposed (last two axes).
   * depthParts p > 1 (made by the WebGPU backend's split-products pass, never by autodiff): p
   * partial products [p, ...batch, m, n], part i over the i-th k/p of the depth.
   */
  matmul: def<MatmulAttrs>({
    kind: 'matmul',
    arity: 2,
    attrs: { transposeA: 'bool', transposeB: 'bool', depthParts: 'int?' },
    shape: ([a, b], t) =>
      matmulShape(a ?? [], b ?? [], t.transposeA, t.transposeB, t.depthParts ?? 1),
    flops: ([a], out, t) =>
      (2 * numel(out) * ((a ?? [])[(a ?? []).length - (t.transposeA ? 2 : 1)] ?? 0)) /
      (t.depthParts ?? 1),
  }),
  /** x [N,C,H,W] * w [O,C,KH,KW] -> [N,O,OH,OW]; cross-correlation like every framework. */
  conv2d: def<ConvAttrs>({
    kind: 'window',
    arity: 2,
    attrs: { stride: 'ints', padding: 'ints' },
    flops: ([, w], out) => convFlops(out, w ?? []),
    shape: ([x, w], a) => conv2dShape(x ?? [], w ?? [], a.stride, a.padding),
  }),
  /** (gy, w) -> dx [N,C,H,W]; inputSize = [H, W] since strides lose it. */
  conv2d_grad_input: def<ConvAttrs & { inputSize: readonly number[] }>({
    kind: 'window',
    arity: 2,
    attrs: { stride: 'ints', padding: 'ints', inputSize: 'ints' },
    flops: ([gy, w]) => convFlops(gy ?? [], w ?? []),
    shape: ([gy, w], a) => checkConvGrad('input', gy ?? [], w ?? [], a),
  }),
  /** (x, gy) -> dw [O,C,KH,KW]. */
  conv2d_grad_weight: def<ConvAttrs & { kernelSize: readonly number[] }>({
    kind: 'window',
    arity: 2,
    attrs: { stride: 'ints', padding: 'ints', kernelSize: 'ints' },
    flops: ([, gy], out) => 2 * numel(gy ?? []) * numel(out.slice(1)),
    shape: ([x, gy], a) => checkConvGrad('weight', x ?? [], gy ?? [], a),
  }),
  /** Max over windows; padding never wins. */
  maxpool2d: def<WindowAttrs>({
    kind: 'window',
    arity: 1,
    attrs: windowAttrs,
    flops: ([x]) => numel(x ?? []),
    shape: ([x], a) => pool2dShape(x ?? [], a),
  }),
  /** (x, gy) -> dx: each window's gy goes to its first maximum. */
  maxpool2d_grad: def<WindowAttrs>({
    kind: 'window',
    arity: 2,
    attrs: windowAttrs,
    flops: ([x]) => numel(x ?? []),
    shape: ([x, gy], a) => samePooled(x, gy, a),
  }),
  /** (x, z) -> pooled shape: z read at each window's first maximum of x (maxpool2d_grad's VJP). */
  maxpool2d_select: def<WindowAttrs>({
    kind: 'window',
    arity: 2,
    attrs: windowAttrs,
    flops: ([x]) => numel(x ?? []),
    shape: ([x, z], a) => selectShape(x, z, a),
  }),
  /** Mean over windows, padding counted (divisor kernel area). */
  avgpool2d: def<WindowAttrs>({
    kind: 'window',
    arity: 1,
    attrs: windowAttrs,
    flops: ([x]) => numel(x ?? []),
    shape: ([x], a) => pool2dShape(x ?? [], a),
  }),
  /** gy -> dx [N,C,H,W]; inputSize = [H, W]. */
  avgpool2d_grad: def<WindowAttrs & { inputSize: readonly number[] }>({
    kind: 'window',
    arity: 1,
    attrs: { ...windowAttrs, inputSize: 'ints' },
    flops: perOutput,
    shape: ([gy], a) => avgGradShape(gy ?? [], a),
  }),
  // indexing (indices are float32 holding integers)
  /** x [V, ...rest], idx [...I] -> [...I, ...rest]: rows of x. */
  gather: def<NoAttrs>({
    kind: 'index',
    arity: 2,
    attrs: {},
    flops: free,
    shape: ([x, idx]) => gatherShape(x ?? [], idx ?? []),
  }),
  /** g [...I, ...rest], idx [...I] -> [rows, ...rest]: rows summed by index (gather's VJP). */
  scatter_add: def<{ rows: number }>({
    kind: 'index',
    arity: 2,
    attrs: { rows: 'int' },
    flops: ([g]) => numel(g ?? []),
    shape: ([g, idx], { rows }) => scatterShape(g ?? [], idx ?? [], rows),
  }),
  // sources
  full: def<{ shape: readonly number[]; value: number }>({
    kind: 'source',
    arity: 0,
    attrs: { shape: 'ints', value: 'float' },
    flops: free,
    shape: (_, { shape }) => checkedShape(shape),
  }),
  /** Index along `axis`, broadcast over the other axes. */
  iota: def<{ shape: readonly number[]; axis: number }>({
    kind: 'source',
    arity: 0,
    attrs: { shape: 'ints', axis: 'int' },
    flops: free,
    shape: (_, { shape, axis }) => (checkAxes([axis], shape.length), checkedShape(shape)),
  }),
  /** Uniform [0, 1) from a counter hash of (seed, key, index); key is a scalar (e.g. the step). */
  random_uniform: def<{ shape: readonly number[]; seed: number }>({
    kind: 'source',
    arity: 1,
    attrs: { shape: 'ints', seed: 'int' },
    flops: perOutput,
    shape: ([key], { shape }) => (scalarKey(key), checkedShape(shape)),
  }),
} satisfies Record<string, { readonly kind: OpKind }>

export type OpName = keyof typeof OPS
/** Attribute record of each op, read off the table. */
export type OpAttrs = { [K in OpName]: (typeof OPS)[K] extends OpDef<infer A> ? A : never }

export const OP_NAMES = Object.keys(OPS) as OpName[] // keys of a literal table: exactly OpName

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(OPS, name)
}

/** The table entry of one op with its attribute type attached. */
export function opDef<K extends OpName>(op: K): OpDef<OpAttrs[K]> {
  // The table is built with def<A>() per entry, so entry K is exactly OpDef<OpAttrs[K]>.
  return OPS[op] as unknown as OpDef<OpAttrs[K]>
}
