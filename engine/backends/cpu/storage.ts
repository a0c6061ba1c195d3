// Where every value of a Program lives on the CPU: the backend's own buffer assignment, made
// from the program (not from passes' plan) so it can do three things a shared plan cannot.
// Constants (full, iota and anything computed only from them) get their own buffers and are
// computed once; reshape and stop_gradient share their operand's storage instead of copying;
// and an optimizer update whose last read of the old value is its own elementwise equation
// writes straight into the param or state buffer, so no copy follows the step. Everything
// else gets a pooled buffer by liveness (best fit), as in passes/memory.

import type { Program } from '../../ir'
import { numel, opDef } from '../../ir'
import type { Fusions } from './fusion'

export type SlotKind = 'resident' | 'const' | 'pooled'

export interface Slot {
  readonly kind: SlotKind
  /** Elements. */
  readonly size: number
}

export interface Storage {
  readonly slots: readonly Slot[]
  /** Slot of every value id (inputs and equations). */
  readonly slotOf: ReadonlyMap<number, number>
  /** Slot of each resident input, by name. */
  readonly residentSlot: ReadonlyMap<string, number>
  /** Per equation: 'run' each step, 'once' at creation (constants), 'skip' (shares storage). */
  readonly mode: readonly ('run' | 'once' | 'skip')[]
  /** Outputs that still need a copy into their updated input after a step. */
  readonly copies: readonly { readonly from: number; readonly to: string }[]
  /** Pooled slots whose values die after equation i (for poisoning in tests). */
  readonly freedAfter: readonly (readonly number[])[]
}

const ALIAS_OPS: ReadonlySet<string> = new Set(['reshape', 'stop_gradient'])

const NO_FUSIONS: Fusions = { fused: new Map(), folded: new Set() }

export function planStorage(p: Program, fusions: Fusions = NO_FUSIONS): Storage {
  const root = new Map<number, number>()
  const constant = new Set<number>()
  const mode: ('run' | 'once' | 'skip')[] = []
  for (const [i, e] of p.eqns.entries()) {
    const a0 = e.args[0]
    if (fusions.folded.has(i)) mode.push('skip')
    else if (ALIAS_OPS.has(e.op) && a0 !== undefined) {
      root.set(e.id, root.get(a0) ?? a0)
      if (constant.has(a0)) constant.add(e.id)
      mode.push('skip')
    } else if (e.args.every((a) => constant.has(a))) {
      constant.add(e.id)
      mode.push('once')
    } else mode.push('run')
  }
  const rootOf = (id: number): number => root.get(id) ?? id
  const last = lastUses(p, rootOf, readsMoved(p, fusions))
  const inPlace = findInPlace(p, rootOf, last, constant)
  return assign(p, { rootOf, constant, inPlace, last, mode })
}

/** A folded producer's operands are read by its consumer: producer position → consumer's. */
function readsMoved(p: Program, fusions: Fusions): Map<number, number> {
  const moved = new Map<number, number>()
  const position = new Map(p.eqns.map((e, i) => [e.id, i]))
  for (const at of fusions.fused.keys()) {
    for (const a of p.eqns[at]?.args ?? []) {
      const from = position.get(a)
      if (from !== undefined && fusions.folded.has(from)) moved.set(from, at)
    }
  }
  return moved
}

/** Last equation position reading each root (aliases count for their root); outputs: ∞. */
function lastUses(
  p: Program,
  rootOf: (id: number) => number,
  moved: ReadonlyMap<number, number>,
): Map<number, number> {
  const last = new Map<number, number>()
  const read = (id: number, at: number): void => {
    last.set(rootOf(id), Math.max(last.get(rootOf(id)) ?? at, at))
  }
  p.eqns.forEach((e, i) => {
    read(e.id, i)
    for (const a of e.args) read(a, moved.get(i) ?? i)
  })
  for (const o of p.outputs) last.set(rootOf(o.id), Infinity)
  return last
}

/** Update outputs that can be computed directly in their input's buffer: value id → input. */
function findInPlace(
  p: Program,
  rootOf: (id: number) => number,
  last: ReadonlyMap<number, number>,
  constant: ReadonlySet<number>,
): Map<number, number> {
  const inputIds = new Map(p.inputs.map((i) => [i.name, i.id]))
  const position = new Map(p.eqns.map((e, i) => [e.id, i]))
  const updated = p.outputs.filter((o) => o.updates !== undefined)
  const claimed = new Set<number>()
  const result = new Map<number, number>()
  for (const o of updated) {
    const input = inputIds.get(o.updates ?? '')
    const at = position.get(o.id) ?? -1
    const e = p.eqns[at]
    if (input === undefined || e === undefined || claimed.has(o.id)) continue
    const alone = updated.filter((u) => u.id === o.id || u.updates === o.updates).length === 1
    const lastRead = last.get(input) ?? -1
    if (alone && lastRead <= at && !constant.has(o.id) && fitsInPlace(p, e, input, rootOf)) {
      result.set(o.id, input)
      claimed.add(o.id)
    }
  }
  return result
}

/** An elementwise equation that reads the input only element for element (no broadcast). */
function fitsInPlace(
  p: Program,
  e: Program['eqns'][number],
  input: number,
  rootOf: (id: number) => number,
): boolean {
  if (rootOf(e.id) !== e.id || opDef(e.op).kind !== 'elementwise') return false
  return e.args.every((a) => rootOf(a) !== input || numel(e.shape) === numel(shapeOf(p, a)))
}

function shapeOf(p: Program, id: number): readonly number[] {
  return p.eqns.find((e) => e.id === id)?.shape ?? p.inputs.find((i) => i.id === id)?.shape ?? []
}

interface Facts {
  readonly rootOf: (id: number) => number
  readonly constant: ReadonlySet<number>
  readonly inPlace: ReadonlyMap<number, number>
  readonly last: ReadonlyMap<number, number>
  readonly mode: ('run' | 'once' | 'skip')[]
}

function assign(p: Program, f: Facts): Storage {
  const slots: Slot[] = []
  const slotOf = new Map<number, number>()
  const residentSlot = new Map<string, number>()
  for (const i of p.inputs) {
    slotOf.set(i.id, slots.push({ kind: 'resident', size: numel(i.shape) }) - 1)
    residentSlot.set(i.name, slotOf.get(i.id) ?? 0)
  }
  const free: number[] = []
  const dying = new Map<number, number[]>()
  const freedAfter: number[][] = p.eqns.map(() => [])
  p.eqns.forEach((e, i) => {
    const r = f.rootOf(e.id)
    const into = f.inPlace.get(e.id)
    if (r !== e.id) slotOf.set(e.id, slotOf.get(r) ?? -1)
    else if (into !== undefined) slotOf.set(e.id, slotOf.get(into) ?? -1)
    else if (f.constant.has(e.id)) {
      slotOf.set(e.id, slots.push({ kind: 'const', size: numel(e.shape) }) - 1)
    } else {
      const s = takeSlot(free, slots, numel(e.shape))
      slotOf.set(e.id, s)
      const end = f.last.get(e.id) ?? i
      if (end !== Infinity) dying.set(end, [...(dying.get(end) ?? []), s])
    }
    for (const s of dying.get(i) ?? []) {
      free.push(s)
      freedAfter[i]?.push(s)
    }
  })
  const copies = p.outputs.flatMap((o) =>
    o.updates === undefined || f.inPlace.has(o.id) ? [] : [{ from: o.id, to: o.updates }],
  )
  return { slots, slotOf, residentSlot, mode: f.mode, copies, freedAfter }
}

/** The smallest free pooled slot that fits without wasting more than half; else a new one. */
function takeSlot(free: number[], slots: Slot[], need: number): number {
  let best = -1
  for (const s of free) {
    const size = slots[s]?.size ?? 0
    const fits = size >= need && size <= 2 * Math.max(need, 1)
    if (fits && (best < 0 || size < (slots[best]?.size ?? 0))) best = s
  }
  if (best >= 0) {
    free.splice(free.indexOf(best), 1)
    return best
  }
  return slots.push({ kind: 'pooled', size: need }) - 1
}
