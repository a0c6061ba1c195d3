// Groups elementwise chains with the op that produces them (a matmul and its bias add and
// activation, say) as data for a later WebGPU fusion pass; the CPU backend ignores it. A group
// is one future kernel: an anchor op followed by elementwise ops over the same output shape, or,
// after a reduction over the last axis, over the rows it reduced (rowShape).

import type { Eqn, Program, ValueInfo } from '../ir'
import {
  consumers,
  numel,
  opDef,
  sameShape,
  updateTargets,
  useCounts,
  valueNamer,
  valueTable,
} from '../ir'

export interface FusionGroup {
  /** Value ids of the group's equations, in program order; the first is the anchor. */
  readonly eqns: readonly number[]
  /** Values read from outside the group. */
  readonly inputs: readonly number[]
  /** Values used outside the group (by other groups or as program outputs). */
  readonly outputs: readonly number[]
}

/**
 * An elementwise equation joins the group of an operand's producer when that operand has the
 * equation's shape and every other operand was made before the group began (so groups never
 * depend on each other in a cycle). An operand with other uses stays a group output, so the
 * equation joins across it only when it directly follows the group (joining a later one would
 * compute it early and hold its value longer: a tanh's derivative made in the forward pass),
 * or when the group reads the operand's every other use and an update needs the equation (an
 * MSE's difference, read by the loss and by its gradient: the gradient takes the difference's
 * buffer). An operand made after the group began may still come along when an elementwise
 * group makes it from older values for this equation alone: that group joins too (a relu's
 * mask, cmp_gt of the forward activation, runs in the epilogue of the product whose gradient
 * it masks). After a reduction over the last axis that keeps it, ops of the reduced rows' shape
 * join as well (rowShape, rowChains: a softmax). Then groups of elementwise ops only are merged
 * into a later group of their shape that reads them (mergeRoots), so chains that start from
 * several roots (an optimizer's update reading m, v and the gradient) become one kernel. A
 * reshape joins like an elementwise op when only elementwise ops read it (a bias gradient's
 * sum, reshaped, then its SGD update: one kernel). Constants (`full`), and iotas only
 * elementwise ops read, are in no group: a code generator computes them where they are read,
 * so they appear only among group inputs.
 */
export function groupElementwise(p: Program): FusionGroup[] {
  const uses = useCounts(p)
  const groupOf = new Map<number, number>()
  const members: number[][] = []
  const start: number[] = []
  const last: number[] = []
  const t = tablesOf(p)
  const { position, values, eqn: eqnOf, readers: users } = t
  const shapes = new Map(p.eqns.map((e) => [e.id, e.shape]))
  const inlined = inlinedValues(p, t)
  const needed = reachingUpdates(p, eqnOf)
  // Only inlined values (or ones joining too) since the group's last member: joining keeps
  // lives as they were.
  const adjacent = (g: number, i: number, joining: readonly number[]): boolean =>
    p.eqns
      .slice((last[g] ?? i) + 1, i)
      .every((e) => inlined.has(e.id) || joining.includes(groupOf.get(e.id) ?? -1))
  const joins = (e: Eqn): boolean =>
    opDef(e.op).kind === 'elementwise' ||
    e.op === 'expand' ||
    (e.op === 'reshape' && viewInGroup(e, users, eqnOf))
  /** The row shape of group g's anchor when it reduces rows (rowShape), else null. */
  const rowOf = (g: number): readonly number[] | null => {
    const head = eqnOf.get(members[g]?.[0] ?? -1)
    return head === undefined ? null : rowShape(head, values)
  }
  const made = (b: number, g: number): boolean =>
    inlined.has(b) || (position.get(b) ?? -1) < (start[g] ?? 0)
  /**
   * The elementwise group that makes b, when it could as well run inside group g: it reads
   * only what was made before g began, and only `e` reads it (a relu's mask, cmp_gt of the
   * forward activation, made after the product whose gradient it masks).
   */
  const absorbable = (b: number, g: number, e: Eqn): number | undefined => {
    const h = groupOf.get(b)
    const H = h === undefined || h === g ? [] : (members[h] ?? [])
    const fits = (id: number): boolean =>
      isElementwise(t, id) &&
      (eqnOf.get(id)?.args ?? []).every((x) => H.includes(x) || made(x, g)) &&
      (users.get(id) ?? []).every((r) => r === e.id || H.includes(r))
    return H.length > 0 && H.every(fits) ? h : undefined
  }
  /** The groups e's operands other than a need absorbed to join g, or null where none may. */
  const othersFor = (e: Eqn, a: number, g: number): number[] | null => {
    const anchored = !isElementwise(t, members[g]?.[0] ?? -1)
    const absorbed: number[] = []
    for (const b of e.args) {
      // An inlined value is computed wherever it is read: when it was made does not matter.
      if (b === a || groupOf.get(b) === g || made(b, g)) continue
      const h = anchored ? absorbable(b, g, e) : undefined
      if (h === undefined) return null
      absorbed.push(h)
    }
    return absorbed
  }
  /**
   * Whether only g and e read a (no output), so that e joining frees a's buffer instead of
   * holding a value longer; work that makes only reports stays apart (a runtime leaves it out
   * of most steps).
   */
  const internal = (e: Eqn, a: number, g: number): boolean => {
    const readers = users.get(a) ?? []
    const ownedBy = (r: number): boolean => r === e.id || groupOf.get(r) === g
    return needed.has(e.id) && uses.get(a) === readers.length && readers.every(ownedBy)
  }
  /**
   * Whether e may join group g through operand a by shape: a's shape (any shape of as many
   * elements for a reshape, which keeps the flat order), or a row reduction's row shape for an
   * op (an expand too) reading a value of the group's shape; and whether e is such a row-wide
   * member, whose operands broadcast to the row shape.
   */
  const shapeFits = (e: Eqn, a: number, g: number): { fits: boolean; wide: boolean } => {
    const groupShape = shapes.get(members[g]?.[0] ?? -1) ?? []
    const row = rowOf(g)
    const wide = row !== null && sameShape(e.shape, row)
    const widens = wide && sameShape(shapes.get(a) ?? [], groupShape)
    if (e.op === 'expand') return { fits: widens, wide }
    const same = e.op === 'reshape' || sameShape(shapes.get(a) ?? [], e.shape)
    return { fits: same || widens, wide }
  }
  /** Groups to absorb for e to join g through operand a, or null where it may not. */
  const joinVia = (e: Eqn, a: number, i: number): number[] | null => {
    const g = groupOf.get(a)
    if (g === undefined) return null
    const { fits, wide } = shapeFits(e, a, g)
    if (!fits) return null
    const inGroup = (b: number): boolean => groupOf.get(b) === g
    const groupShape = shapes.get(members[g]?.[0] ?? -1) ?? []
    if (!wide && !flatOperands(e, groupShape, values, inGroup)) return null
    const absorbed = othersFor(e, a, g)
    if (absorbed === null) return null
    return internal(e, a, g) || adjacent(g, i, absorbed) ? absorbed : null
  }
  p.eqns.forEach((e, i) => {
    if (inlined.has(e.id)) return
    const way = joins(e) ? bestJoin(e.args, (a) => joinVia(e, a, i)) : null
    const g = way === null ? undefined : groupOf.get(way.a)
    if (way === null || g === undefined) {
      groupOf.set(e.id, members.length)
      members.push([e.id])
      start.push(i)
      last.push(i)
      return
    }
    for (const h of way.absorbed) {
      for (const id of members[h] ?? []) groupOf.set(id, g)
      members[g] = joined(t, members[g] ?? [], members[h] ?? [])
      members[h] = []
    }
    groupOf.set(e.id, g)
    members[g]?.push(e.id)
    last[g] = i
  })
  const kept = rowChains(
    t,
    members.filter((m) => m.length > 0),
    inlined,
  )
  const merged = updatesWithGradients(p, t, mergeRoots(t, kept), inlined)
  return merged.map((eqns) => describe(p, new Set(eqns), eqns))
}

/**
 * The operand whose group an equation joins: the first through which it absorbs the groups of
 * its other operands (one kernel instead of two: a relu's mask joins the product whose
 * gradient it masks), else the first through which it may join at all.
 */
function bestJoin(
  args: readonly number[],
  via: (a: number) => number[] | null,
): { a: number; absorbed: number[] } | null {
  const ways = args.flatMap((a) => {
    const absorbed = via(a)
    return absorbed === null ? [] : [{ a, absorbed }]
  })
  return ways.find((w) => w.absorbed.length > 0) ?? ways[0] ?? null
}

/**
 * A later group of elementwise ops of a row group's row shape joins it when it reads the row
 * group and nothing made after the row group began (a cross-entropy's one-hot and its terms
 * beside the softmax that they scale): it runs in the row epilogue, one kernel fewer.
 */
function rowChains(t: Tables, groups: number[][], inlined: ReadonlySet<number>): number[][] {
  const list = groups.map((g) => [...g])
  for (let b = 0; b < list.length; b++) {
    const row = rowShape(t.eqn.get(list[b]?.[0] ?? -1), t.values)
    if (row === null) continue
    // Inputs, and values of groups before the row group: their kernels run before it.
    const before = new Set(list.slice(0, b).flat())
    for (let a = b + 1; a < list.length; a++) {
      const [A, B] = [list[a] ?? [], new Set(list[b])]
      const wide = A.every(
        (id) => isElementwise(t, id) && sameShape(t.eqn.get(id)?.shape ?? [], row),
      )
      const args = A.flatMap((id) => t.eqn.get(id)?.args ?? []).filter((x) => !A.includes(x))
      const ready = (x: number): boolean =>
        B.has(x) || inlined.has(x) || before.has(x) || !t.eqn.has(x)
      if (!wide || !args.some((x) => B.has(x)) || !args.every(ready)) continue
      list[b] = joined(t, list[b] ?? [], A)
      list.splice(a, 1)
      a--
    }
  }
  return list
}

/** Rows a row reduction's epilogue may fill, each of at most this many elements. */
const ROW_MAX = 1024

/**
 * For a sum or max over the last axis that keeps it ([..., C] to [..., 1], a softmax's), the
 * shape [..., C]: elementwise ops of that shape that read its group's values may join the group
 * and run in its epilogue, a loop over the row (a softmax and its cross-entropy gradient in
 * three kernels where they took six). Else null.
 */
export function rowShape(
  e: Eqn | undefined,
  values: ReadonlyMap<number, ValueInfo>,
): number[] | null {
  if (!isRowReduction(e)) return null
  const x = values.get(e.args[0] ?? -1)?.shape ?? []
  const [axes, C] = [e.attrs.axes, x.at(-1) ?? 1]
  const rowAxis = axes.length === 1 && axes[0] === x.length - 1
  return rowAxis && C > 1 && C <= ROW_MAX ? [...x] : null
}

const isRowReduction = (e: Eqn | undefined): e is Eqn<'sum' | 'max'> =>
  (e?.op === 'sum' || e?.op === 'max') && (e as Eqn<'sum' | 'max'>).attrs.keepdims

/** Values an update output (a parameter's or state's next value) is computed from. */
function reachingUpdates(p: Program, eqnOf: ReadonlyMap<number, Eqn>): Set<number> {
  const reached = new Set<number>()
  const todo = [...updateTargets(p).keys()]
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (reached.has(id)) continue
    reached.add(id)
    todo.push(...(eqnOf.get(id)?.args ?? []))
  }
  return reached
}

/**
 * Values in no group, which a code generator computes where they are read: constants (`full`),
 * and iotas read only by elementwise ops (a class index's one-hot) that the program does not
 * return.
 */
function inlinedValues(p: Program, t: Tables): Set<number> {
  const outputs = new Set(p.outputs.map((o) => o.id))
  const elementwise = (id: number): boolean => isElementwise(t, id)
  return new Set(
    p.eqns
      .filter(
        (e) =>
          e.op === 'full' ||
          (e.op === 'iota' && !outputs.has(e.id) && (t.readers.get(e.id) ?? []).every(elementwise)),
      )
      .map((e) => e.id),
  )
}

/**
 * A reshape joins its operand's group only when every reader is elementwise (or such a
 * reshape), so it stays inside
 * the kernel (a reshape read by a matmul, say, is a view of its source's buffer, free as it is).
 */
function viewInGroup(
  e: Eqn,
  users: ReadonlyMap<number, readonly number[]>,
  eqnOf: ReadonlyMap<number, Eqn>,
): boolean {
  const readers = (users.get(e.id) ?? []).map((r) => eqnOf.get(r))
  return (
    readers.length > 0 &&
    readers.every(
      (r) =>
        r !== undefined &&
        (opDef(r.op).kind === 'elementwise' ||
          (r.op === 'reshape' && viewInGroup(r, users, eqnOf))),
    )
  )
}

/**
 * Past a reshape, a member's shape is not the group's: a kernel indexes every operand by the
 * group's flat index, so such a member may read only group values, scalars and values of its
 * own size (no broadcasting along axes the group does not have).
 */
function flatOperands(
  e: Eqn,
  groupShape: readonly number[],
  values: ReadonlyMap<number, ValueInfo>,
  inGroup: (id: number) => boolean,
): boolean {
  if (sameShape(groupShape, e.shape)) return true
  const n = numel(e.shape)
  return e.args.every((b) => {
    const size = numel(values.get(b)?.shape ?? [n, n])
    return inGroup(b) || size === 1 || size === n
  })
}

/** Lookups the grouping and its merges share, made once per program. */
interface Tables {
  readonly eqn: ReadonlyMap<number, Eqn>
  readonly position: ReadonlyMap<number, number>
  readonly values: ReadonlyMap<number, ValueInfo>
  readonly readers: ReadonlyMap<number, readonly number[]>
}

function tablesOf(p: Program): Tables {
  return {
    eqn: new Map(p.eqns.map((e) => [e.id, e])),
    position: new Map(p.eqns.map((e, i) => [e.id, i])),
    values: valueTable(p),
    readers: consumers(p),
  }
}

const isElementwise = (t: Tables, id: number): boolean =>
  opDef(t.eqn.get(id)?.op ?? 'full').kind === 'elementwise'

/** `group` with `ops` added: its anchor (if any) first, the rest in program order. */
function joined(t: Tables, group: readonly number[], ops: readonly number[]): number[] {
  const byPosition = (x: number, y: number): number =>
    (t.position.get(x) ?? 0) - (t.position.get(y) ?? 0)
  const [head, ...rest] = group
  if (head === undefined || isElementwise(t, head)) return [...group, ...ops].sort(byPosition)
  return [head, ...[...rest, ...ops].sort(byPosition)]
}

/**
 * Merges a group of elementwise ops (A) into a later group (B) of the same shape that reads one
 * of its values, when nothing between them reads A's values: A's ops then run inside B's
 * kernel, after B's anchor. Repeats until no merge applies.
 */
function mergeRoots(t: Tables, groups: number[][]): number[][] {
  const { eqn, readers } = t
  const elementwise = (id: number): boolean => isElementwise(t, id)
  const shapeOf = (g: readonly number[]): readonly number[] => eqn.get(g[0] ?? -1)?.shape ?? []

  /** Whether group a may run inside group b (a before b): nothing between them reads it. */
  const mergeable = (
    list: readonly number[][],
    groupOf: Map<number, number>,
    a: number,
    b: number,
  ) => {
    const A = list[a] ?? []
    if (a >= b || !A.every(elementwise) || !sameShape(shapeOf(A), shapeOf(list[b] ?? []))) {
      return false
    }
    return A.every((id) =>
      (readers.get(id) ?? []).every((r) => {
        const g = groupOf.get(r) ?? -1
        return g === a || g >= b
      }),
    )
  }

  const indexOf = (list: readonly number[][]) =>
    new Map(list.flatMap((g, i) => g.map((id) => [id, i] as const)))
  let list = groups.map((g) => [...g])
  let groupOf = indexOf(list)
  for (let b = 0; b < list.length; b++) {
    const B = list[b] ?? []
    const [head, ...rest] = B
    const anchored = head !== undefined && !elementwise(head)
    // A runs after B's anchor, so only B's elementwise members may read it.
    const anchorReads = new Set((anchored ? eqn.get(head)?.args : [])?.map((id) => groupOf.get(id)))
    const members = anchored ? rest : B
    const read = new Set(
      members.flatMap((id) => eqn.get(id)?.args ?? []).map((id) => groupOf.get(id)),
    )
    const a = [...read].find(
      (g) => g !== undefined && !anchorReads.has(g) && mergeable(list, groupOf, g, b),
    )
    if (a === undefined) continue
    list[b] = joined(t, B, list[a] ?? [])
    list = list.filter((_, i) => i !== a)
    groupOf = indexOf(list)
    b = -1 // indices moved: look again from the start
  }
  return list
}

/**
 * An optimizer's update (a group of elementwise ops only making a parameter's or state's new
 * value: Adam's moments and step) joins the group that makes one of its operands, the
 * gradient, as SGD's single op does by the join rule: it then runs in that kernel's epilogue
 * and the gradient needs no buffer. It may when that group's output has as many elements and
 * every value the update reads is made in either group, inlined, or made before that group
 * began (a clipped update, which waits for every gradient's norm, stays apart).
 */
function updatesWithGradients(
  p: Program,
  t: Tables,
  groups: number[][],
  inlined: ReadonlySet<number>,
): number[][] {
  const { eqn, position, values } = t
  const updates = new Set(updateTargets(p).keys())
  const size = (g: readonly number[]): number => numel(eqn.get(g[0] ?? -1)?.shape ?? [])
  let list = groups.map((g) => [...g])
  for (let u = 0; u < list.length; u++) {
    const U = list[u] ?? []
    if (!U.every((id) => isElementwise(t, id)) || !U.some((id) => updates.has(id))) continue
    const args = U.flatMap((id) => eqn.get(id)?.args ?? []).filter((a) => !U.includes(a))
    const g = list.findIndex((G, i) => {
      if (i >= u || size(G) !== size(U) || !args.some((a) => G.includes(a))) return false
      const start = Math.min(...G.map((id) => position.get(id) ?? Infinity))
      const ready = (a: number): boolean =>
        G.includes(a) || inlined.has(a) || (position.get(a) ?? -1) < start
      const shape = eqn.get(G[0] ?? -1)?.shape ?? []
      const inG = (b: number): boolean => G.includes(b)
      return (
        args.every(ready) &&
        U.every((id) => {
          const e = eqn.get(id)
          return e !== undefined && flatOperands(e, shape, values, inG)
        })
      )
    })
    if (g < 0) continue
    // An update's ops may precede the anchor in the program, but read nothing it makes first.
    list[g] = joined(t, list[g] ?? [], U)
    list = list.filter((_, i) => i !== u)
    u = g
  }
  return list
}

function describe(p: Program, inGroup: ReadonlySet<number>, eqns: number[]): FusionGroup {
  const inputs = new Set<number>()
  const outputs = new Set<number>()
  for (const e of p.eqns) {
    for (const a of e.args) {
      if (inGroup.has(e.id) && !inGroup.has(a)) inputs.add(a)
      if (!inGroup.has(e.id) && inGroup.has(a)) outputs.add(a)
    }
  }
  for (const o of p.outputs) if (inGroup.has(o.id)) outputs.add(o.id)
  return { eqns, inputs: [...inputs], outputs: [...outputs] }
}

export function printGroups(p: Program, groups: readonly FusionGroup[]): string {
  const name = valueNamer(p, false)
  const ops = new Map(p.eqns.map((e) => [e.id, e.op]))
  return (
    groups
      .map((g, i) => {
        const chain = g.eqns.map((id) => `${ops.get(id) ?? '?'} ${name(id)}`).join(' → ')
        const ins = g.inputs.map(name).join(' ')
        return `kernel ${i}: ${chain}\n  in (${ins}) out (${g.outputs.map(name).join(' ')})`
      })
      .join('\n') + '\n'
  )
}
