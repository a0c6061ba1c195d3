// The one way to build Programs: typed methods per primitive (plus a little sugar that lowers
// to primitives), each checking shapes as it goes. Layer lowering, autodiff and optimizers
// all write IR through this class, and can continue an existing Program.

import type { OpAttrs, OpName, WindowAttrs } from './ops'
import { opDef } from './ops'
import type { Eqn, InputDecl, InputKind, OutputDecl, Program } from './program'
import { nextFreeId } from './program'
import type { Shape } from './shape'
import { fmtShape, sameShape, ShapeError } from './shape'

/** A handle on a value of the program being built. */
export interface Value {
  readonly id: number
  readonly shape: Shape
}
/** Numbers become scalar constants (`full` with shape []). */
export type Operand = Value | number

export interface PoolOptions {
  kernel: readonly number[]
  stride?: readonly number[]
  padding?: readonly number[]
}
export interface ConvOptions {
  stride?: readonly number[]
  padding?: readonly number[]
}

/** Thrown when an op does not fit its operands; names the op and the operand shapes. */
export class IrBuildError extends Error {
  override name = 'IrBuildError'
}

export class ProgramBuilder {
  private readonly inputs: InputDecl[]
  private readonly eqns: Eqn[]
  private outputs: OutputDecl[]
  private readonly shapes = new Map<number, Shape>()
  private next: number

  constructor(base?: Program) {
    this.inputs = [...(base?.inputs ?? [])]
    this.eqns = [...(base?.eqns ?? [])]
    this.outputs = [...(base?.outputs ?? [])]
    for (const v of [...this.inputs, ...this.eqns]) this.shapes.set(v.id, v.shape)
    this.next = base ? nextFreeId(base) : 0
  }

  // ── program structure ──────────────────────────────────────────────────────────────────
  input(name: string, shape: Shape): Value {
    return this.declare(name, 'input', shape)
  }
  param(name: string, shape: Shape): Value {
    return this.declare(name, 'param', shape)
  }
  /** State carried between steps; `init` is its first value (default zeros). */
  state(name: string, shape: Shape, init?: readonly number[]): Value {
    return this.declare(name, 'state', shape, init)
  }
  constant(name: string, shape: Shape, data: readonly number[]): Value {
    return this.declare(name, 'const', shape, data)
  }

  /** A handle on an existing value by id (for transformations that continue a program). */
  value(id: number): Value {
    const shape = this.shapes.get(id)
    if (shape === undefined) throw new IrBuildError(`no value %${id}`)
    return { id, shape }
  }

  /** The handle of a named input, or of a named output's value. */
  named(name: string): Value {
    const v = this.inputs.find((i) => i.name === name) ?? this.outputs.find((o) => o.name === name)
    if (v === undefined) throw new IrBuildError(`no input or output named ${name}`)
    return this.value(v.id)
  }

  /** Adds an output, or replaces the value of an output of the same name. */
  output(name: string, v: Value, updates?: string): void {
    const decl: OutputDecl =
      updates === undefined ? { name, id: v.id } : { name, id: v.id, updates }
    const at = this.outputs.findIndex((o) => o.name === name)
    if (at >= 0) this.outputs[at] = decl
    else this.outputs.push(decl)
  }

  build(): Program {
    return { inputs: [...this.inputs], eqns: [...this.eqns], outputs: [...this.outputs] }
  }

  /** Appends one equation; every typed method below goes through here. */
  emit<K extends OpName>(op: K, args: readonly Operand[], attrs: OpAttrs[K]): Value {
    const vals = args.map((a) => this.operand(a))
    const argShapes = vals.map((v) => v.shape)
    const d = opDef(op)
    let shape: Shape
    try {
      if (d.arity !== 'variadic' && d.arity !== vals.length) {
        throw new ShapeError(`takes ${d.arity} operands, got ${vals.length}`)
      }
      shape = [...d.shape(argShapes, attrs)]
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e
      const at = argShapes.map(fmtShape).join(' ')
      throw new IrBuildError(`${op} ${at} ${JSON.stringify(attrs)}: ${e.message}`)
    }
    const id = this.next++
    // K is one op and attrs its record: this is Eqn<K>, which TS cannot narrow from generic K.
    const eqn = { id, op, args: vals.map((v) => v.id), attrs, shape, dtype: 'f32' } as Eqn
    this.eqns.push(eqn)
    this.shapes.set(id, shape)
    return { id, shape }
  }

  // ── elementwise ────────────────────────────────────────────────────────────────────────
  neg(x: Value): Value {
    return this.emit('neg', [x], {})
  }
  exp(x: Value): Value {
    return this.emit('exp', [x], {})
  }
  log(x: Value): Value {
    return this.emit('log', [x], {})
  }
  sqrt(x: Value): Value {
    return this.emit('sqrt', [x], {})
  }
  tanh(x: Value): Value {
    return this.emit('tanh', [x], {})
  }
  erf(x: Value): Value {
    return this.emit('erf', [x], {})
  }
  sin(x: Value): Value {
    return this.emit('sin', [x], {})
  }
  cos(x: Value): Value {
    return this.emit('cos', [x], {})
  }
  abs(x: Value): Value {
    return this.emit('abs', [x], {})
  }
  sign(x: Value): Value {
    return this.emit('sign', [x], {})
  }
  stopGradient(x: Value): Value {
    return this.emit('stop_gradient', [x], {})
  }
  add(a: Operand, b: Operand): Value {
    return this.emit('add', [a, b], {})
  }
  sub(a: Operand, b: Operand): Value {
    return this.emit('sub', [a, b], {})
  }
  mul(a: Operand, b: Operand): Value {
    return this.emit('mul', [a, b], {})
  }
  div(a: Operand, b: Operand): Value {
    return this.emit('div', [a, b], {})
  }
  pow(a: Operand, b: Operand): Value {
    return this.emit('pow', [a, b], {})
  }
  maximum(a: Operand, b: Operand): Value {
    return this.emit('maximum', [a, b], {})
  }
  minimum(a: Operand, b: Operand): Value {
    return this.emit('minimum', [a, b], {})
  }
  /** 1 where a > b, else 0. */
  cmpGt(a: Operand, b: Operand): Value {
    return this.emit('cmp_gt', [a, b], {})
  }
  where(c: Operand, a: Operand, b: Operand): Value {
    return this.emit('where', [c, a, b], {})
  }

  // ── reductions and movement ───────────────────────────────────────────────────────────
  sum(x: Value, axes: readonly number[], keepdims = false): Value {
    return this.emit('sum', [x], { axes, keepdims })
  }
  max(x: Value, axes: readonly number[], keepdims = false): Value {
    return this.emit('max', [x], { axes, keepdims })
  }
  reshape(x: Value, shape: readonly number[]): Value {
    return sameShape(x.shape, shape) ? x : this.emit('reshape', [x], { shape })
  }
  permute(x: Value, perm: readonly number[]): Value {
    return this.emit('permute', [x], { perm })
  }
  expand(x: Value, shape: readonly number[]): Value {
    return sameShape(x.shape, shape) ? x : this.emit('expand', [x], { shape })
  }
  slice(x: Value, starts: readonly number[], ends: readonly number[]): Value {
    return this.emit('slice', [x], { starts, ends })
  }
  pad(x: Value, before: readonly number[], after: readonly number[]): Value {
    return this.emit('pad', [x], { before, after })
  }
  concat(xs: readonly Value[], axis: number): Value {
    return this.emit('concat', xs, { axis })
  }

  // ── contractions, windows, indexing, sources ──────────────────────────────────────────
  matmul(a: Value, b: Value, t: { transposeA?: boolean; transposeB?: boolean } = {}): Value {
    const attrs = { transposeA: t.transposeA ?? false, transposeB: t.transposeB ?? false }
    return this.emit('matmul', [a, b], attrs)
  }
  conv2d(x: Value, w: Value, o: ConvOptions = {}): Value {
    return this.emit('conv2d', [x, w], { stride: o.stride ?? [1, 1], padding: o.padding ?? [0, 0] })
  }
  conv2dGradInput(gy: Value, w: Value, a: OpAttrs['conv2d_grad_input']): Value {
    return this.emit('conv2d_grad_input', [gy, w], a)
  }
  conv2dGradWeight(x: Value, gy: Value, a: OpAttrs['conv2d_grad_weight']): Value {
    return this.emit('conv2d_grad_weight', [x, gy], a)
  }
  maxpool2d(x: Value, o: PoolOptions): Value {
    return this.emit('maxpool2d', [x], window(o))
  }
  maxpool2dGrad(x: Value, gy: Value, a: WindowAttrs): Value {
    return this.emit('maxpool2d_grad', [x, gy], a)
  }
  maxpool2dSelect(x: Value, z: Value, a: WindowAttrs): Value {
    return this.emit('maxpool2d_select', [x, z], a)
  }
  avgpool2d(x: Value, o: PoolOptions): Value {
    return this.emit('avgpool2d', [x], window(o))
  }
  avgpool2dGrad(gy: Value, a: OpAttrs['avgpool2d_grad']): Value {
    return this.emit('avgpool2d_grad', [gy], a)
  }
  /** Rows of `x` (axis 0) picked by `idx` (float32 holding integers). */
  gather(x: Value, idx: Value): Value {
    return this.emit('gather', [x, idx], {})
  }
  scatterAdd(g: Value, idx: Value, rows: number): Value {
    return this.emit('scatter_add', [g, idx], { rows })
  }
  full(shape: readonly number[], value: number): Value {
    return this.emit('full', [], { shape, value })
  }
  zeros(shape: readonly number[]): Value {
    return this.full(shape, 0)
  }
  iota(shape: readonly number[], axis: number): Value {
    return this.emit('iota', [], { shape, axis })
  }
  randomUniform(key: Value, shape: readonly number[], seed: number): Value {
    return this.emit('random_uniform', [key], { shape, seed })
  }

  // ── sugar: composites of primitives ───────────────────────────────────────────────────
  relu(x: Value): Value {
    return this.maximum(x, 0)
  }
  sigmoid(x: Value): Value {
    return this.div(1, this.add(1, this.exp(this.neg(x))))
  }
  square(x: Value): Value {
    return this.mul(x, x)
  }
  mean(x: Value, axes: readonly number[], keepdims = false): Value {
    const count = axes.reduce((n, a) => n * (x.shape[a] ?? 1), 1)
    return this.mul(this.sum(x, axes, keepdims), 1 / count)
  }
  /** Swaps the last two axes. */
  transpose(x: Value): Value {
    const perm = x.shape.map((_, i) => i)
    perm.splice(-2, 2, x.shape.length - 1, x.shape.length - 2)
    return this.permute(x, perm)
  }
  logSoftmax(x: Value, axis: number): Value {
    const z = this.sub(x, this.stopGradient(this.max(x, [axis], true)))
    return this.sub(z, this.log(this.sum(this.exp(z), [axis], true)))
  }
  softmax(x: Value, axis: number): Value {
    const e = this.exp(this.sub(x, this.stopGradient(this.max(x, [axis], true))))
    return this.div(e, this.sum(e, [axis], true))
  }
  /** Sums broadcast axes away so that `x` gets `shape` (the VJP of broadcasting). */
  sumTo(x: Value, shape: Shape): Value {
    if (sameShape(x.shape, shape)) return x
    const lead = x.shape.length - shape.length
    const axes = x.shape.flatMap((d, i) =>
      i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : [],
    )
    return this.reshape(axes.length ? this.sum(x, axes, true) : x, shape)
  }

  private operand(a: Operand): Value {
    return typeof a === 'number' ? this.full([], a) : this.value(a.id)
  }

  private declare(name: string, kind: InputKind, shape: Shape, data?: readonly number[]): Value {
    if (this.inputs.some((i) => i.name === name)) throw new IrBuildError(`input ${name} twice`)
    const id = this.next++
    const base = { id, name, kind, shape: [...shape], dtype: 'f32' } as const
    this.inputs.push(data === undefined ? base : { ...base, data })
    this.shapes.set(id, shape)
    return { id, shape }
  }
}

function window(o: PoolOptions): WindowAttrs {
  return { kernel: o.kernel, stride: o.stride ?? o.kernel, padding: o.padding ?? [0, 0] }
}
