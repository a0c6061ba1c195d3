// Buffer liveness and a memory plan that reuses buffers: each equation's value gets a buffer
// that is free at that point (best fit by size); a buffer is freed after its value's last use.
// Inputs (params, state, data) are resident and planned by the backend, not here.

import type { Program } from '../ir'
import { numel, valueNamer } from '../ir'

const BYTES_PER_ELEMENT = 4

export interface MemoryPlan {
  /** Size of each planned buffer, in elements. */
  readonly buffers: readonly number[]
  /** Buffer index of each equation's value, by position in program.eqns. */
  readonly bufferOf: readonly number[]
  /** Value ids whose buffers are released after equation i (by position). */
  readonly freedAfter: readonly (readonly number[])[]
  readonly plannedBytes: number
  /** Bytes if every equation had its own buffer. */
  readonly naiveBytes: number
  /** Bytes of inputs: params, state, consts and fed data. */
  readonly residentBytes: number
}

/** Position of the last equation that reads each value (outputs: never released). */
export function lastUses(p: Program): Map<number, number> {
  const last = new Map<number, number>()
  p.eqns.forEach((e, i) => {
    last.set(e.id, i)
    for (const a of e.args) last.set(a, i)
  })
  for (const o of p.outputs) last.set(o.id, Infinity)
  return last
}

export function planMemory(p: Program): MemoryPlan {
  const last = lastUses(p)
  const buffers: number[] = []
  const free: number[] = []
  const holder = new Map<number, number>()
  const bufferOf: number[] = []
  const freedAfter: number[][] = p.eqns.map(() => [])
  const made = new Set(p.eqns.map((e) => e.id))
  for (const [id, at] of last) if (made.has(id) && at !== Infinity) freedAfter[at]?.push(id)
  p.eqns.forEach((e, i) => {
    const need = numel(e.shape)
    const fit = bestFit(free, buffers, need)
    const b = fit ?? buffers.push(need) - 1
    if (fit !== undefined) free.splice(free.indexOf(fit), 1)
    bufferOf.push(b)
    holder.set(e.id, b)
    for (const id of freedAfter[i] ?? []) {
      const buf = holder.get(id)
      if (buf !== undefined) free.push(buf)
    }
  })
  const bytes = (n: number): number => n * BYTES_PER_ELEMENT
  return {
    buffers,
    bufferOf,
    freedAfter,
    plannedBytes: bytes(buffers.reduce((s, n) => s + n, 0)),
    naiveBytes: bytes(p.eqns.reduce((s, e) => s + numel(e.shape), 0)),
    residentBytes: bytes(p.inputs.reduce((s, v) => s + numel(v.shape), 0)),
  }
}

/**
 * The smallest free buffer that holds `need` elements without wasting more than half of it
 * (a scalar parked in a large buffer would force the next large value into a new one).
 */
export function bestFit(
  free: readonly number[],
  sizes: readonly number[],
  need: number,
): number | undefined {
  let best: number | undefined
  for (const b of free) {
    const size = sizes[b] ?? 0
    const fits = size >= need && size <= 2 * Math.max(need, 1)
    if (fits && (best === undefined || size < (sizes[best] ?? 0))) best = b
  }
  return best
}

export function printMemory(p: Program, plan: MemoryPlan): string {
  const name = valueNamer(p, false)
  const holders = plan.buffers.map(() => [] as string[])
  p.eqns.forEach((e, i) => holders[plan.bufferOf[i] ?? 0]?.push(name(e.id)))
  const lines = plan.buffers.map(
    (n, b) => `buf${b} ${n * BYTES_PER_ELEMENT} B: ${(holders[b] ?? []).join(' ')}`,
  )
  lines.push(
    `planned ${plan.plannedBytes} B, naive ${plan.naiveBytes} B, ` +
      `resident ${plan.residentBytes} B`,
  )
  return lines.join('\n') + '\n'
}
