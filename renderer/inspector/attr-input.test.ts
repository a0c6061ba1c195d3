// The inspector's refusals: out-of-range and malformed values are refused with the range.
import { describe, expect, it } from 'vitest'
import { bool, choice, float, int, shape } from '../../engine/graph/attrs'
import { parseAttrInput, rangeText } from './attr-input'

const units = int({ default: 8, min: 1, max: 65536, label: 'Units' })
const rate = float({ default: 0.5, min: 0, max: 0.99, label: 'Drop probability' })

describe('parseAttrInput', () => {
  it('accepts whole numbers in range', () => {
    expect(parseAttrInput('Units', units, '16')).toEqual({ value: 16 })
    expect(parseAttrInput('Units', units, ' 65536 ')).toEqual({ value: 65536 })
  })

  it.each([
    ['0', 'Units must be between 1 and 65536'],
    ['100000', 'Units must be between 1 and 65536'],
    ['2.5', 'Units must be a whole number between 1 and 65536'],
    ['', 'Units must be a whole number between 1 and 65536'],
    ['many', 'Units must be a whole number between 1 and 65536'],
  ])('refuses "%s": %s', (text, error) => {
    expect(parseAttrInput('Units', units, text)).toEqual({ error })
  })

  it('accepts and refuses floats by their range', () => {
    expect(parseAttrInput('Drop probability', rate, '0.25')).toEqual({ value: 0.25 })
    expect(parseAttrInput('Drop probability', rate, '1')).toEqual({
      error: 'Drop probability must be between 0 and 0.99',
    })
    expect(parseAttrInput('Drop probability', rate, 'Infinity')).toEqual({
      error: 'Drop probability must be a number between 0 and 0.99',
    })
  })

  it('normalises shapes and refuses bad dimensions', () => {
    const s = shape({ default: '2', label: 'Shape' })
    expect(parseAttrInput('Shape', s, '1 x 28 x 28')).toEqual({ value: '1, 28, 28' })
    const bad = parseAttrInput('Shape', s, '2, 0')
    expect('error' in bad && bad.error).toMatch(/^Shape: "0" is not a dimension/)
  })

  it('checks choices and toggles', () => {
    const form = choice({ default: 'erf', options: ['erf', 'tanh'], label: 'Form' })
    expect(parseAttrInput('Form', form, 'tanh')).toEqual({ value: 'tanh' })
    expect(parseAttrInput('Form', form, 'cubic')).toEqual({
      error: 'Form must be one of erf, tanh',
    })
    const bias = bool({ default: true, label: 'Bias' })
    expect(parseAttrInput('Bias', bias, 'false')).toEqual({ value: false })
  })
})

describe('rangeText', () => {
  it('names the range of numbers only', () => {
    expect(rangeText(units)).toBe('1 to 65536')
    expect(rangeText(rate)).toBe('0 to 0.99')
    expect(rangeText(bool({ default: true }))).toBeNull()
    expect(rangeText({ ...rate, min: 0, max: Infinity })).toBe('0 or more')
  })

  it('says "at least" where there is no maximum, not "between 0 and Infinity"', () => {
    const clip = { ...rate, min: 0, max: Infinity }
    expect(parseAttrInput('Clip', clip, '-1')).toEqual({ error: 'Clip must be at least 0' })
    expect(parseAttrInput('Clip', clip, 'x')).toEqual({
      error: 'Clip must be a number, at least 0',
    })
  })
})
