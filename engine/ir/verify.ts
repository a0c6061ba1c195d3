// The IR type checker: every value bound once and defined before use, every equation's
// attributes and shape match its op's rule, outputs and in-place updates well formed.
// Errors name the equation (or input, or output) so a bad transformation is found quickly.

import type { AttrKind, AttrSpec } from './ops'
import { isOpName, opDef } from './ops'
import type { Eqn, Program } from './program'
import type { Shape } from './shape'
import { fmtShape, numel, sameShape, ShapeError } from './shape'

export interface VerifyError {
  /** e.g. `eqn %7 (matmul)`, `input W1`, `output loss`. */
  readonly where: string
  readonly message: string
}

export class IrVerifyError extends Error {
  override name = 'IrVerifyError'
  constructor(readonly errors: readonly VerifyError[]) {
    super(errors.map((e) => `${e.where}: ${e.message}`).join('\n'))
  }
}

export function verify(p: Program): VerifyError[] {
  const errors: VerifyError[] = []
  const shapes = new Map<number, Shape>()
  const names = new Set<string>()
  for (const i of p.inputs) {
    const where = `input ${i.name}`
    const say = (message: string): void => void errors.push({ where, message })
    if (shapes.has(i.id)) say(`id %${i.id} bound twice`)
    if (names.has(i.name)) say('name used twice')
    if (!i.shape.every((d) => Number.isInteger(d) && d >= 0)) say(`bad shape ${fmtShape(i.shape)}`)
    if (i.kind === 'const' && i.data === undefined) say('const without data')
    if (i.data !== undefined && i.data.length !== numel(i.shape)) {
      say(`${i.data.length} values for shape ${fmtShape(i.shape)}`)
    }
    names.add(i.name)
    shapes.set(i.id, i.shape)
  }
  for (const e of p.eqns) {
    const where = `eqn %${e.id} (${e.op})`
    for (const message of checkEqn(e, shapes)) errors.push({ where, message })
    if (!shapes.has(e.id)) shapes.set(e.id, e.shape)
  }
  errors.push(...checkOutputs(p, shapes))
  return errors
}

/** Throws IrVerifyError listing every problem; returns the program for chaining. */
export function assertValid(p: Program): Program {
  const errors = verify(p)
  if (errors.length > 0) throw new IrVerifyError(errors)
  return p
}

function checkEqn(e: Eqn, shapes: Map<number, Shape>): string[] {
  if (!isOpName(e.op)) return [`unknown op ${String(e.op)}`]
  const out: string[] = []
  if (shapes.has(e.id)) out.push(`id %${e.id} bound twice`)
  const argShapes: Shape[] = []
  for (const a of e.args) {
    const s = shapes.get(a)
    if (s === undefined) out.push(`operand %${a} is not defined before use`)
    else argShapes.push(s)
  }
  const d = opDef(e.op)
  if (d.arity === 'variadic' ? e.args.length === 0 : e.args.length !== d.arity) {
    out.push(`expects ${d.arity} operands, got ${e.args.length}`)
  }
  out.push(...checkAttrs(d.attrs, e.attrs))
  if (out.length > 0) return out
  try {
    const want = d.shape(argShapes, e.attrs)
    if (!sameShape(want, e.shape)) {
      out.push(`shape ${fmtShape(e.shape)} recorded, rule gives ${fmtShape(want)}`)
    }
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err
    out.push(`${err.message} (operands ${argShapes.map(fmtShape).join(' ')})`)
  }
  return out
}

function checkAttrs(schema: Readonly<Record<string, AttrSpec>>, attrs: object): string[] {
  const out: string[] = []
  const given = new Map<string, unknown>(Object.entries(attrs))
  for (const [key, spec] of Object.entries(schema)) {
    const kind = spec.replace('?', '') as AttrKind
    const value = given.get(key)
    if (value === undefined && !spec.endsWith('?')) out.push(`attribute ${key} missing`)
    else if (value !== undefined && !attrFits(kind, value))
      out.push(`attribute ${key} is not ${kind}`)
    given.delete(key)
  }
  for (const key of given.keys()) out.push(`unknown attribute ${key}`)
  return out
}

function attrFits(kind: AttrKind, v: unknown): boolean {
  switch (kind) {
    case 'bool':
      return typeof v === 'boolean'
    case 'float':
      return typeof v === 'number'
    case 'int':
      return Number.isInteger(v)
    case 'ints':
      return Array.isArray(v) && v.every((x) => Number.isInteger(x))
  }
}

function checkOutputs(p: Program, shapes: Map<number, Shape>): VerifyError[] {
  const errors: VerifyError[] = []
  const seen = new Set<string>()
  const updated = new Set<string>()
  for (const o of p.outputs) {
    const say = (message: string): void => void errors.push({ where: `output ${o.name}`, message })
    if (seen.has(o.name)) say('name used twice')
    seen.add(o.name)
    const shape = shapes.get(o.id)
    if (shape === undefined) say(`value %${o.id} is not defined`)
    if (o.updates === undefined) continue
    const target = p.inputs.find((i) => i.name === o.updates)
    if (target === undefined || (target.kind !== 'param' && target.kind !== 'state')) {
      say(`updates ${o.updates}, which is not a param or state input`)
    } else if (shape !== undefined && !sameShape(shape, target.shape)) {
      say(`shape ${fmtShape(shape)} cannot update ${o.updates} ${fmtShape(target.shape)}`)
    }
    if (updated.has(o.updates)) say(`${o.updates} updated twice`)
    updated.add(o.updates)
  }
  return errors
}
