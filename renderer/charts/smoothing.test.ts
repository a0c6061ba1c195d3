// Curve smoothing: an exponential moving average that is debiased and keeps gaps.
import { describe, expect, it } from 'vitest'
import { smooth } from './smoothing'

describe('smooth', () => {
  it('returns the values unchanged at weight 0', () => {
    expect(smooth([3, 1, null, 2], 0)).toEqual([3, 1, null, 2])
  })

  it('starts at the first value (debiased), not near zero', () => {
    expect(smooth([10, 10, 10], 0.9)).toEqual([10, 10, 10].map(() => expect.closeTo(10, 9)))
  })

  it('damps noise and follows the trend', () => {
    const noisy = Array.from({ length: 200 }, (_, i) => 1 + (i % 2 === 0 ? 0.5 : -0.5))
    const out = smooth(noisy, 0.9)
    const tail = out.slice(100).filter((v): v is number => v !== null)
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThan(0.2)
    expect(tail.reduce((a, b) => a + b, 0) / tail.length).toBeCloseTo(1, 1)
  })

  it('keeps gaps as gaps and skips them in the average', () => {
    expect(smooth([1, null, NaN, 3], 0.5)).toEqual([1, null, null, expect.any(Number)])
  })
})
