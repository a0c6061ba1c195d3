// The activation plot's path: scaled into the box, axes where zero falls.
import { describe, expect, it } from 'vitest'
import { relu, tanh } from '../../engine/graph/layers/activations'
import { layers } from '../../engine/graph/registry'
import { activationCurve } from './activation-curves'
import { curvePlot } from './curve-path'

const box = { width: 60, height: 20, pad: 0 }

describe('curvePlot', () => {
  it('draws ReLU flat on the bottom edge, then rising to the top right', () => {
    const plot = curvePlot((x) => relu.curve(x, {}), box, [-3, 3], 7)
    expect(plot.d).toBe('M0 20 L10 20 L20 20 L30 20 L40 13.33 L50 6.67 L60 0')
    expect(plot.zeroY).toBe(20)
    expect(plot.zeroX).toBe(30)
  })

  it('centres an odd curve: tanh crosses zero mid-height', () => {
    const plot = curvePlot((x) => tanh.curve(x, {}), box, [-3, 3], 3)
    expect(plot.d).toBe('M0 20 L30 10 L60 0')
    expect(plot.zeroY).toBe(10)
  })

  it('has no zero line when the curve stays above zero', () => {
    expect(curvePlot((x) => x + 10, box).zeroY).toBeNull()
  })

  it('draws a constant through the middle and survives non-finite values', () => {
    expect(curvePlot(() => 1, box, [-1, 1], 2).d).toBe('M0 10 L60 10')
    expect(curvePlot(() => Number.NaN, box, [-1, 1], 2).d).toBe('M0 10 L60 10')
  })
})

describe('activationCurve', () => {
  it('draws no two activations alike in the palette box, Hard sigmoid and Identity included', () => {
    const box = { width: 40, height: 22 }
    const drawn = new Map<string, string>()
    for (const layer of layers.values()) {
      const curve = activationCurve(layer.type)
      if (!curve) continue
      const d = curvePlot(curve, box).d
      expect(drawn.get(d), `${layer.type} draws as ${drawn.get(d) ?? ''} does`).toBeUndefined()
      drawn.set(d, layer.type)
    }
    expect(drawn.size).toBeGreaterThan(10)
  })

  it('has a curve for every activation but Softmax, at default attributes', () => {
    const missing = [...layers.values()]
      .filter((l) => l.family === 'activations' && activationCurve(l.type) === null)
      .map((l) => l.type)
    expect(missing).toEqual(['softmax'])
    expect(activationCurve('leaky-relu')?.(-1)).toBeCloseTo(-0.01)
    expect(activationCurve('dense')).toBeNull()
  })
})
