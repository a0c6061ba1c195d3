// Program: the tensor IR as plain JSON-able data in A-normal form. Named inputs, a list of
// equations (one op, operand ids, attributes, static output shape) and named outputs.

import type { DType, OpAttrs, OpName } from './ops'
import type { Shape } from './shape'

/** input: fed per step (data); param: trained; state: carried between steps; const: fixed data. */
export type InputKind = 'input' | 'param' | 'state' | 'const'

export interface InputDecl {
  readonly id: number
  readonly name: string
  readonly kind: InputKind
  readonly shape: Shape
  readonly dtype: DType
  /** Values of a const input (row-major), or the initial value of a state (omitted: zeros). */
  readonly data?: readonly number[]
}

/** One equation `%id = op args {attrs}`; a union over ops so attrs are typed by op. */
export type Eqn<K extends OpName = OpName> = {
  [P in K]: {
    readonly id: number
    readonly op: P
    readonly args: readonly number[]
    readonly attrs: OpAttrs[P]
    readonly shape: Shape
    readonly dtype: DType
  }
}[K]

export interface OutputDecl {
  readonly name: string
  readonly id: number
  /**
   * In-place aliasing: after each step the backend stores this output in the buffer of the
   * named param or state input (an optimizer update), so the next step reads the new value.
   */
  readonly updates?: string
}

export interface Program {
  readonly inputs: readonly InputDecl[]
  readonly eqns: readonly Eqn[]
  readonly outputs: readonly OutputDecl[]
}

export interface ValueInfo {
  readonly shape: Shape
  readonly dtype: DType
}

/** Shape and dtype of every value id (inputs and equations). */
export function valueTable(p: Program): Map<number, ValueInfo> {
  const t = new Map<number, ValueInfo>()
  for (const i of p.inputs) t.set(i.id, i)
  for (const e of p.eqns) t.set(e.id, e)
  return t
}

export function inputNamed(p: Program, name: string): InputDecl | undefined {
  return p.inputs.find((i) => i.name === name)
}

export function outputNamed(p: Program, name: string): OutputDecl | undefined {
  return p.outputs.find((o) => o.name === name)
}

/** Each update output (a parameter's or state's next value) → the input it replaces. */
export function updateTargets(p: Program): Map<number, number> {
  const inputs = new Map(p.inputs.map((i) => [i.name, i.id]))
  return new Map(
    p.outputs.flatMap((o) => {
      const input = o.updates === undefined ? undefined : inputs.get(o.updates)
      return input === undefined ? [] : [[o.id, input] as const]
    }),
  )
}

/** The first id not used by any value; transformations append from here. */
export function nextFreeId(p: Program): number {
  let max = -1
  for (const i of p.inputs) max = Math.max(max, i.id)
  for (const e of p.eqns) max = Math.max(max, e.id)
  return max + 1
}

/** The equations that read each value (ids, in program order). */
export function consumers(p: Program): Map<number, number[]> {
  const users = new Map<number, number[]>()
  for (const e of p.eqns) {
    for (const a of e.args) users.set(a, [...(users.get(a) ?? []), e.id])
  }
  return users
}

/** How many equations and outputs read each value. */
export function useCounts(p: Program): Map<number, number> {
  const uses = new Map<number, number>()
  const bump = (id: number): void => {
    uses.set(id, (uses.get(id) ?? 0) + 1)
  }
  for (const e of p.eqns) e.args.forEach(bump)
  for (const o of p.outputs) bump(o.id)
  return uses
}
