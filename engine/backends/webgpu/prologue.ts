// Elementwise kernels folded into the reduction that reads them. A kernel of elementwise ops
// only whose one value is read by nothing but a reduction is computed inside that reduction's
// loads (codegen's `fn pro(i)`) instead of being written to a buffer and read back: a layer's
// finiteness check, sum(x · 0), is one kernel instead of two, and holds no buffer of x's size.

import type { Program } from '../../ir'
import { numel } from '../../ir'
import type { KernelSpec } from './codegen'
import { kernelEqns, kernelReads } from './codegen'
import { kernelBindings } from './schedule'

/** What folding kernels together asks of the plan (column-sums.ts asks the same). */
export interface FoldContext {
  readonly p: Program
  readonly resolve: (id: number) => number
  readonly shapeOf: (id: number) => readonly number[]
  /** Values elementwise ops compute where they read them (constants, iotas): no binding. */
  readonly isConstant: (id: number) => boolean
  readonly maxBindings: number
  /** Bindings a value takes: more than one when it is bound in pieces (pieces.ts). */
  readonly bindingsFor: (id: number) => number
}

/** Who reads each value: the kernels reading it from outside themselves. */
function readersOf(kernels: readonly KernelSpec[], ctx: FoldContext): Map<number, KernelSpec[]> {
  const readers = new Map<number, KernelSpec[]>()
  for (const k of kernels) {
    for (const id of kernelReads(k, ctx.resolve)) readers.set(id, [...(readers.get(id) ?? []), k])
  }
  return readers
}

/** The value an elementwise-only kernel makes when it makes just one, not a program output. */
function soleValue(k: KernelSpec, outputs: ReadonlySet<number>): number | null {
  const x = k.writes[0]
  if (k.anchor !== null || k.writes.length !== 1 || x === undefined || outputs.has(x)) return null
  return k.members.at(-1)?.id === x ? x : null
}

/** `reader` with `producer` folded in as its prologue, or null where that cannot be. */
function fold(producer: KernelSpec, x: number, reader: KernelSpec, ctx: FoldContext) {
  const anchor = reader.anchor
  if (anchor === null || (anchor.op !== 'sum' && anchor.op !== 'max') || reader.prologue)
    return null
  const operand = anchor.args[0] ?? -1
  // Only the reduction's loads may read x (not its epilogue), and x must be the whole operand.
  if (ctx.resolve(operand) !== x || numel(ctx.shapeOf(operand)) !== numel(ctx.shapeOf(x)))
    return null
  if (reader.members.some((m) => m.args.some((a) => ctx.resolve(a) === x))) return null
  const merged: KernelSpec = { ...reader, prologue: producer.members }
  const rules = { resolve: ctx.resolve, inlined: ctx.isConstant, bindingsFor: ctx.bindingsFor }
  return kernelBindings(kernelEqns(merged), merged.writes, rules) <= ctx.maxBindings ? merged : null
}

/** The kernel list with each foldable elementwise kernel moved into its reduction. */
export function foldPrologues(kernels: readonly KernelSpec[], ctx: FoldContext): KernelSpec[] {
  const outputs = new Set(ctx.p.outputs.map((o) => o.id))
  const readers = readersOf(kernels, ctx)
  const folded = new Map<KernelSpec, KernelSpec>()
  const gone = new Set<KernelSpec>()
  for (const producer of kernels) {
    const x = soleValue(producer, outputs)
    const only = x === null ? [] : (readers.get(x) ?? [])
    const reader = only.length === 1 ? only[0] : undefined
    if (x === null || reader === undefined || folded.has(reader)) continue
    const merged = fold(producer, x, reader, ctx)
    if (merged === null) continue
    folded.set(reader, merged)
    gone.add(producer)
  }
  return kernels.filter((k) => !gone.has(k)).map((k) => folded.get(k) ?? k)
}
