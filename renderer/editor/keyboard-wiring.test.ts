// Wiring without a pointer: names people hear for nodes and connections, the inputs a node's
// output may go to, each checked as a drop would be, and where a layer added after another goes.
import { describe, expect, it } from 'vitest'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { addLayer, removeEdges, setLabel } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'
import { coversNode } from './free-spot'
import { connectOptions, displayNames, linkName, spotAfter, wireAfter } from './keyboard-wiring'

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

  it('puts a layer added after another to its right, below any card it would cover', () => {
    const g = starterGraph()
    expect(spotAfter(g, 'softmax-1', 'relu')).toEqual({ x: 4 * 212 + 168 + 72, y: 0 })
    const below = spotAfter(g, 'input-1', 'dense')
    expect(below?.x).toBe(168 + 72)
    expect(below?.y).toBeGreaterThanOrEqual(112)
    expect(below && coversNode(g, 'dense', below)).toBe(false)
    expect(spotAfter(g, 'nothing', 'relu')).toBeUndefined()
  })

  it('wires a layer added after another, or says why it cannot', () => {
    const g = addLayer(starterGraph(), 'relu', { x: 0, y: 400 }).graph
    const wired = wireAfter(g, 'softmax-1', 'relu-1')
    expect(wired.ok && wired.graph.edges.at(-1)).toMatchObject({
      source: { node: 'softmax-1', port: 'y' },
      target: { node: 'relu-1', port: 'x' },
    })
    const refused = wireAfter(g, 'softmax-1', 'input-1')
    expect(refused).toEqual({ ok: false, reason: 'Input takes no input.' })
  })
})
