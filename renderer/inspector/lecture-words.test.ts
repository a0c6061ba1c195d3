// The lecture's words with the node's numbers: Dense 8 over 2 inputs has 2·8 + 8 = 24.
import { describe, expect, it } from 'vitest'
import { dense } from '../../engine/graph/layers/dense'
import { lectureWords } from './lecture-words'

describe('lectureWords', () => {
  it('fills in Dense: n linear models over m inputs', () => {
    expect(lectureWords('dense', { weight: [8, 2], bias: [8] })).toEqual({
      rule: 'n linear models over m inputs, m·n + n parameters',
      here: '8 units over 2 inputs: 2·8 + 8 = 24 parameters',
    })
  })

  it('uses the letters of the Dense description the palette and inspector show above it', () => {
    expect(dense.description).toContain('With m inputs and n units it is n linear models')
    expect(dense.description).toContain('m·n + n parameters')
    expect(lectureWords('dense', { weight: [8, 2] })?.rule).toBe(
      'n linear models over m inputs, m·n parameters (no bias)',
    )
  })

  it('drops the bias term when Dense has none, and speaks in the singular', () => {
    expect(lectureWords('dense', { weight: [1, 1] })?.here).toBe(
      '1 unit over 1 input: 1·1 = 1 parameter',
    )
  })

  it('writes big counts in full', () => {
    expect(lectureWords('dense', { weight: [128, 784], bias: [128] })?.here).toBe(
      '128 units over 784 inputs: 784·128 + 128 = 100,480 parameters',
    )
  })

  it('explains Conv2D filters', () => {
    expect(lectureWords('conv2d', { weight: [8, 1, 3, 3], bias: [8] })?.here).toBe(
      '8 filters of 3×3 over 1 channel: 8·1·3·3 + 8 = 80 parameters',
    )
  })

  it('says nothing before inference or for other layers', () => {
    expect(lectureWords('dense', null)).toBeNull()
    expect(lectureWords('relu', {})).toBeNull()
  })
})
