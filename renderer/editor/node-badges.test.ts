import { describe, expect, it } from 'vitest'
import { inspectGraph } from '../../engine/graph/inspect'
import { getLayer } from '../../engine/graph/registry'
import { chain } from '../../engine/graph/test-graphs'
import type { InspectResult } from '../../engine/protocol/messages'
import { diagnosticText, nodeBadges, sameBadges } from './node-badges'

describe('unit diagnostics on a node', () => {
  it('says how many units are dead or saturated, and nothing when all are healthy', () => {
    expect(diagnosticText({ units: 8, dead: 3, saturated: 0 })).toBe('3 of 8 units dead')
    expect(diagnosticText({ units: 8, dead: 0, saturated: 8 })).toBe('all 8 units saturated')
    expect(diagnosticText({ units: 4, dead: 1, saturated: 2 })).toBe(
      '1 of 4 units dead, 2 of 4 units saturated',
    )
    expect(diagnosticText({ units: 8, dead: 0, saturated: 0 })).toBeNull()
  })

  it('shows them only while the node is as the run probed it: same type, same units', () => {
    const relu = (units: number) =>
      inspectGraph(
        chain([
          ['i', 'input', { shape: '2' }],
          ['d', 'dense', { units }],
          ['a', 'relu'],
          ['l', 'mse'],
        ]),
      )
    const probed = { type: 'relu', units: 8, dead: 3, saturated: 0 }
    expect(nodeBadges('a', getLayer('relu'), relu(8), probed).diagnostic).toBe('3 of 8 units dead')
    // Its Dense layer widened since: 16 units now, of which the run knew nothing.
    expect(nodeBadges('a', getLayer('relu'), relu(16), probed).diagnostic).toBeUndefined()
    // Another activation in its place: a leaky ReLU's units do not die.
    expect(nodeBadges('a', getLayer('leaky-relu'), relu(8), probed).diagnostic).toBeUndefined()
  })
})

describe('problems on a node', () => {
  it('marks the second of two stacked Dense layers with the lesson’s hint', () => {
    const g = chain([
      ['i', 'input', { shape: '2' }],
      ['d1', 'dense'],
      ['d2', 'dense'],
      ['l', 'mse'],
    ])
    const inspection: InspectResult = inspectGraph(g)
    const badges = nodeBadges('d2', getLayer('dense'), inspection)
    expect(badges.problems).toEqual([
      { severity: 'hint', message: expect.stringContaining('Two Dense layers') as string },
    ])
    expect(nodeBadges('d1', getLayer('dense'), inspection).problems).toEqual([])
  })

  it('lists errors first, then warnings, then hints', () => {
    const inspection: InspectResult = {
      nodes: {},
      totals: { params: 0, flops: 0 },
      problems: [
        { severity: 'hint', code: 'linear-collapse', node: 'n', message: 'h' },
        { severity: 'warning', code: 'double-activation', node: 'n', message: 'w' },
        { severity: 'error', code: 'cycle', node: 'other', message: 'elsewhere' },
        { severity: 'error', code: 'cycle', node: 'n', message: 'e' },
      ],
    }
    const badges = nodeBadges('n', undefined, inspection)
    expect(badges.problems.map((p) => `${p.severity}:${p.message}`)).toEqual([
      'error:e',
      'warning:w',
      'hint:h',
    ])
    const asWarning = { ...badges, problems: [{ severity: 'warning' as const, message: 'e' }] }
    const asError = { ...badges, problems: [{ severity: 'error' as const, message: 'e' }] }
    expect(sameBadges(asWarning, asError)).toBe(false)
  })
})
