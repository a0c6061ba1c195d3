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
import { FOLD, INIT } from './reduce'
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
  /** Row reductions chained after a row group's loop, in order (row-stages.ts). */
  readonly rowStages?: readonly RowStage[]
}

export interface Epilogue {
  readonly key: string
  readonly code: string
  readonly uniforms: readonly Uniform[]
  readonly lib: readonly LibName[]
}

/**
 * A row reduction chained after a row group's loop (row-stages.ts): its operand, a row-wide
 * value of a stage before, is added up (or its maximum taken) in the loop just before it; then
 * its members run as a group's do, on the result.
 */
export interface RowStage {
  readonly reduction: Eqn
  readonly members: readonly Eqn[]
}

/**
 * One stage of an epilogue: the value it starts from (the anchor's `v`, or a chained
 * reduction's result), its members, and the outputs it stores.
 */
interface Stage {
  readonly anchor: number | null
  readonly members: readonly Eqn[]
  readonly reduction: Eqn | null
  readonly outputs: ReadonlySet<number>
}

/** The epilogue's stages; outputs no stage makes are the anchor's value, stored by the first. */
function stagesOf(spec: EpilogueSpec): Stage[] {
  const own = (anchor: number | null, members: readonly Eqn[]): Set<number> =>
    new Set(spec.outputs.filter((id) => id === anchor || members.some((e) => e.id === id)))
  const chained = (spec.rowStages ?? []).map((g) => ({
    anchor: g.reduction.id,
    ...g,
    outputs: own(g.reduction.id, g.members),
  }))
  const later = new Set(chained.flatMap((g) => [...g.outputs]))
  const first = new Set(spec.outputs.filter((id) => !later.has(id)))
  return [
    { anchor: spec.anchor, members: spec.members, reduction: null, outputs: first },
    ...chained,
  ]
}

/** What the stages of one epilogue share as they are written out. */
interface Writer {
  readonly spec: EpilogueSpec
  readonly st: State
  readonly local: Map<number, string>
  readonly lines: string[]
  /** The row loops' lines computing their row-wide members, for the loops after them. */
  readonly rowWide: string[]
  /** Members written so far (they name their locals t0, t1…). */
  count: number
}

/**
 * `fn emit(i, v)` and the broadcast index functions it calls; `prefix` names its uniforms,
 * helpers and locals and `fn` the function, where several epilogues share a module. For a row
 * reduction's group, each stage's members of the group's shape run first, then a loop over the
 * row computes its row-wide members (fuse.ts's rowShape) and, where a row stage follows
 * (`rowStages`), adds up that one's operand; a later loop computes the row-wide values of the
 * stages before it again, as it may read them.
 */
export function epilogue(spec: EpilogueSpec, prefix = 'ep', fn = 'emit'): Epilogue {
  const st = newState(prefix)
  const w: Writer = { spec, st, local: new Map(), lines: [], rowWide: [], count: 0 }
  const n = numel(spec.shape)
  const stages = stagesOf(spec)
  for (const [s, stage] of stages.entries()) {
    const narrow = stage.members.filter((e) => numel(e.shape) <= n)
    const wide = stage.members.filter((e) => numel(e.shape) > n)
    if (stage.reduction !== null) st.keys.push(`then(${stage.reduction.op})`)
    if (stage.anchor !== null) w.local.set(stage.anchor, s === 0 ? 'v' : `${prefix}_acc${s}`)
    w.lines.push(...chain({ ...spec, members: narrow }, st, w.local, w.count))
    w.count += narrow.length
    const rowWide = new Set(wide.map((e) => e.id))
    w.lines.push(
      ...stores(
        w,
        [...stage.outputs].filter((id) => !rowWide.has(id)),
        'i',
      ),
    )
    const next = stages[s + 1]?.reduction ?? null
    rowLoop(w, { ...stage, wide, next, acc: `${prefix}_acc${s + 1}` })
  }
  const emit = `fn ${fn}(i: u32, v: f32) {\n  ${w.lines.join('\n  ')}\n}`
  return finish(st, emit)
}

/** WGSL storing each of `ids` (outputs, in write-binding order: w0, w1, …) at `index`. */
function stores(w: Writer, ids: readonly number[], index: string): string[] {
  return w.spec.outputs.flatMap((id, j) => {
    if (!ids.includes(id)) return []
    const value = w.local.get(id) ?? 'v'
    w.st.keys.push(`w${j}=${value}`)
    return [`w${j}[${index}] = ${value};`]
  })
}

/**
 * The loop over row i's elements j = i·C + c computing a stage's row-wide members (each row of
 * the row shape is one element of the group's), storing its row-wide outputs and folding the
 * next stage's operand into `acc`, that stage's value; none where there is nothing to do.
 */
function rowLoop(
  w: Writer,
  stage: Stage & { readonly wide: readonly Eqn[]; readonly next: Eqn | null; readonly acc: string },
): void {
  const { spec, st, local } = w
  const { wide, next, acc } = stage
  const row = wide[0]?.shape ?? (next === null ? null : spec.shapeOf(next.args[0] ?? -1))
  if (row === null) return
  const C = `${st.prefix}_C`
  if (!st.uniforms.some((u) => u.name === C))
    st.uniforms.push(u32(C, numel(row) / numel(spec.shape)))
  st.keys.push('row(')
  const body = chain({ ...spec, shape: row, members: wide }, { ...st, index: 'j' }, local, w.count)
  w.count += wide.length
  const outputs = wide.map((e) => e.id).filter((id) => stage.outputs.has(id))
  const loop = [...w.rowWide, ...body, ...stores(w, outputs, 'j')]
  w.rowWide.push(...body)
  if (next !== null) {
    const op = next.op === 'max' ? 'max' : 'sum'
    if (op === 'max') st.lib.add('inf_f')
    const x = local.get(next.args[0] ?? -1)
    if (x === undefined) throw new Error(`webgpu: no loop before %${next.id} makes its operand`)
    w.lines.push(`var ${acc} = ${INIT[op]};`)
    loop.push(FOLD[op](acc, x))
  }
  st.keys.push(')')
  w.lines.push(
    `for (var c = 0u; c < u.${C}; c = c + 1u) {\n    let j = i * u.${C} + c;\n    ` +
      `${loop.join('\n    ')}\n  }`,
  )
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
