// Common-subexpression elimination: an equation with the same op, operands and attributes as
// an earlier one is replaced by it (operands of commutative ops compared as a set). Autodiff
// and sugar emit many repeated constants and shapes; this folds them.

import type { Eqn, OpName, Program } from '../ir'

const COMMUTATIVE: ReadonlySet<OpName> = new Set(['add', 'mul', 'maximum', 'minimum'])

/** JSON writes ±Infinity and NaN all as null: keep them apart (full(-inf) is not full(inf)). */
const exact = (_: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isFinite(v) ? String(v) : v

export function cse(p: Program): Program {
  const subst = new Map<number, number>()
  const seen = new Map<string, number>()
  const eqns: Eqn[] = []
  for (const e of p.eqns) {
    const args = e.args.map((a) => subst.get(a) ?? a)
    const keyArgs = COMMUTATIVE.has(e.op) ? [...args].sort((x, y) => x - y) : args
    const key = `${e.op}(${keyArgs.join(',')})${JSON.stringify(e.attrs, exact)}`
    const hit = seen.get(key)
    if (hit !== undefined) {
      subst.set(e.id, hit)
      continue
    }
    seen.set(key, e.id)
    eqns.push({ ...e, args })
  }
  const outputs = p.outputs.map((o) => ({ ...o, id: subst.get(o.id) ?? o.id }))
  return { inputs: p.inputs, eqns, outputs }
}
