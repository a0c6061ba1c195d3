// Small helpers for numeric tests: seeded random arrays, shaped operands and an elementwise
// closeness assertion with a float32-sized default tolerance.

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
