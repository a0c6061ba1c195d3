// Function-fitting sets: exact targets, even and random sampling, noise level, seeded split.
import { describe, expect, it } from 'vitest'
import type { FunctionName } from './functions'
import { TARGET_FUNCTIONS, functionDataset, sampleFunction } from './functions'

const NAMES: FunctionName[] = ['sin', 'abs', 'step', 'poly', 'bumps']
const base = { size: 200, noise: 0, trainRatio: 0.8, seed: 3 } as const

describe('function data sets', () => {
  it('sin on [−π, π], evenly spaced, end points included', () => {
    const { x, y } = sampleFunction('sin', { ...base, size: 101, sampling: 'even' })
    expect(x[0]).toBeCloseTo(-Math.PI, 6)
    expect(x[100]).toBeCloseTo(Math.PI, 6)
    expect(x[50]).toBeCloseTo(0, 6)
    x.forEach((xi, i) => expect(y[i]).toBeCloseTo(Math.sin(xi), 6))
  })

  it.each(NAMES)('%s stays in [−1, 1] over its domain', (name) => {
    const { f, domain } = TARGET_FUNCTIONS[name]
    for (let i = 0; i <= 1000; i++) {
      const v = f(domain[0] + ((domain[1] - domain[0]) * i) / 1000)
      expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-9)
    }
  })

  it('step, |x| and the cubic take their textbook values', () => {
    expect(TARGET_FUNCTIONS.step.f(-0.01)).toBe(0)
    expect(TARGET_FUNCTIONS.step.f(0)).toBe(1)
    expect(TARGET_FUNCTIONS.abs.f(-0.5)).toBe(0.5)
    expect(TARGET_FUNCTIONS.poly.f(0.5)).toBeCloseTo(-1, 12)
  })

  it('random sampling: inside the domain, seeded', () => {
    const a = sampleFunction('abs', { ...base, sampling: 'random' })
    const b = sampleFunction('abs', { ...base, sampling: 'random' })
    const c = sampleFunction('abs', { ...base, seed: 4, sampling: 'random' })
    expect(a.x).toEqual(b.x)
    expect(a.x).not.toEqual(c.x)
    for (const xi of a.x) expect(Math.abs(xi)).toBeLessThanOrEqual(1)
  })

  it('noise is Gaussian on the target with the given standard deviation', () => {
    const opts = { ...base, size: 4000, noise: 0.2, sampling: 'random' } as const
    const { x, y } = sampleFunction('poly', opts)
    let sq = 0
    x.forEach((xi, i) => (sq += ((y[i] ?? 0) - TARGET_FUNCTIONS.poly.f(xi)) ** 2))
    expect(Math.sqrt(sq / x.length)).toBeCloseTo(0.2, 1)
  })

  it('splits every sampled point into train or test', () => {
    const d = functionDataset('bumps', { ...base, sampling: 'even' })
    expect([d.train.count, d.test.count]).toEqual([160, 40])
    expect(d.task).toBe('regression')
    expect(d.inputShape).toEqual([1])
    const all = [...d.train.x, ...d.test.x].sort((a, b) => a - b)
    expect(all).toEqual([...sampleFunction('bumps', { ...base, sampling: 'even' }).x])
  })
})
