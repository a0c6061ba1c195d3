// Graph edits made outside the canvas, and the starter graph's shape as the engine infers it.
import { describe, expect, it } from 'vitest'
import { inspectGraph } from '../../engine/graph/inspect'
import { parseModelGraph } from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'
import { addLayer, newNodeId, structureKey } from './graph-edits'
import { starterGraph } from './starter-graph'

describe('starter graph', () => {
  it('is a valid graph the engine infers without errors', () => {
    const graph = starterGraph()
    expect(parseModelGraph(graph).ok).toBe(true)
    const result = inspectGraph(graph)
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(result.nodes['dense-1']?.paramCount).toBe(24)
    expect(result.nodes['dense-2']?.paramCount).toBe(18)
    expect(result.totals.params).toBe(42)
  })
})

describe('addLayer', () => {
  it('adds a node with default attributes and a fresh id to the right', () => {
    const { graph, id } = addLayer(starterGraph(), 'dense')
    expect(id).toBe('dense-3')
    const added = graph.nodes.find((n) => n.id === id)
    const dense = getLayer('dense')
    expect(Object.keys(added?.attrs ?? {})).toEqual(Object.keys(dense?.attrs ?? {}))
    expect(added?.attrs).toMatchObject({ units: 8, bias: true })
    expect(added?.position.x).toBeGreaterThan(
      Math.max(...starterGraph().nodes.map((n) => n.position.x)),
    )
    expect(newNodeId(graph, 'dense')).toBe('dense-4')
  })
})

describe('structureKey', () => {
  it('ignores positions and sees attributes', () => {
    const a = starterGraph()
    const moved = { ...a, nodes: a.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })) }
    expect(structureKey(moved)).toBe(structureKey(a))
    const edited = { ...a, nodes: a.nodes.map((n) => ({ ...n, attrs: { ...n.attrs, units: 3 } })) }
    expect(structureKey(edited)).not.toBe(structureKey(a))
  })
})
