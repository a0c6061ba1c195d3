// Row reductions over the same rows as stages of one kernel. A softmax's cross-entropy and its
// gradient reduce the same rows three times: the max, the sum of the exponentials, and the sum
// of the upstream gradient, each a kernel whose row loop (fuse.ts's rowShape) makes the next
// one's operand. The later reduction joins the earlier kernel instead: the loop adds it up, and
// its own members run after it (elementwise.ts's stages). It joins when
// - both are a sum or max over the last axis of the same shape, kept (a row reduction);
// - the earlier kernel's members make its operand, and it reads their values by their own ids;
// - no kernel between them touches what it reads or writes (schedule.ts's movable);
// - both make what an update needs, or both only reports (a report's work stays out of most
//   steps);
// - the merged kernel fits the bindings.
// On a GPU every dispatch waits for the one before; a classifier's step takes two fewer.

import type { Eqn } from '../../ir'
import { numel, sameShape, updateTargets } from '../../ir'
import type { KernelSpec } from './codegen'
import { kernelEqns, kernelReads } from './codegen'
import type { FoldContext } from './prologue'
import { kernelBindings, movable, updatingKernels } from './schedule'

/** The rows' shape [..., C] when `e` is a sum or max over the last axis that keeps it. */
function rowsOf(e: Eqn | null, shapeOf: FoldContext['shapeOf']): readonly number[] | null {
  if (e === null || (e.op !== 'sum' && e.op !== 'max') || !e.attrs.keepdims) return null
  const x = shapeOf(e.args[0] ?? -1)
  const last = e.attrs.axes.length === 1 && e.attrs.axes[0] === x.length - 1
  return last && (x.at(-1) ?? 1) > 1 ? x : null
}

/** Whether `next` may run as a stage after `host`'s row loop (the first two rules above). */
function chainable(host: KernelSpec, next: KernelSpec, ctx: FoldContext): boolean {
  const rows = rowsOf(host.anchor, ctx.shapeOf)
  const own = rowsOf(next.anchor, ctx.shapeOf)
  if (rows === null || own === null || !sameShape(rows, own)) return false
  const alone = (k: KernelSpec): boolean => k.parts === undefined && k.depthSum === undefined
  if (!alone(host) || !alone(next) || next.prologue !== undefined || next.rowStages) return false
  // The stage reads host's values by their own ids (computed in the kernel), not through a
  // dropped view of one, which would read a buffer the kernel may no longer write.
  const made = new Set(kernelEqns(host).map((e) => e.id))
  const viaView = (a: number): boolean => ctx.resolve(a) !== a && made.has(ctx.resolve(a))
  if (kernelEqns(next).some((e) => e.args.some(viaView))) return false
  const operand = next.anchor?.args[0]
  const stages = [host.members, ...(host.rowStages ?? []).map((s) => s.members)]
  return stages.flat().some((e) => e.id === operand && numel(e.shape) === numel(rows))
}

/** Values `k` makes that a kernel of `others` reads, or that the program returns. */
function neededFrom(
  k: KernelSpec,
  others: readonly KernelSpec[],
  ctx: FoldContext,
): readonly number[] {
  const outputs = new Set(ctx.p.outputs.map((o) => o.id))
  const read = new Set(others.flatMap((o) => [...kernelReads(o, ctx.resolve)]))
  return k.writes.filter((id) => outputs.has(id) || read.has(id))
}

/** The kernel list with each row reduction that may be a stage of an earlier one moved there. */
export function mergeRowStages(kernels: readonly KernelSpec[], ctx: FoldContext): KernelSpec[] {
  const out = [...kernels]
  const moves = { resolve: ctx.resolve, updates: updateTargets(ctx.p) }
  const rules = { resolve: ctx.resolve, inlined: ctx.isConstant, bindingsFor: ctx.bindingsFor }
  for (let h = 0; h < out.length; h++) {
    for (let n = h + 1; n < out.length; n++) {
      const [host, next] = [out[h], out[n]]
      if (host === undefined || next === undefined || next.anchor === null) continue
      if (!chainable(host, next, ctx) || !movable(out, n, h, moves)) continue
      const updating = updatingKernels(out, ctx.p, ctx.resolve)
      if (updating.has(h) !== updating.has(n)) continue
      const stage = { reduction: next.anchor, members: next.members }
      const joined = { ...host, rowStages: [...(host.rowStages ?? []), stage] }
      const writes = [...host.writes, ...next.writes]
      const others = out.filter((k) => k !== host && k !== next)
      const merged = { ...joined, writes: neededFrom({ ...joined, writes }, others, ctx) }
      if (kernelBindings(kernelEqns(merged), merged.writes, rules) > ctx.maxBindings) continue
      out[h] = merged
      out.splice(n, 1)
      n = h
    }
  }
  return out
}
