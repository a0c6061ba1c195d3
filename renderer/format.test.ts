// formatCount / formatParams / formatBytes: the text people read for counts on nodes and in the status bar.
import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatExact, formatParams } from './format'

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [24, '24'],
    [999, '999'],
    [1000, '1 k'],
    [1234, '1.2 k'],
    [1250, '1.3 k'],
    [12_345, '12.3 k'],
    [99_960, '100 k'],
    [123_456, '123 k'],
    [999_499, '999 k'],
    [999_500, '1 M'],
    [1_234_567, '1.2 M'],
    [25_557_032, '25.6 M'],
    [7_000_000_000, '7 G'],
    [2.5e15, '2500 T'],
  ])('%d → %s', (n, text) => {
    expect(formatCount(n)).toBe(text)
  })

  it('keeps the sign and names what is not a number', () => {
    expect(formatCount(-1234)).toBe('−1.2 k')
    expect(formatCount(Number.NaN)).toBe('NaN')
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('Infinity')
  })
})

describe('formatParams', () => {
  it.each([
    [0, 'no parameters'],
    [1, '1 parameter'],
    [24, '24 parameters'],
    [1234, '1.2 k parameters'],
    [1_234_567, '1.2 M parameters'],
  ])('%d → %s', (n, text) => {
    expect(formatParams(n)).toBe(text)
  })
})

describe('formatExact', () => {
  it('writes the whole count with thousands separators', () => {
    expect(formatExact(654_675)).toBe('654,675')
    expect(formatExact(12)).toBe('12')
    expect(formatExact(Number.NaN)).toBe('NaN')
  })
})

describe('formatBytes', () => {
  it('names bytes, kilobytes and megabytes', () => {
    expect(formatBytes(160)).toBe('160 B')
    expect(formatBytes(1588)).toBe('1.6 kB')
    expect(formatBytes(4_200_000)).toBe('4.2 MB')
  })
})
