// The diverging palette: orange below zero, white at zero, blue above, symmetric and quantized.
import { describe, expect, it } from 'vitest'
import { NEGATIVE, POSITIVE, ZERO, divergingScale, legendGradient, maxAbs } from './color-scale'

const rgbAt = (scale: ReturnType<typeof divergingScale>, v: number) => {
  const i = scale.index(v) * 3
  return [scale.table[i], scale.table[i + 1], scale.table[i + 2]]
}

describe('divergingScale', () => {
  const scale = divergingScale(2)

  it('maps −bound to orange, 0 to white and +bound to blue', () => {
    expect(rgbAt(scale, -2)).toEqual([...NEGATIVE])
    expect(rgbAt(scale, 0)).toEqual([...ZERO])
    expect(rgbAt(scale, 2)).toEqual([...POSITIVE])
  })

  it('is symmetric, clamps outside the range and quantizes', () => {
    expect(scale.min).toBe(-2)
    expect(scale.max).toBe(2)
    expect(scale.index(-0.5) + scale.index(0.5)).toBe(scale.levels - 1)
    expect(scale.index(100)).toBe(scale.levels - 1)
    expect(scale.index(-100)).toBe(0)
    expect(scale.index(0.001)).toBe(scale.index(0))
    expect(new Set([0.1, 0.2, 0.3, 0.4].map((v) => scale.index(v))).size).toBeLessThan(4)
  })

  it('keeps the sign meaning whatever the bound', () => {
    for (const bound of [0.01, 1, 1000]) {
      const s = divergingScale(bound)
      expect(s.index(-bound / 2)).toBeLessThan(s.index(0))
      expect(s.index(bound / 2)).toBeGreaterThan(s.index(0))
    }
  })

  it('survives a zero or non-finite bound and NaN values', () => {
    expect(divergingScale(0).max).toBe(1)
    expect(divergingScale(NaN).max).toBe(1)
    expect(scale.index(NaN)).toBe((scale.levels - 1) / 2)
  })

  it('gives a legend gradient from orange to blue', () => {
    const css = legendGradient(scale)
    expect(css.startsWith('linear-gradient(to right, rgb(245, 147, 34)')).toBe(true)
    expect(css.trimEnd().endsWith('rgb(8, 119, 189) 100%)')).toBe(true)
  })
})

describe('maxAbs', () => {
  it('takes the largest magnitude among finite values', () => {
    expect(maxAbs([1, -3, 2, NaN, Infinity])).toBe(3)
    expect(maxAbs([])).toBe(0)
  })
})
