// Wiring without a pointer: names people hear for nodes and connections, and the inputs a
// node's output may go to, each checked as a drop would be.
import { describe, expect, it } from 'vitest'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { addLayer, removeEdges, setLabel } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'
import { connectOptions, displayNames, linkName, spotAfter } from './keyboard-wiring'

/** The starter graph with no connections. */
function loose(): ModelGraph {
  const g = starterGraph()
  return removeEdges(
    g,
    g.edges.map((e) => e.id),
  )
}

describe('keyboard wiring', () => {
  it('numbers only the names that repeat', () => {
    const names = displayNames(starterGraph())
    expect(names.get('input-1')).toBe('Input')
    expect(names.get('dense-1')).toBe('Dense 1')
    expect(names.get('dense-2')).toBe('Dense 2')
    expect(names.get('tanh-1')).toBe('Tanh')
    const renamed = displayNames(setLabel(starterGraph(), 'tanh-1', 'Dense'))
    expect(renamed.get('tanh-1')).toBe('Dense (tanh-1)')
    expect(renamed.get('dense-1')).toBe('Dense (dense-1)')
  })

  it('names a connection for its ends, and a port only where a node has several', () => {
    const g = starterGraph()
    const edge = g.edges.find((e) => e.target.node === 'tanh-1')
    if (!edge) throw new Error('no edge')
    expect(linkName(g, edge)).toBe('Dense 1 → Tanh')
    const loss = addLayer(g, 'softmax-cross-entropy')
    const toLoss = { source: { node: 'dense-2', port: 'y' }, target: { node: loss.id, port: 'x' } }
    expect(linkName(loss.graph, toLoss)).toBe('Dense 2 → Cross-entropy · prediction')
  })

  it('offers only the inputs a drop would accept, in reading order', () => {
    const g = loose()
    const labels = connectOptions(g, 'input-1').map((o) => o.label)
    expect(labels).toEqual(['Dense 1 · x', 'Tanh · x', 'Dense 2 · x', 'Softmax · x'])
    // Once Tanh feeds Input nothing may feed back; an occupied input is not offered.
    const chained = starterGraph()
    expect(connectOptions(chained, 'tanh-1').map((o) => o.label)).toEqual([])
    expect(connectOptions(chained, 'softmax-1').map((o) => o.label)).toEqual([])
  })

  it('makes the same graph a drop would', () => {
    const [first] = connectOptions(loose(), 'input-1')
    expect(first?.graph.edges).toEqual([
      {
        id: 'link-1',
        source: { node: 'input-1', port: 'y' },
        target: { node: 'dense-1', port: 'x' },
      },
    ])
  })

  it('puts a layer added after another to its right, below anything already there', () => {
    const g = starterGraph()
    expect(spotAfter(g, 'softmax-1')).toEqual({ x: 4 * 212 + 168 + 72, y: 0 })
    const below = spotAfter(g, 'input-1')
    expect(below?.x).toBe(168 + 72)
    expect(below?.y).toBeGreaterThanOrEqual(112)
    expect(spotAfter(g, 'nothing')).toBeUndefined()
  })
})
