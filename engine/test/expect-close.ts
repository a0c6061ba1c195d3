// Small helpers for numeric tests: seeded random arrays, shaped operands, an elementwise
// closeness assertion with a float32-sized default tolerance, and how far two sets of weights are.

import { expect } from 'vitest'
import type { Operand } from './run-op'
import { createRng } from '../util/rng'

export function randomArray(n: number, seed: number, lo = -1, hi = 1): number[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => rng.uniform(lo, hi))
}

export function operand(shape: number[], data: number[]): Operand {
  return { shape, data }
}

export function expectClose(got: readonly number[], want: readonly number[], tol = 1e-5): void {
  expect(got.length).toBe(want.length)
  const bad = got.flatMap((g, i) => {
    const w = want[i] ?? NaN
    return Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)) ? [] : [`[${i}] ${g} != ${w}`]
  })
  expect(bad).toEqual([])
}

export type Tensors = Readonly<Record<string, { readonly data: Float32Array }>>

/** The largest difference between two sets of weights, relative to each tensor's largest value. */
export function maxRelative(a: Tensors, b: Tensors): number {
  let worst = 0
  for (const [name, t] of Object.entries(a)) {
    const other = b[name]?.data
    if (other?.length !== t.data.length) return Infinity
    const scale = t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6)
    t.data.forEach((v, i) => {
      const e = Math.abs((other[i] ?? NaN) - v) / scale
      if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e
    })
  }
  return worst
}
