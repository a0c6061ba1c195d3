// Dead-code elimination: drops equations whose values reach no output. Inputs stay (they are
// the program's interface even when unused).

import type { Program } from '../ir'

export function dce(p: Program): Program {
  const live = new Set(p.outputs.map((o) => o.id))
  for (let i = p.eqns.length - 1; i >= 0; i--) {
    const e = p.eqns[i]
    if (e && live.has(e.id)) for (const a of e.args) live.add(a)
  }
  return { ...p, eqns: p.eqns.filter((e) => live.has(e.id)) }
}
