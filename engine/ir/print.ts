// Stable, jaxpr-like text of a Program for golden tests and debug output. Inputs print by
// name, equation values as %n renumbered in order, so goldens survive id changes in passes.

import type { OpKind } from './ops'
import { opDef } from './ops'
import type { Eqn, Program } from './program'
import type { Shape } from './shape'

export interface PrintOptions {
  /** Keep the program's own ids instead of renumbering from %0 (default false). */
  readonly keepIds?: boolean
}

export function printProgram(p: Program, opts: PrintOptions = {}): string {
  const name = valueNamer(p, opts.keepIds ?? false)
  const width = Math.max(0, ...p.inputs.map((i) => i.kind.length))
  const lines: string[] = []
  for (const i of p.inputs) {
    lines.push(`  ${i.kind.padEnd(width)} ${i.name}:${fmtType(i.shape)}`)
  }
  lines.push('  ──')
  for (const e of p.eqns) lines.push(`  ${printEqn(e, name)}`)
  lines.push('  ──')
  for (const o of p.outputs) {
    const alias = o.updates === undefined ? '' : `  (updates ${o.updates})`
    lines.push(`  out ${o.name} = ${name(o.id)}${alias}`)
  }
  return `program {\n${lines.join('\n')}\n}\n`
}

export function printEqn(e: Eqn, name: (id: number) => string = (id) => `%${id}`): string {
  const args = e.args.map(name).join(' ')
  const attrs = fmtAttrs(e, opDef(e.op).kind)
  return `${name(e.id)}:${fmtType(e.shape)} = ${e.op}${args ? ` ${args}` : ''}${attrs}`
}

/** Maps value ids to printed names: input names, or %n in order of definition. */
export function valueNamer(p: Program, keepIds: boolean): (id: number) => string {
  const names = new Map<number, string>()
  for (const i of p.inputs) names.set(i.id, i.name)
  p.eqns.forEach((e, n) => names.set(e.id, `%${keepIds ? e.id : n}`))
  return (id) => names.get(id) ?? `%?${id}`
}

export function fmtType(shape: Shape): string {
  return `f32[${shape.join(',')}]`
}

function fmtAttrs(e: Eqn, kind: OpKind): string {
  if (e.op === 'full') return ` ${fmtNumber(e.attrs.value)}`
  const parts: string[] = []
  for (const [key, v] of Object.entries(e.attrs)) {
    // A source's shape is its type, already printed.
    if (kind === 'source' && key === 'shape') continue
    if (v === false) continue
    if (v === true) parts.push(key)
    else parts.push(`${key}=${Array.isArray(v) ? `[${v.join(',')}]` : fmtNumber(Number(v))}`)
  }
  return parts.length ? ` {${parts.join(', ')}}` : ''
}

/** Shortest decimal that reads back as the same float32 (values run in float32). */
export function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  const target = Math.fround(v)
  for (let digits = 1; digits < 17; digits++) {
    const text = String(Number(v.toPrecision(digits)))
    if (Math.fround(Number(text)) === target) return text
  }
  return String(v)
}
