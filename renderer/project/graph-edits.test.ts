// Every pure graph edit: what it changes, that it never mutates its input, fresh ids on paste,
// and frames cleaned up when their nodes go.
import { describe, expect, it } from 'vitest'
import { inspectGraph } from '../../engine/graph/inspect'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { parseModelGraph } from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'
import {
  addFrame,
  addLayer,
  connect,
  defaultAttrs,
  duplicateNodes,
  fragmentOf,
  freshId,
  moveNodes,
  newNodeId,
  parseFragment,
  pasteFragment,
  removeEdges,
  removeFrame,
  removeNodes,
  sameGraph,
  setAttr,
  setLabel,
  structureKey,
  topLeft,
  updateFrame,
} from './graph-edits'
import { starterGraph } from './starter-graph'

/** The starter graph with Dense 1 and Tanh 1 in a frame. */
function framed(): ModelGraph {
  return addFrame(starterGraph(), 'Hidden', ['dense-1', 'tanh-1']).graph
}

/** Runs an edit on a frozen copy, so any mutation of the input throws. */
function pure<T>(edit: (g: ModelGraph) => T, graph: ModelGraph = framed()): T {
  const frozen = structuredClone(graph)
  const deepFreeze = (o: object): void => {
    Object.freeze(o)
    for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v)
  }
  deepFreeze(frozen)
  const out = edit(frozen)
  expect(frozen).toEqual(graph)
  return out
}

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

describe('ids', () => {
  it('freshId takes the first free number; newNodeId uses the type', () => {
    expect(freshId(new Set(['a-1', 'a-3']), 'a')).toBe('a-2')
    expect(freshId(new Set(), 'link')).toBe('link-1')
    expect(newNodeId(starterGraph(), 'dense')).toBe('dense-3')
    expect(newNodeId(starterGraph(), 'relu')).toBe('relu-1')
  })

  it('defaultAttrs gives every attribute its default, and nothing for unknown layers', () => {
    expect(defaultAttrs('dense')).toMatchObject({ units: 8, bias: true })
    expect(Object.keys(defaultAttrs('dense'))).toEqual(Object.keys(getLayer('dense')?.attrs ?? {}))
    expect(defaultAttrs('no-such-layer')).toEqual({})
  })
})

describe('addLayer', () => {
  it('adds a node with default attributes and a fresh id to the right', () => {
    const { graph, id } = pure((g) => addLayer(g, 'dense'))
    expect(id).toBe('dense-3')
    const added = graph.nodes.find((n) => n.id === id)
    expect(added?.attrs).toMatchObject({ units: 8, bias: true })
    expect(added?.position.x).toBeGreaterThan(
      Math.max(...starterGraph().nodes.map((n) => n.position.x)),
    )
  })

  it('adds at the given point, and at the origin on an empty graph', () => {
    expect(addLayer(starterGraph(), 'relu', { x: 5, y: 7 }).graph.nodes.at(-1)?.position).toEqual({
      x: 5,
      y: 7,
    })
    const empty = { ...starterGraph(), nodes: [], edges: [] }
    expect(addLayer(empty, 'input').graph.nodes[0]?.position).toEqual({ x: 0, y: 0 })
  })
})

describe('removeNodes', () => {
  it('removes nodes with their edges and their places in frames', () => {
    const graph = pure((g) => removeNodes(g, ['tanh-1']))
    expect(graph.nodes.map((n) => n.id)).not.toContain('tanh-1')
    expect(graph.edges.some((e) => e.source.node === 'tanh-1' || e.target.node === 'tanh-1')).toBe(
      false,
    )
    expect(graph.edges).toHaveLength(2)
    expect(graph.frames).toEqual([{ id: 'frame-1', label: 'Hidden', nodes: ['dense-1'] }])
  })

  it('drops a frame once all its nodes are gone', () => {
    expect(removeNodes(framed(), ['tanh-1', 'dense-1']).frames).toEqual([])
  })
})

describe('connect and removeEdges', () => {
  it('connect adds an edge with a fresh id', () => {
    const source = { node: 'tanh-1', port: 'y' }
    const target = { node: 'softmax-1', port: 'x' }
    const { graph, id } = pure((g) => connect(g, source, target))
    expect(id).toBe('link-1')
    expect(graph.edges.at(-1)).toEqual({ id, source, target })
    expect(connect(graph, source, target).id).toBe('link-2')
  })

  it('removeEdges removes exactly the named edges', () => {
    const graph = pure((g) => removeEdges(g, ['dense-1->tanh-1', 'no-such-edge']))
    expect(graph.edges.map((e) => e.id)).toEqual([
      'input-1->dense-1',
      'tanh-1->dense-2',
      'dense-2->softmax-1',
    ])
  })
})

describe('setAttr, setLabel, moveNodes', () => {
  it('setAttr changes one attribute of one node', () => {
    const graph = pure((g) => setAttr(g, 'dense-1', 'units', 16))
    expect(graph.nodes.find((n) => n.id === 'dense-1')?.attrs).toMatchObject({ units: 16 })
    expect(graph.nodes.find((n) => n.id === 'dense-2')?.attrs).toMatchObject({ units: 2 })
  })

  it('setLabel names a node, and an empty label removes the name', () => {
    const named = pure((g) => setLabel(g, 'dense-1', 'Hidden'))
    expect(named.nodes.find((n) => n.id === 'dense-1')?.label).toBe('Hidden')
    const plain = pure((g) => setLabel(g, 'dense-1', ''), named)
    expect(plain.nodes.find((n) => n.id === 'dense-1')).not.toHaveProperty('label')
  })

  it('moveNodes moves only the nodes it is given', () => {
    const graph = pure((g) => moveNodes(g, new Map([['tanh-1', { x: 1, y: 2 }]])))
    expect(graph.nodes.find((n) => n.id === 'tanh-1')?.position).toEqual({ x: 1, y: 2 })
    expect(graph.nodes.find((n) => n.id === 'dense-1')?.position).toEqual({ x: 212, y: 0 })
  })
})

describe('fragments: copy, parse, paste, duplicate', () => {
  it('fragmentOf takes the nodes, the edges among them and the frames wholly inside', () => {
    const fragment = pure((g) => fragmentOf(g, ['dense-1', 'tanh-1', 'dense-2']))
    expect(fragment.format).toBe('dendrite.fragment')
    expect(fragment.nodes.map((n) => n.id)).toEqual(['dense-1', 'tanh-1', 'dense-2'])
    expect(fragment.edges.map((e) => e.id)).toEqual(['dense-1->tanh-1', 'tanh-1->dense-2'])
    expect(fragment.frames).toEqual([
      { id: 'frame-1', label: 'Hidden', nodes: ['dense-1', 'tanh-1'] },
    ])
    expect(fragmentOf(framed(), ['dense-1']).frames).toEqual([])
  })

  it('pasteFragment renames nodes, edges and frames and shifts the top-left to the point', () => {
    const fragment = fragmentOf(framed(), ['dense-1', 'tanh-1'])
    const { graph, ids } = pure((g) => pasteFragment(g, fragment, { x: 1000, y: 500 }))
    expect(ids).toEqual(['dense-3', 'tanh-2'])
    const pasted = graph.nodes.filter((n) => ids.includes(n.id))
    expect(pasted.map((n) => n.position)).toEqual([
      { x: 1000, y: 500 },
      { x: 1212, y: 500 },
    ])
    expect(pasted[0]?.attrs).toEqual(framed().nodes[1]?.attrs)
    expect(graph.edges.at(-1)).toEqual({
      id: 'link-1',
      source: { node: 'dense-3', port: 'y' },
      target: { node: 'tanh-2', port: 'x' },
    })
    expect(graph.frames.at(-1)).toEqual({
      id: 'frame-2',
      label: 'Hidden',
      nodes: ['dense-3', 'tanh-2'],
    })
    expect(inspectGraph(graph).nodes['tanh-2']).toBeUndefined() // no input wired: not inferred
    // Pasting the same fragment twice never reuses an id.
    const again = pasteFragment(graph, fragment, { x: 0, y: 0 })
    expect(again.ids).toEqual(['dense-4', 'tanh-3'])
    expect(new Set(again.graph.edges.map((e) => e.id)).size).toBe(again.graph.edges.length)
  })

  it('pasteFragment of nothing changes nothing', () => {
    const graph = starterGraph()
    const empty = { format: 'dendrite.fragment' as const, nodes: [], edges: [] }
    expect(pasteFragment(graph, empty, { x: 0, y: 0 })).toEqual({ graph, ids: [] })
  })

  it('parseFragment reads copied JSON and refuses anything else', () => {
    const fragment = fragmentOf(framed(), ['dense-1', 'tanh-1'])
    expect(parseFragment(JSON.stringify(fragment))).toEqual(fragment)
    expect(parseFragment('just words')).toBeNull()
    expect(parseFragment('{"format":"something.else","nodes":[]}')).toBeNull()
    expect(parseFragment(JSON.stringify({ ...fragment, nodes: [] }))).toBeNull()
    expect(parseFragment(JSON.stringify(starterGraph()))).toBeNull()
    // Edges and frame members that point outside the fragment are dropped.
    const dangling = {
      ...fragment,
      edges: [
        ...fragment.edges,
        { id: 'x', source: { node: 'gone', port: 'y' }, target: { node: 'tanh-1', port: 'x' } },
      ],
      frames: [{ id: 'f', label: 'F', nodes: ['dense-1', 'gone'] }],
    }
    const parsed = parseFragment(JSON.stringify(dangling))
    expect(parsed?.edges).toEqual(fragment.edges)
    expect(parsed?.frames).toEqual([{ id: 'f', label: 'F', nodes: ['dense-1'] }])
    // A copy from before fragments carried frames still pastes.
    const old = { format: fragment.format, nodes: fragment.nodes, edges: fragment.edges }
    expect(parseFragment(JSON.stringify(old))?.frames).toEqual([])
  })

  it('duplicateNodes copies next to the originals', () => {
    const { graph, ids } = pure((g) => duplicateNodes(g, ['dense-1', 'tanh-1'], { x: 40, y: 40 }))
    expect(ids).toEqual(['dense-3', 'tanh-2'])
    expect(graph.nodes.find((n) => n.id === 'dense-3')?.position).toEqual({ x: 252, y: 40 })
    expect(graph.edges).toHaveLength(5)
    expect(graph.frames).toHaveLength(2)
  })

  it('topLeft is the smallest x and y', () => {
    expect(topLeft([{ position: { x: 3, y: 9 } }, { position: { x: 7, y: -1 } }])).toEqual({
      x: 3,
      y: -1,
    })
    expect(topLeft([])).toEqual({ x: 0, y: 0 })
  })
})

describe('frames', () => {
  it('addFrame, updateFrame and removeFrame', () => {
    const { graph, id } = pure((g) => addFrame(g, 'Block', ['input-1']), starterGraph())
    expect(id).toBe('frame-1')
    expect(graph.frames).toEqual([{ id, label: 'Block', nodes: ['input-1'] }])
    const renamed = pure((g) => updateFrame(g, id, { label: 'Inputs' }), graph)
    expect(renamed.frames[0]?.label).toBe('Inputs')
    expect(renamed.frames[0]?.nodes).toEqual(['input-1'])
    expect(pure((g) => removeFrame(g, id), renamed).frames).toEqual([])
    expect(removeFrame(renamed, 'no-such-frame')).toEqual(renamed)
  })
})

describe('structureKey and sameGraph', () => {
  it('structureKey ignores positions, labels and frames and sees attributes', () => {
    const a = starterGraph()
    const moved = { ...a, nodes: a.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })) }
    expect(structureKey(moved)).toBe(structureKey(a))
    expect(structureKey(framed())).toBe(structureKey(a))
    expect(structureKey(setAttr(a, 'dense-1', 'units', 3))).not.toBe(structureKey(a))
  })

  it('sameGraph compares everything', () => {
    expect(sameGraph(starterGraph(), starterGraph())).toBe(true)
    expect(sameGraph(starterGraph(), framed())).toBe(false)
    expect(
      sameGraph(starterGraph(), moveNodes(starterGraph(), new Map([['input-1', { x: 1, y: 0 }]]))),
    ).toBe(false)
  })
})
