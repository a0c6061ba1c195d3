// Time left: steps remaining over a smoothed rate; formatted for people.
import { describe, expect, it } from 'vitest'
import { formatDuration, formatPercent, formatRate, formatValue } from './format'
import { secondsLeft, updateRate } from './time-left'

describe('secondsLeft', () => {
  it('divides the steps left by the rate', () => {
    expect(secondsLeft(1000, 7000, 2000)).toBe(3)
  })
  it('is 0 when finished and unknown without a rate', () => {
    expect(secondsLeft(7000, 7000, null)).toBe(0)
    expect(secondsLeft(10, 7000, null)).toBeNull()
    expect(secondsLeft(10, 7000, 0)).toBeNull()
  })
})

describe('updateRate', () => {
  it('takes the first report as is, then blends', () => {
    const first = updateRate(null, 1000)
    expect(first).toBe(1000)
    expect(updateRate(first, 2000, 0.5)).toBe(1500)
  })
  it('ignores reports of zero or NaN', () => {
    expect(updateRate(500, 0)).toBe(500)
    expect(updateRate(500, NaN)).toBe(500)
  })
})

describe('formatting', () => {
  it.each([
    [0.4, '< 1 s'],
    [42, '42 s'],
    [80, '1 min 20 s'],
    [120, '2 min'],
    [3900, '1 h 5 min'],
  ])('formatDuration(%s) = %s', (s, text) => expect(formatDuration(s)).toBe(text))

  it('formats percentages, values and rates', () => {
    expect(formatPercent(0.9871)).toBe('98.7 %')
    expect(formatPercent(1)).toBe('100.0 %')
    expect(formatValue(0.034123)).toBe('0.0341')
    expect(formatValue(-2.5)).toBe('−2.5')
    expect(formatValue(0.00012)).toBe('1.2e-4')
    expect(formatRate(3400)).toBe('3.4 k steps/s')
  })
})
