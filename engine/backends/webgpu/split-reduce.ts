// Large reductions in two stages, so that more invocations share the work. A reduction whose
// reduced axes form one block, x viewed as [pre, R, post], becomes a reduction over the third
// axis of [pre, G, R/G, post], then over G. Left as one, a reduction to few values is one
// workgroup per value (reduce.ts's cooperative form) and one to many values an invocation per
// value walking all R; either waits on its own loads for R steps. On an H100, the sum of a
// 256×2048 activation took 6.5 ms as one workgroup, microseconds split.

import type { Eqn, Program, Shape } from '../../ir'
import { nextFreeId, numel, valueTable } from '../../ir'
import { isColumns } from './reduce'

/**
 * Inputs smaller than this stay one kernel, by default: on a CPU emulation a workgroup is as
 * good as the whole device and a kernel costs more than it saves. On a GPU one workgroup is a
 * sliver of the device: there the executable splits from SPLIT_ON_GPU (an H100 summed the 32 K
 * floats of a 128×256 activation in about 0.5 ms as one workgroup).
 */
export const SPLIT_FROM = 64 * 1024
export const SPLIT_ON_GPU = 8 * 1024
/** Each part of a reduction to few values (up to FEW, of FEW or more each) walks this many. */
const FEW = 1024
const PER_PART_FEW = 256
/** Each part of a reduction to many values walks at least this many. */
const PER_PART_MANY = 32
const MAX_PARTS = 1024

/** x's non-1 axes as [pre, R, post] around the reduced block, or null when the block is split. */
function block(shape: Shape, axes: readonly number[]): [number, number, number] | null {
  const sizes: [number, number, number] = [1, 1, 1]
  let at: 0 | 1 | 2 = 0 // 0: before the reduced block, 1: in it, 2: after it
  for (const [i, d] of shape.entries()) {
    if (d === 1) continue
    const reduced = axes.includes(i)
    if (reduced && at === 2) return null
    if (reduced) at = 1
    else if (at === 1) at = 2
    sizes[at] = (sizes[at] ?? 1) * d
  }
  return sizes
}

/** Parts for a reduction of R per output into `outputs` values: a power of two, or null. */
function partsFor(R: number, outputs: number): number | null {
  // As reduce.ts chooses: a workgroup per value (few values, many elements each), or an
  // invocation per value.
  const least = outputs <= FEW && R >= FEW ? PER_PART_FEW : PER_PART_MANY
  let parts = 1
  while (parts * 2 <= MAX_PARTS && R % (parts * 2) === 0 && R / (parts * 2) >= least) parts *= 2
  return parts >= 4 ? parts : null
}

type Reduction = Eqn<'sum'> | Eqn<'max'>
const isReduction = (e: Eqn): e is Reduction => e.op === 'sum' || e.op === 'max'

/** The equations replacing `e`: a view as [pre, parts, R/parts, post] and two reductions. */
function split(e: Reduction, sizes: [number, number, number], parts: number, ids: () => number) {
  const [pre, R, post] = sizes
  // Axes of size 1 left out, so a reduction to a scalar ends as one.
  const [before, after] = [pre > 1 ? [pre] : [], post > 1 ? [post] : []]
  const shape = [...before, parts, R / parts, ...after]
  const flat = [...before, ...after]
  const same = flat.length === e.shape.length && flat.every((d, i) => d === e.shape[i])
  const [reshaped, partial] = [ids(), ids()]
  const last = same ? e.id : ids()
  const { op, dtype } = e
  const reduce = (id: number, arg: number, axis: number, out: Shape): Reduction =>
    ({
      id,
      op,
      args: [arg],
      attrs: { axes: [axis], keepdims: false },
      shape: out,
      dtype,
    }) as Reduction
  const eqns: Eqn[] = [
    { id: reshaped, op: 'reshape', args: [e.args[0] ?? -1], attrs: { shape }, shape, dtype },
    reduce(partial, reshaped, before.length + 1, [...before, parts, ...after]),
    reduce(last, partial, before.length, flat),
  ]
  if (!same) {
    eqns.push({
      id: e.id,
      op: 'reshape',
      args: [last],
      attrs: { shape: e.shape },
      shape: e.shape,
      dtype,
    })
  }
  return eqns
}

/** How to split `e` (its block sizes and parts), or null when it stays one reduction. */
function plan(e: Eqn, xShape: Shape, from: number): [[number, number, number], number] | null {
  if (!isReduction(e) || numel(xShape) < from || isColumns(xShape, e.attrs.axes)) return null
  const sizes = block(xShape, e.attrs.axes)
  const parts = sizes === null ? null : partsFor(sizes[1], sizes[0] * sizes[2])
  return sizes === null || parts === null ? null : [sizes, parts]
}

/**
 * `p` with each reduction of at least `from` elements split in two where that pays (the same
 * object when there are none).
 */
export function splitReductions(p: Program, from = SPLIT_FROM): Program {
  const values = valueTable(p)
  let next = nextFreeId(p)
  const ids = (): number => next++
  let changed = false
  const eqns: Eqn[] = []
  for (const e of p.eqns) {
    const how = plan(e, values.get(e.args[0] ?? -1)?.shape ?? [], from)
    if (how !== null && isReduction(e)) {
      eqns.push(...split(e, how[0], how[1], ids))
      changed = true
    } else {
      eqns.push(e)
    }
  }
  return changed ? { ...p, eqns } : p
}
