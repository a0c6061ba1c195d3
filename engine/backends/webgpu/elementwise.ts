// Elementwise ops as WGSL expressions, and the epilogue that fuses a group's elementwise chain
// into its anchor: `fn emit(i, v)` gets the anchor's value for output element i, computes every
// member, and stores the group's outputs. A prologue is the same in front of a reduction:
// `fn pro(i)` computes the chain that makes the reduced operand's element i, which the anchor
// loads instead of a buffer. Operands are the anchor's value, earlier members,
// constants (`full`, as f32 uniforms so the pipeline does not depend on them), iotas (computed
// from the index) or buffers read with numpy broadcasting (same size: index i; one element:
// index 0; else strided).

import type { Eqn, OpName, Shape } from '../../ir'
import { broadcastStrides, numel, strides } from '../../ir'
import { collapse, dotStrides, listUniforms, splitIndex } from './anchor'
import type { Uniform } from './program'
import { f32, u32 } from './program'
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
  // The flat order is unchanged, and kernels index by the flat index.
  reshape: { expr: (a) => at(a, 0) },
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
  /** An `iota` equation's attributes, when `id` is one (computed where it is read). */
  readonly iota?: (id: number) => { readonly shape: Shape; readonly axis: number } | undefined
  /** The read binding's name for a value, binding it on first use. */
  readonly bind: (id: number) => string
}

export interface Epilogue {
  readonly key: string
  readonly code: string
  readonly uniforms: readonly Uniform[]
  readonly lib: readonly LibName[]
}

/**
 * `fn emit(i, v)` and the broadcast index functions it calls; `prefix` names its uniforms,
 * helpers and locals and `fn` the function, where several epilogues share a module.
 */
export function epilogue(spec: EpilogueSpec, prefix = 'ep', fn = 'emit'): Epilogue {
  const st = newState(prefix)
  const local = new Map<number, string>()
  if (spec.anchor !== null) local.set(spec.anchor, 'v')
  // A row reduction's row-wide members (fuse.ts's rowShape) have more elements than the group.
  const n = numel(spec.shape)
  const narrow = spec.members.filter((e) => numel(e.shape) <= n)
  const wide = spec.members.filter((e) => numel(e.shape) > n)
  const wideIds = new Set(wide.map((e) => e.id))
  const stores = (index: string, row: boolean): string[] =>
    spec.outputs.flatMap((id, j) => {
      if (wideIds.has(id) !== row) return []
      const value = local.get(id) ?? 'v'
      st.keys.push(`w${j}=${value}`)
      return [`w${j}[${index}] = ${value};`]
    })
  const lines = [...chain({ ...spec, members: narrow }, st, local), ...stores('i', false)]
  const first = wide[0]
  if (first !== undefined) lines.push(rowLoop(spec, st, local, wide, first.shape, stores))
  const emit = `fn ${fn}(i: u32, v: f32) {\n  ${lines.join('\n  ')}\n}`
  return finish(st, emit)
}

/**
 * The loop over row i's elements j = i·C + c computing the row-wide members (each row of the
 * `row` shape is one element of the group's) and storing the row-wide outputs.
 */
function rowLoop(
  spec: EpilogueSpec,
  st: State,
  local: Map<number, string>,
  wide: readonly Eqn[],
  row: Shape,
  stores: (index: string, row: boolean) => string[],
): string {
  const C = `${st.prefix}_C`
  st.uniforms.push(u32(C, numel(row) / numel(spec.shape)))
  st.keys.push('row(')
  const offset = spec.members.length - wide.length
  const body = chain({ ...spec, shape: row, members: wide }, { ...st, index: 'j' }, local, offset)
  const lines = [`let j = i * u.${C} + c;`, ...body, ...stores('j', true)]
  st.keys.push(')')
  return `for (var c = 0u; c < u.${C}; c = c + 1u) {\n    ${lines.join('\n    ')}\n  }`
}

/** `fn pro(i) -> f32`: the value `result` at flat index i of `shape`, from the members. */
export function prologue(spec: Omit<EpilogueSpec, 'anchor' | 'outputs'>, result: number): Epilogue {
  const st = newState('pro')
  const local = new Map<number, string>()
  const lines = chain(spec, st, local)
  const value = local.get(result)
  if (value === undefined) throw new Error(`webgpu: the prologue does not make %${result}`)
  st.keys.push(`return ${value}`)
  return finish(st, `fn pro(i: u32) -> f32 {\n  ${lines.join('\n  ')}\n  return ${value};\n}`)
}

interface State {
  /** Names this chain's uniforms and helpers (an epilogue's and a prologue's share a module). */
  readonly prefix: string
  /** The WGSL name of the element's flat index (i; j in a row loop). */
  readonly index: string
  readonly uniforms: Uniform[]
  readonly helpers: string[]
  readonly keys: string[]
  readonly lib: Set<LibName>
}

/**
 * WGSL lines computing each member at the state's index (into `local`: id → its name, t0, t1…
 * from `offset`). An expand is a row-wide member reading its row's value: that value.
 */
function chain(
  spec: Omit<EpilogueSpec, 'anchor' | 'outputs'>,
  st: State,
  local: Map<number, string>,
  offset = 0,
): string[] {
  return spec.members.map((e, m) => {
    const args = e.args.map((a) => local.get(a) ?? operand(spec, st, a))
    const code: Pointwise | undefined =
      e.op === 'expand'
        ? { expr: (a) => at(a, 0) }
        : isPointwise(e.op)
          ? POINTWISE[e.op]
          : undefined
    if (code === undefined) throw new Error(`webgpu: ${e.op} is not elementwise`)
    for (const l of code.lib ?? []) st.lib.add(l)
    const name = `${st.prefix}_t${offset + m}`
    local.set(e.id, name)
    st.keys.push(`${e.op}(${args.join(',')})`)
    return `let ${name} = ${code.expr(args)};`
  })
}

const newState = (prefix: string): State => ({
  prefix,
  uniforms: [],
  helpers: [],
  keys: [],
  lib: new Set(),
  index: 'i',
})

function finish(st: State, fn: string): Epilogue {
  return {
    key: st.keys.join(';'),
    code: [...st.helpers, fn].join('\n'),
    uniforms: st.uniforms,
    lib: [...st.lib],
  }
}

/** The WGSL expression for a value read from outside the group. */
function operand(spec: Omit<EpilogueSpec, 'anchor' | 'outputs'>, st: State, id: number): string {
  const value = spec.constant(id)
  if (value !== undefined) {
    const name = `${st.prefix}_c${st.uniforms.length}`
    st.uniforms.push(f32(name, value))
    return `u.${name}`
  }
  const iota = spec.iota?.(id)
  if (iota !== undefined) {
    // Its coordinate along the axis, at the element's index into its own shape.
    const name = `${st.prefix}_i${st.uniforms.length}`
    const index = indexInto(spec, st, iota.shape)
    st.uniforms.push(
      u32(`${name}st`, strides(iota.shape)[iota.axis] ?? 1),
      u32(`${name}sz`, iota.shape[iota.axis] ?? 1),
    )
    st.keys.push(`iota(${index})`)
    return `f32((${index} / u.${name}st) % u.${name}sz)`
  }
  const buf = spec.bind(id)
  return `${buf}[${indexInto(spec, st, spec.shapeOf(id))}]`
}

/**
 * The index into a value of `shape` that element i of the group's shape reads, with numpy
 * broadcasting: i for the same size, 0 for one element, else a strided helper.
 */
function indexInto(spec: Omit<EpilogueSpec, 'anchor' | 'outputs'>, st: State, shape: Shape) {
  if (numel(shape) === numel(spec.shape)) return st.index
  if (numel(shape) === 1) return '0u'
  const [k, p] = [st.helpers.length, st.prefix]
  const c = collapse(spec.shape, broadcastStrides(shape, spec.shape))
  const rank = c.dims.length
  st.uniforms.push(...listUniforms(`${p}_${k}d`, c.dims), ...listUniforms(`${p}_${k}s`, c.strides))
  st.keys.push(`bcast${k}:${rank}`)
  st.helpers.push(
    `fn ${p}_bcast${k}(i: u32) -> u32 {\n  ${splitIndex('i', `${p}_${k}d`, rank)}\n` +
      `  return ${dotStrides(rank, `${p}_${k}s`)};\n}`,
  )
  return `${p}_bcast${k}(${st.index})`
}
