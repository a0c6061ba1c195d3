// Rete ⇄ ModelGraph round trips: what the canvas is given is what it gives back, after loads,
// reconciling edits, and graphs naming layers or ports the registry does not know.
import { NodeEditor } from 'rete'
import { describe, expect, it } from 'vitest'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { addLayer } from '../project/graph-edits'
import { starterGraph } from '../project/starter-graph'
import type { Canvas } from './model-graph'
import { applyGraph, toModelGraph } from './model-graph'
import type { Schemes } from './schemes'

/** A NodeEditor with the little of the area plugin that the translation uses: node positions. */
function testCanvas(): Canvas {
  const editor = new NodeEditor<Schemes>()
  const nodeViews = new Map<string, { position: { x: number; y: number } }>()
  editor.addPipe((context) => {
    if (context.type === 'nodecreated') nodeViews.set(context.data.id, { position: { x: 0, y: 0 } })
    if (context.type === 'noderemoved') nodeViews.delete(context.data.id)
    return context
  })
  const area = {
    nodeViews,
    update: () => Promise.resolve(),
    translate: (id: string, position: { x: number; y: number }) => {
      const view = nodeViews.get(id)
      if (view) view.position = { ...position }
      return Promise.resolve(true)
    },
  }
  // The stub implements only what model-graph.ts calls on the area; this is the test's edge.
  return { editor, area: area as unknown as Canvas['area'] }
}

describe('applyGraph / toModelGraph', () => {
  it('gives back the graph it was given', async () => {
    const canvas = testCanvas()
    const graph = starterGraph()
    const added = await applyGraph(canvas, graph)
    expect(added.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id))
    expect(toModelGraph(canvas, graph.frames)).toEqual(graph)
  })

  it('keeps positions, labels and frames exactly', async () => {
    const canvas = testCanvas()
    const base = starterGraph()
    const graph: ModelGraph = {
      ...base,
      nodes: base.nodes.map((n, i) => ({
        ...n,
        position: { x: n.position.x + 0.5, y: i * 37.25 },
        ...(i === 1 ? { label: 'Hidden' } : {}),
      })),
      frames: [{ id: 'frame-1', label: 'Block', nodes: ['dense-1', 'tanh-1'] }],
    }
    await applyGraph(canvas, graph)
    expect(toModelGraph(canvas, graph.frames)).toEqual(graph)
  })

  it('reconciles by id: adds, removes, moves, relinks and edits in place', async () => {
    const canvas = testCanvas()
    await applyGraph(canvas, starterGraph())
    const dense1 = canvas.editor.getNode('dense-1')
    const base = addLayer(starterGraph(), 'relu').graph
    const next: ModelGraph = {
      ...base,
      nodes: base.nodes
        .filter((n) => n.id !== 'tanh-1')
        .map((n) =>
          n.id === 'dense-1' ? { ...n, attrs: { ...n.attrs, units: 4 }, label: 'Hidden' } : n,
        )
        .map((n) => (n.id === 'input-1' ? { ...n, position: { x: -50, y: 30 } } : n)),
      edges: [
        ...base.edges.filter((e) => e.source.node !== 'tanh-1' && e.target.node !== 'tanh-1'),
        {
          id: 'd1-d2',
          source: { node: 'dense-1', port: 'y' },
          target: { node: 'dense-2', port: 'x' },
        },
      ],
    }
    const added = await applyGraph(canvas, next)
    expect(added.map((n) => n.id)).toEqual(['relu-1'])
    expect(canvas.editor.getNode('dense-1')).toBe(dense1)
    expect(canvas.editor.getNode('dense-1')?.label).toBe('Hidden')
    const back = toModelGraph(canvas, [])
    expect(back.nodes.map((n) => n.id).sort()).toEqual(next.nodes.map((n) => n.id).sort())
    expect(back.nodes.find((n) => n.id === 'input-1')?.position).toEqual({ x: -50, y: 30 })
    expect(back.nodes.find((n) => n.id === 'dense-1')).toMatchObject({ label: 'Hidden' })
    expect(back.edges.map((e) => e.id).sort()).toEqual(next.edges.map((e) => e.id).sort())
  })

  it('keeps nodes of unknown layers and edges to ports no layer declares', async () => {
    const canvas = testCanvas()
    const graph: ModelGraph = {
      ...starterGraph(),
      nodes: [
        ...starterGraph().nodes,
        { id: 'mystery', type: 'no-such-layer', attrs: { k: 3 }, position: { x: 9, y: 9 } },
      ],
      edges: [
        ...starterGraph().edges,
        {
          id: 'e1',
          source: { node: 'softmax-1', port: 'y' },
          target: { node: 'mystery', port: 'in' },
        },
        {
          id: 'e2',
          source: { node: 'mystery', port: 'out' },
          target: { node: 'dense-2', port: 'z' },
        },
      ],
    }
    await applyGraph(canvas, graph)
    expect(Object.keys(canvas.editor.getNode('dense-2')?.inputs ?? {})).toEqual(['x', 'z'])
    expect(toModelGraph(canvas, graph.frames)).toEqual(graph)
    // Dropping the odd edge takes the odd port away again.
    const plain = { ...graph, edges: graph.edges.filter((e) => e.id !== 'e2') }
    await applyGraph(canvas, plain)
    expect(Object.keys(canvas.editor.getNode('dense-2')?.inputs ?? {})).toEqual(['x'])
    expect(toModelGraph(canvas, plain.frames).edges).toEqual(plain.edges)
  })
})
