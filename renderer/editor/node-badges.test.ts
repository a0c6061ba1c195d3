import { describe, expect, it } from 'vitest'
import { diagnosticText } from './node-badges'

describe('unit diagnostics on a node', () => {
  it('says how many units are dead or saturated, and nothing when all are healthy', () => {
    expect(diagnosticText({ units: 8, dead: 3, saturated: 0 })).toBe('3 of 8 units dead')
    expect(diagnosticText({ units: 8, dead: 0, saturated: 8 })).toBe('all 8 units saturated')
    expect(diagnosticText({ units: 4, dead: 1, saturated: 2 })).toBe(
      '1 of 4 units dead, 2 of 4 units saturated',
    )
    expect(diagnosticText({ units: 8, dead: 0, saturated: 0 })).toBeNull()
  })
})
