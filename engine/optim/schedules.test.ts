// Learning-rate schedules at chosen steps.

import { describe, expect, it } from 'vitest'
import { learningRate } from './schedules'

describe('learning-rate schedules', () => {
  it('constant, step and exponential', () => {
    expect(learningRate(0.1, { type: 'constant' }, 99)).toBe(0.1)
    const step = { type: 'step', every: 10, gamma: 0.5 } as const
    expect([0, 9, 10, 25].map((s) => learningRate(1, step, s))).toEqual([1, 1, 0.5, 0.25])
    expect(learningRate(1, { type: 'exponential', gamma: 0.9 }, 2)).toBeCloseTo(0.81, 12)
  })
  it('cosine decays to its minimum and stays there', () => {
    const cos = { type: 'cosine', steps: 100, min: 0.1 } as const
    expect(learningRate(1, cos, 0)).toBe(1)
    expect(learningRate(1, cos, 50)).toBeCloseTo(0.55, 12)
    expect(learningRate(1, cos, 100)).toBeCloseTo(0.1, 12)
    expect(learningRate(1, cos, 500)).toBeCloseTo(0.1, 12)
  })
  it('linear warm-up, then the inner schedule from zero', () => {
    const warm = { type: 'warmup', steps: 4, then: { type: 'step', every: 2, gamma: 0.1 } } as const
    expect([0, 1, 3, 4, 5, 6].map((s) => learningRate(1, warm, s))).toEqual(
      [0.25, 0.5, 1, 1, 1, 0.1].map((x) => expect.closeTo(x, 12)),
    )
  })
})
