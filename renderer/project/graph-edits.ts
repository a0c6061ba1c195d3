// Pure edits of a ModelGraph: each takes a graph and returns a new one, never mutating. The
// project store records each as one undo step; the canvas, palette and inspector all edit the
// document through these.
import type {
  AttrValue,
  GraphEdge,
  GraphFrame,
  GraphNode,
  ModelGraph,
  PortRef,
} from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'

export interface Point {
  x: number
  y: number
}

/** A layer's attributes at their defaults, as the project file stores them. */
export function defaultAttrs(type: string): Record<string, AttrValue> {
  const layer = getLayer(type)
  if (!layer) return {}
  const attrs: Record<string, AttrValue> = {}
  for (const [name, spec] of Object.entries(layer.attrs)) attrs[name] = spec.default
  return attrs
}

/** "dense-3": the prefix and the first number no id in `used` has yet. */
export function freshId(used: ReadonlySet<string>, prefix: string): string {
  let i = 1
  while (used.has(`${prefix}-${i}`)) i++
  return `${prefix}-${i}`
}

export function newNodeId(graph: ModelGraph, type: string): string {
  return freshId(new Set(graph.nodes.map((n) => n.id)), type)
}

const NEW_NODE_GAP = 220

/** Adds a layer with default attributes at `at`, or right of the rightmost node. */
export function addLayer(
  graph: ModelGraph,
  type: string,
  at?: Point,
): { graph: ModelGraph; id: string } {
  const id = newNodeId(graph, type)
  const xs = graph.nodes.map((n) => n.position.x)
  const ys = graph.nodes.map((n) => n.position.y)
  const position = at ?? {
    x: xs.length === 0 ? 0 : Math.max(...xs) + NEW_NODE_GAP,
    y: ys.length === 0 ? 0 : Math.min(...ys),
  }
  const node: GraphNode = { id, type, attrs: defaultAttrs(type), position }
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id }
}

/** Removes nodes with their edges and their places in frames (empty frames go too). */
export function removeNodes(graph: ModelGraph, ids: readonly string[]): ModelGraph {
  const gone = new Set(ids)
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !gone.has(n.id)),
    edges: graph.edges.filter((e) => !gone.has(e.source.node) && !gone.has(e.target.node)),
    frames: graph.frames
      .map((f) => ({ ...f, nodes: f.nodes.filter((n) => !gone.has(n)) }))
      .filter((f) => f.nodes.length > 0),
  }
}

export function connect(
  graph: ModelGraph,
  source: PortRef,
  target: PortRef,
): { graph: ModelGraph; id: string } {
  const id = freshId(new Set(graph.edges.map((e) => e.id)), 'link')
  const edge: GraphEdge = { id, source: { ...source }, target: { ...target } }
  return { graph: { ...graph, edges: [...graph.edges, edge] }, id }
}

export function removeEdges(graph: ModelGraph, ids: readonly string[]): ModelGraph {
  const gone = new Set(ids)
  return { ...graph, edges: graph.edges.filter((e) => !gone.has(e.id)) }
}

export function setAttr(
  graph: ModelGraph,
  node: string,
  name: string,
  value: AttrValue,
): ModelGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.id === node ? { ...n, attrs: { ...n.attrs, [name]: value } } : n,
    ),
  }
}

export function setLabel(graph: ModelGraph, node: string, label: string): ModelGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (n.id !== node) return n
      const { label: _old, ...rest } = n
      return label === '' ? rest : { ...rest, label }
    }),
  }
}

export function moveNodes(graph: ModelGraph, moves: ReadonlyMap<string, Point>): ModelGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const to = moves.get(n.id)
      return to ? { ...n, position: { x: to.x, y: to.y } } : n
    }),
  }
}

/** What copy puts on the clipboard: the chosen nodes and the edges among them. */
export interface Fragment {
  format: 'dendrite.fragment'
  nodes: GraphNode[]
  edges: GraphEdge[]
}

export function fragmentOf(graph: ModelGraph, ids: readonly string[]): Fragment {
  const chosen = new Set(ids)
  return {
    format: 'dendrite.fragment',
    nodes: graph.nodes.filter((n) => chosen.has(n.id)),
    edges: graph.edges.filter((e) => chosen.has(e.source.node) && chosen.has(e.target.node)),
  }
}

/** Pastes a fragment with fresh ids, shifted so its top-left corner lands at `at`. */
export function pasteFragment(
  graph: ModelGraph,
  fragment: Fragment,
  at: Point,
): { graph: ModelGraph; ids: string[] } {
  const usedNodes = new Set(graph.nodes.map((n) => n.id))
  const usedEdges = new Set(graph.edges.map((e) => e.id))
  const left = Math.min(...fragment.nodes.map((n) => n.position.x))
  const top = Math.min(...fragment.nodes.map((n) => n.position.y))
  const rename = new Map<string, string>()
  const nodes = fragment.nodes.map((n) => {
    const id = freshId(usedNodes, n.type)
    usedNodes.add(id)
    rename.set(n.id, id)
    return { ...n, id, position: { x: n.position.x - left + at.x, y: n.position.y - top + at.y } }
  })
  const edges = fragment.edges.map((e) => {
    const id = freshId(usedEdges, 'link')
    usedEdges.add(id)
    return {
      id,
      source: { node: rename.get(e.source.node) ?? e.source.node, port: e.source.port },
      target: { node: rename.get(e.target.node) ?? e.target.node, port: e.target.port },
    }
  })
  return {
    graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] },
    ids: nodes.map((n) => n.id),
  }
}

export function addFrame(
  graph: ModelGraph,
  label: string,
  nodes: readonly string[],
): { graph: ModelGraph; id: string } {
  const id = freshId(new Set(graph.frames.map((f) => f.id)), 'frame')
  const frame: GraphFrame = { id, label, nodes: [...nodes] }
  return { graph: { ...graph, frames: [...graph.frames, frame] }, id }
}

export function updateFrame(
  graph: ModelGraph,
  id: string,
  change: Partial<Omit<GraphFrame, 'id'>>,
): ModelGraph {
  return { ...graph, frames: graph.frames.map((f) => (f.id === id ? { ...f, ...change } : f)) }
}

export function removeFrame(graph: ModelGraph, id: string): ModelGraph {
  return { ...graph, frames: graph.frames.filter((f) => f.id !== id) }
}

/**
 * What the engine sees of a graph: nodes, attributes and edges, not where nodes sit.
 * Moving a node changes the document but needs no new inspection.
 */
export function structureKey(graph: ModelGraph): string {
  return JSON.stringify({
    nodes: graph.nodes.map((n) => [n.id, n.type, n.attrs]),
    edges: graph.edges.map((e) => [e.id, e.source, e.target]),
  })
}

export function sameGraph(a: ModelGraph, b: ModelGraph): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
