// Which connections the canvas refuses while they are dragged, and the reasons it gives.
import { describe, expect, it } from 'vitest'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { addLayer, connect } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'
import { checkLink } from './validation'

const port = (node: string, name: string) => ({ node, port: name })

function withNodes(graph: ModelGraph, ...types: string[]): ModelGraph {
  return types.reduce((g, type) => addLayer(g, type).graph, graph)
}

describe('checkLink', () => {
  it('allows a valid connection and returns the graph with it made', () => {
    const graph = withNodes(starterGraph(), 'dense')
    const verdict = checkLink(graph, port('tanh-1', 'y'), port('dense-3', 'x'))
    expect(verdict.ok).toBe(true)
    if (verdict.ok) expect(verdict.graph.edges.at(-1)?.target).toEqual(port('dense-3', 'x'))
  })

  it('refuses an input that already has a connection', () => {
    const verdict = checkLink(starterGraph(), port('softmax-1', 'y'), port('dense-1', 'x'))
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining('Input "x" of Dense already has a connection'),
    })
  })

  it('allows the same input when the drag takes its connection away', () => {
    const graph = withNodes(starterGraph(), 'input')
    const verdict = checkLink(graph, port('input-2', 'y'), port('dense-1', 'x'), 'input-1->dense-1')
    expect(verdict.ok).toBe(true)
    if (verdict.ok) expect(verdict.graph.edges.some((e) => e.id === 'input-1->dense-1')).toBe(false)
  })

  it('refuses a node feeding itself and a loop through others', () => {
    const graph = withNodes(starterGraph(), 'add', 'add')
    expect(checkLink(graph, port('add-1', 'y'), port('add-1', 'a'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('its own output'),
    })
    const chained = connect(graph, port('add-1', 'y'), port('add-2', 'a')).graph
    expect(checkLink(chained, port('add-2', 'y'), port('add-1', 'b'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('loop'),
    })
    // Output to an earlier layer's free input, with no path back: fine.
    expect(checkLink(chained, port('tanh-1', 'y'), port('add-1', 'b')).ok).toBe(true)
  })

  it('refuses shapes that cannot agree, in the engine’s words', () => {
    const graph = withNodes(starterGraph(), 'conv2d', 'add')
    expect(checkLink(graph, port('tanh-1', 'y'), port('conv2d-1', 'x'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Shapes cannot agree: .*image/),
    })
    // Add: a is 8 wide (Tanh), b would be 2 wide (Dense 2).
    const half = connect(graph, port('tanh-1', 'y'), port('add-1', 'a')).graph
    expect(checkLink(half, port('dense-2', 'y'), port('add-1', 'b'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Add needs equal shapes'),
    })
    expect(checkLink(half, port('dense-1', 'y'), port('add-1', 'b')).ok).toBe(true)
  })

  it('allows a link whose source shape is not known yet', () => {
    const graph = withNodes(starterGraph(), 'dense', 'conv2d')
    expect(checkLink(graph, port('dense-3', 'y'), port('conv2d-1', 'x')).ok).toBe(true)
  })
})
