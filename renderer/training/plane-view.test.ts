// The decision surface from a plane probe, the graph's roles and the probe's targets.
import { describe, expect, it } from 'vitest'
import { starterGraph } from '../project/starter-graph'
import { graphRoles, neuronNodes } from './graph-roles'
import { classValue, decisionValues } from './plane-view'
import { targetsOf } from './probe-cycle'

describe('decisionValues', () => {
  it('maps two class scores to p(class 1) − p(class 0)', () => {
    const pred = { shape: [3, 2], data: Float32Array.from([0, 0, 0, 10, 10, 0]) }
    const v = decisionValues(pred, 'classification', 1)
    expect(v[0]).toBeCloseTo(0)
    expect(v[1]).toBeCloseTo(1, 3)
    expect(v[2]).toBeCloseTo(-1, 3)
  })

  it('maps one logit through the sigmoid and passes regression values through', () => {
    const logit = { shape: [2, 1], data: Float32Array.from([0, 100]) }
    expect(Array.from(decisionValues(logit, 'classification', 1))).toEqual([0, 1])
    const values = { shape: [2, 1], data: Float32Array.from([-3, 2.5]) }
    expect(Array.from(decisionValues(values, 'regression', 0))).toEqual([-3, 2.5])
  })

  it('colours the first class orange (−1) and the last blue (+1)', () => {
    expect(classValue(0, 2)).toBe(-1)
    expect(classValue(1, 2)).toBe(1)
    expect(classValue(1, 3)).toBe(0)
  })
})

describe('graph roles', () => {
  it('finds the Input, the activations to diagnose and the neurons to draw', () => {
    const g = starterGraph()
    const roles = graphRoles(g)
    expect(roles.input).toBe('input-1')
    expect(roles.diagnosed).toEqual([{ id: 'tanh-1', type: 'tanh' }])
    expect(roles.dense).toEqual(['dense-1', 'dense-2'])
    // dense-1 is squashed by the Tanh after it; dense-2 feeds a softmax (an activation).
    expect(neuronNodes(g, roles.order)).toEqual(['tanh-1', 'softmax-1'])
  })
})

describe('targetsOf', () => {
  it('reads targets beside an activations probe when the engine sends them', () => {
    const data = Float32Array.from([0, 1])
    expect(targetsOf({ kind: 'activations', targets: { shape: [2], data } })).toBe(data)
    expect(targetsOf({ kind: 'activations' })).toBeNull()
  })
})
