// Palette search over the real registry: names and aliases find their layer first.
import { describe, expect, it } from 'vitest'
import { layers } from '../../engine/graph/registry'
import { searchLayers, searchScore, squash } from './layer-search'

const all = [...layers.values()]
const first = (query: string): string | undefined => searchLayers(all, query)[0]?.type

describe('searchLayers', () => {
  it.each(['fc', 'linear', 'perceptron', 'Dense', 'fully connected', 'FULLY-CONNECTED'])(
    '"%s" finds Dense first',
    (query) => {
      expect(first(query)).toBe('dense')
    },
  )

  it.each([
    ['relu', 'relu'],
    ['leaky relu', 'leaky-relu'],
    ['swish', 'silu'],
    ['conv', 'conv2d'],
    ['cross', 'softmax-cross-entropy'],
  ])('"%s" finds %s first', (query, type) => {
    expect(first(query)).toBe(type)
  })

  it('an empty query keeps every layer in palette order', () => {
    expect(searchLayers(all, '  ').map((l) => l.type)).toEqual(all.map((l) => l.type))
  })

  it('finds nothing for nonsense', () => {
    expect(searchLayers(all, 'qqzzx')).toEqual([])
  })

  it('ranks names over aliases over descriptions', () => {
    const layer = {
      type: 'widget',
      title: 'Widget',
      aliases: ['gizmo'],
      description: 'Turns cranks and levers.',
    }
    expect(searchScore(layer, 'widget')).toBe(100)
    expect(searchScore(layer, 'gizmo')).toBe(90)
    expect(searchScore(layer, 'wid')).toBe(70)
    expect(searchScore(layer, 'crank')).toBe(10)
    expect(searchScore(layer, 'x')).toBeNull()
  })

  it('squashes case, spaces and dashes', () => {
    expect(squash('Leaky ReLU')).toBe(squash('leaky-relu'))
  })
})
