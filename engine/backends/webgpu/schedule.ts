// The kernel schedule of a compiled plan: one kernel per fusion group (plan.groups), in program
// order. A group is split where WGSL cannot fuse it: after an anchor that accumulates in place
// (scatter_add), and into chunks where it would bind more storage buffers than the device
// allows. `full` equations are in no kernel: epilogues inline them and anchors read a
// constant buffer made once.

import type { Eqn, Program } from '../../ir'
import { consumers, numel, updateTargets } from '../../ir'
import type { FusionGroup } from '../../passes'
import type { KernelSpec } from './codegen'
import { kernelReads } from './codegen'
import { isPointwise } from './elementwise'
import { fuses } from './ops'
import { piecesOf, runsInRanges } from './pieces'

export interface ScheduleOptions {
  /** Storage buffers one kernel may bind (the device's maxStorageBuffersPerShaderStage). */
  readonly maxBindings: number
  /** Values elementwise ops compute where they read them (constants, iotas): no binding. */
  readonly inlined: (id: number) => boolean
  /**
   * Input id → the update that may be written into its buffer (in-place.ts): a kernel that
   * writes the update reads the input through that binding, so it costs no binding of its own.
   */
  readonly inPlace?: ReadonlyMap<number, number>
  /** Floats one binding may hold (default: no limit); larger values are bound in pieces. */
  readonly pieceFloats?: number
  /** Floats of a value, to count its pieces (needed with pieceFloats). */
  readonly floatsOf?: (id: number) => number
}

export function scheduleKernels(
  p: Program,
  groups: readonly FusionGroup[],
  opts: ScheduleOptions,
): KernelSpec[] {
  const eqns = new Map(p.eqns.map((e) => [e.id, e]))
  const users = consumers(p)
  const outputs = new Set(p.outputs.map((o) => o.id))
  const kernels: KernelSpec[] = []
  for (const g of groups) {
    const list = g.eqns.flatMap((id) => eqns.get(id) ?? [])
    for (const part of splitUnfusable(list)) {
      for (const chunk of chunks(part, { users, outputs, opts })) {
        kernels.push(kernelOf(chunk, users, outputs))
      }
    }
  }
  return kernels
}

/** An anchor that cannot carry an epilogue runs alone; its group continues as a new kernel. */
function splitUnfusable(list: readonly Eqn[]): Eqn[][] {
  const [head, ...rest] = list
  if (head === undefined) return []
  if (rest.length === 0 || fuses(head.op)) return [[...list]]
  return [[head], rest]
}

function kernelOf(
  list: readonly Eqn[],
  users: ReadonlyMap<number, readonly number[]>,
  outputs: ReadonlySet<number>,
): KernelSpec {
  const [head, ...rest] = list
  const anchored = head !== undefined && !isPointwise(head.op)
  return {
    anchor: anchored ? head : null,
    members: anchored ? rest : [...list],
    writes: writesOf(list, users, outputs),
  }
}

/** Values made in `list` that something outside it reads, or that the program returns. */
function writesOf(
  list: readonly Eqn[],
  users: ReadonlyMap<number, readonly number[]>,
  outputs: ReadonlySet<number>,
): number[] {
  const inside = new Set(list.map((e) => e.id))
  return list
    .filter((e) => outputs.has(e.id) || (users.get(e.id) ?? []).some((u) => !inside.has(u)))
    .map((e) => e.id)
}

interface Context {
  readonly users: ReadonlyMap<number, readonly number[]>
  readonly outputs: ReadonlySet<number>
  readonly opts: ScheduleOptions
}

/**
 * Buffers a kernel over `list` binds: values it reads from outside, plus its writes. A kernel of
 * elementwise ops whose values in pieces all have its size runs once per piece, binding one
 * piece of each at a time (pieces.ts): one binding each.
 */
function bindingsOf(list: readonly Eqn[], ctx: Context): number {
  const rules = {
    inlined: ctx.opts.inlined,
    ...(ctx.opts.inPlace ? { inPlace: ctx.opts.inPlace } : {}),
  }
  const values = boundValues(list, writesOf(list, ctx.users, ctx.outputs), rules)
  const piece = ctx.opts.pieceFloats ?? Infinity
  const floats = values.map((id) => ctx.opts.floatsOf?.(id) ?? 0)
  const count = numel(list[0]?.shape ?? [])
  if (list.every((e) => isPointwise(e.op)) && runsInRanges(floats, count, piece)) {
    return values.length
  }
  return floats.reduce((n, f) => n + piecesOf(f, piece), 0)
}

export interface BindingRules {
  /** A dropped view's source (gpu-plan.ts): reading the view binds it. */
  readonly resolve?: (id: number) => number
  /** Values elementwise ops compute where they read them (constants, iotas): no binding. */
  readonly inlined: (id: number) => boolean
  /** Input → the update written into its buffer: an elementwise op reads it through the write. */
  readonly inPlace?: ReadonlyMap<number, number>
  /** Bindings a value takes: more than one when it is bound in pieces (pieces.ts). */
  readonly bindingsFor?: (id: number) => number
}

/**
 * Storage buffers a kernel computing `eqns` and storing `writes` binds: every value it reads
 * from outside (not where an elementwise op inlines it or reads it through an in-place write)
 * and every value it writes, a value in pieces counting once per piece. The schedule, the
 * prologue fold and the update merge all ask here.
 */
export function kernelBindings(
  eqns: readonly KernelEqn[],
  writes: readonly number[],
  rules: BindingRules,
): number {
  const weight = rules.bindingsFor ?? (() => 1)
  return boundValues(eqns, writes, rules).reduce((n, id) => n + weight(id), 0)
}

type KernelEqn = { readonly id: number; readonly op: Eqn['op']; readonly args: readonly number[] }

/** The values such a kernel binds: what it reads from outside, then what it writes. */
export function boundValues(
  eqns: readonly KernelEqn[],
  writes: readonly number[],
  rules: BindingRules,
): number[] {
  const resolve = rules.resolve ?? ((id: number) => id)
  const inside = new Set(eqns.map((e) => e.id))
  const written = new Set(writes)
  const reads = new Set<number>()
  for (const e of eqns) {
    const inlines = isPointwise(e.op)
    for (const a of e.args) {
      if (inside.has(a)) continue
      if (inlines && rules.inlined(a)) continue
      const id = resolve(a)
      if (inlines && written.has(rules.inPlace?.get(id) ?? NaN)) continue
      reads.add(id)
    }
  }
  return [...reads, ...written]
}

/** Greedy chunks of a group that each fit the binding limit. */
function chunks(list: readonly Eqn[], ctx: Context): Eqn[][] {
  const limit = ctx.opts.maxBindings
  const out: Eqn[][] = []
  let current: Eqn[] = []
  for (const e of list) {
    const next = [...current, e]
    if (current.length > 0 && bindingsOf(next, ctx) > limit) {
      out.push(current)
      current = [e]
    } else {
      current = next
    }
    if (current.length === 1 && bindingsOf(current, ctx) > limit) {
      const piece = ctx.opts.pieceFloats ?? Infinity
      const pieced = [...e.args, e.id].some(
        (id) => piecesOf(ctx.opts.floatsOf?.(id) ?? 0, piece) > 1,
      )
      throw new Error(
        `webgpu: ${e.op} %${e.id} needs ${bindingsOf(current, ctx)} storage ` +
          `buffers; this device binds at most ${limit} per kernel` +
          (pieced ? ' (a value larger than one binding takes one per piece)' : ''),
      )
    }
  }
  if (current.length > 0) out.push(current)
  return out
}

/**
 * The kernels (by index) whose values reach a parameter's or state's update (or one of `also`);
 * the others only make what a step reports (loss, predictions, checks).
 */
export function updatingKernels(
  kernels: readonly KernelSpec[],
  p: Program,
  resolve: (id: number) => number,
  also: readonly number[] = [],
): Set<number> {
  return kernelsReaching(kernels, [...updateTargets(p).keys(), ...also], resolve)
}

/** The kernels (by index) whose values reach any of `targets`, walking back from the last. */
export function kernelsReaching(
  kernels: readonly KernelSpec[],
  targets: Iterable<number>,
  resolve: (id: number) => number,
): Set<number> {
  const needed = new Set(targets)
  const reaching = new Set<number>()
  for (let i = kernels.length - 1; i >= 0; i--) {
    const k = kernels[i]
    if (k === undefined || !k.writes.some((id) => needed.has(id))) continue
    reaching.add(i)
    for (const id of kernelReads(k, resolve)) needed.add(id)
  }
  return reaching
}

/**
 * Kernels that only make what a step reports (the loss, predictions, each layer's finiteness
 * check) move up to just after the kernels that write what they read, keeping their order. The
 * checks come last in the program; run there, they kept every layer's output alive through the
 * backward pass, and the 2-8-8-2 step needed twice its minimum memory.
 */
export function hoistReports(
  kernels: readonly KernelSpec[],
  p: Program,
  resolve: (id: number) => number,
): KernelSpec[] {
  const updating = updatingKernels(kernels, p, resolve)
  const order: KernelSpec[] = []
  for (const [i, k] of kernels.entries()) {
    if (updating.has(i)) {
      order.push(k)
      continue
    }
    const reads = kernelReads(k, resolve)
    const after = order.findLastIndex((w) => w.writes.some((id) => reads.has(id)))
    order.splice(after + 1, 0, k)
  }
  return order
}

/**
 * Whether the work of the kernel at `from` may run where the kernel at `to` runs: no kernel
 * between writes what it reads, or reads what it writes (an update's input counts as written).
 * Column sums and row chains move kernels into others by it.
 */
export function movable(
  kernels: readonly KernelSpec[],
  from: number,
  to: number,
  ctx: { readonly resolve: (id: number) => number; readonly updates: ReadonlyMap<number, number> },
): boolean {
  const moved = kernels[from]
  if (moved === undefined) return false
  const { updates } = ctx
  const written = (k: KernelSpec): number[] => k.writes.flatMap((id) => [id, updates.get(id) ?? id])
  const reads = kernelReads(moved, ctx.resolve)
  const writes = new Set(written(moved))
  const between = kernels.slice(Math.min(from, to) + 1, Math.max(from, to))
  return between.every(
    (k) =>
      !written(k).some((id) => reads.has(id)) &&
      ![...kernelReads(k, ctx.resolve)].some((id) => writes.has(id)),
  )
}
