// Elementwise ops as WGSL expressions, and the epilogue that fuses a group's elementwise chain
// into its anchor: `fn emit(i, v)` gets the anchor's value for output element i, computes every
// member, and stores the group's outputs. Operands are the anchor's value, earlier members,
// constants (`full`, as f32 uniforms so the pipeline does not depend on them) or buffers read
// with numpy broadcasting (same size: index i; one element: index 0; else strided).

import type { Eqn, OpName, Shape } from '../../ir'
import { broadcastStrides, numel } from '../../ir'
import { collapse, dotStrides, listUniforms, splitIndex } from './anchor'
import type { Uniform } from './program'
import { f32 } from './program'
import type { LibName } from './wgsl-lib'

export type Expr = (a: readonly string[]) => string

export interface Pointwise {
  readonly expr: Expr
  readonly lib?: readonly LibName[]
}

const at = (a: readonly string[], k: number): string => a[k] ?? '0.0'
const call = (fn: string, lib?: LibName): Pointwise =>
  lib === undefined
    ? { expr: (a) => `${fn}(${at(a, 0)})` }
    : { expr: (a) => `${fn}(${at(a, 0)})`, lib: [lib] }
const infix = (op: string): Pointwise => ({ expr: (a) => `(${at(a, 0)} ${op} ${at(a, 1)})` })
const call2 = (fn: LibName): Pointwise => ({
  expr: (a) => `${fn}(${at(a, 0)}, ${at(a, 1)})`,
  lib: [fn],
})

export const POINTWISE = {
  neg: { expr: (a) => `(-${at(a, 0)})` },
  exp: call('exp'),
  log: call('log'),
  sqrt: call('sqrt'),
  tanh: call('tanh_f', 'tanh_f'),
  erf: call('erf_f', 'erf_f'),
  sin: call('sin_f', 'sin_f'),
  cos: call('cos_f', 'cos_f'),
  abs: call('abs'),
  sign: call('sign'),
  stop_gradient: { expr: (a) => at(a, 0) },
  add: infix('+'),
  sub: infix('-'),
  mul: infix('*'),
  div: infix('/'),
  pow: call2('pow_f'),
  maximum: call2('max_f'),
  minimum: call2('min_f'),
  cmp_gt: { expr: (a) => `select(0.0, 1.0, ${at(a, 0)} > ${at(a, 1)})` },
  where: { expr: (a) => `select(${at(a, 2)}, ${at(a, 1)}, ${at(a, 0)} != 0.0)` },
} satisfies Partial<Record<OpName, Pointwise>>

export type PointwiseOp = keyof typeof POINTWISE

export function isPointwise(op: OpName): op is PointwiseOp {
  return Object.hasOwn(POINTWISE, op)
}

export interface EpilogueSpec {
  /** The anchor's value id (read as `v`), or null for a group of elementwise ops only. */
  readonly anchor: number | null
  readonly members: readonly Eqn[]
  readonly shape: Shape
  /** Values to store, in write-binding order (w0, w1, …). */
  readonly outputs: readonly number[]
  /** Shape of any value read from a buffer. */
  readonly shapeOf: (id: number) => Shape
  /** The value of a `full` equation, when `id` is one (inlined as a uniform). */
  readonly constant: (id: number) => number | undefined
  /** The read binding's name for a value, binding it on first use. */
  readonly bind: (id: number) => string
}

export interface Epilogue {
  readonly key: string
  readonly code: string
  readonly uniforms: readonly Uniform[]
  readonly lib: readonly LibName[]
}

/** `fn emit(i, v)` and the broadcast index functions it calls. */
export function epilogue(spec: EpilogueSpec): Epilogue {
  const st = { uniforms: [] as Uniform[], helpers: [] as string[], keys: [] as string[] }
  const lib = new Set<LibName>()
  const local = new Map<number, string>()
  if (spec.anchor !== null) local.set(spec.anchor, 'v')
  const lines: string[] = []
  spec.members.forEach((e, m) => {
    const args = e.args.map((a) => local.get(a) ?? operand(spec, st, a))
    if (!isPointwise(e.op)) throw new Error(`webgpu: ${e.op} is not elementwise`)
    const code: Pointwise = POINTWISE[e.op]
    for (const l of code.lib ?? []) lib.add(l)
    lines.push(`let t${m} = ${code.expr(args)};`)
    local.set(e.id, `t${m}`)
    st.keys.push(`${e.op}(${args.join(',')})`)
  })
  spec.outputs.forEach((id, j) => {
    const value = local.get(id) ?? 'v'
    lines.push(`w${j}[i] = ${value};`)
    st.keys.push(`w${j}=${value}`)
  })
  const emit = `fn emit(i: u32, v: f32) {\n  ${lines.join('\n  ')}\n}`
  return {
    key: st.keys.join(';'),
    code: [...st.helpers, emit].join('\n'),
    uniforms: st.uniforms,
    lib: [...lib],
  }
}

interface State {
  uniforms: Uniform[]
  helpers: string[]
  keys: string[]
}

/** The WGSL expression for a value read from outside the group. */
function operand(spec: EpilogueSpec, st: State, id: number): string {
  const value = spec.constant(id)
  if (value !== undefined) {
    const name = `ep_c${st.uniforms.length}`
    st.uniforms.push(f32(name, value))
    return `u.${name}`
  }
  const buf = spec.bind(id)
  const shape = spec.shapeOf(id)
  if (numel(shape) === numel(spec.shape)) return `${buf}[i]`
  if (numel(shape) === 1) return `${buf}[0u]`
  const k = st.helpers.length
  const c = collapse(spec.shape, broadcastStrides(shape, spec.shape))
  const rank = c.dims.length
  st.uniforms.push(...listUniforms(`ep_${k}d`, c.dims), ...listUniforms(`ep_${k}s`, c.strides))
  st.keys.push(`bcast${k}:${rank}`)
  st.helpers.push(
    `fn bcast${k}(i: u32) -> u32 {\n  ${splitIndex('i', `ep_${k}d`, rank)}\n` +
      `  return ${dotStrides(rank, `ep_${k}s`)};\n}`,
  )
  return `${buf}[bcast${k}(i)]`
}
