// Groups elementwise chains with the op that produces them (a matmul and its bias add and
// activation, say) as data for a later WebGPU fusion pass; the CPU backend ignores it. A group
// is one future kernel: an anchor op followed by elementwise ops over the same output shape.

import type { Program } from '../ir'
import { opDef, sameShape, useCounts, valueNamer } from '../ir'

export interface FusionGroup {
  /** Value ids of the group's equations, in program order; the first is the anchor. */
  readonly eqns: readonly number[]
  /** Values read from outside the group. */
  readonly inputs: readonly number[]
  /** Values used outside the group (by other groups or as program outputs). */
  readonly outputs: readonly number[]
}

/**
 * An elementwise equation joins the group of an operand's producer when that operand has no
 * other use, has the equation's shape, and every other operand was made before the group
 * began (so groups never depend on each other in a cycle). Constants (`full`) are in no
 * group: a code generator inlines them, so they appear only among group inputs.
 */
export function groupElementwise(p: Program): FusionGroup[] {
  const uses = useCounts(p)
  const groupOf = new Map<number, number>()
  const members: number[][] = []
  const start: number[] = []
  const position = new Map(p.eqns.map((e, i) => [e.id, i]))
  const shapes = new Map(p.eqns.map((e) => [e.id, e.shape]))
  p.eqns.forEach((e, i) => {
    if (e.op === 'full') return
    const join =
      opDef(e.op).kind !== 'elementwise'
        ? undefined
        : e.args.find((a) => {
            const g = groupOf.get(a)
            if (g === undefined || uses.get(a) !== 1 || !sameShape(shapes.get(a) ?? [], e.shape))
              return false
            return e.args.every((b) => b === a || (position.get(b) ?? -1) < (start[g] ?? 0))
          })
    const g = join === undefined ? undefined : groupOf.get(join)
    if (g === undefined) {
      groupOf.set(e.id, members.length)
      members.push([e.id])
      start.push(i)
    } else {
      groupOf.set(e.id, g)
      members[g]?.push(e.id)
    }
  })
  return members.map((eqns) => describe(p, new Set(eqns), eqns))
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
