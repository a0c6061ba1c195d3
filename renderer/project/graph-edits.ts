// Pure edits of a ModelGraph that the studio makes outside the canvas (adding a layer from the
// palette, starting a project), and the key that says whether an edit changed its meaning.
import type { AttrValue, GraphNode, ModelGraph } from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'

/** A layer's attributes at their defaults, as the project file stores them. */
export function defaultAttrs(type: string): Record<string, AttrValue> {
  const layer = getLayer(type)
  if (!layer) return {}
  const attrs: Record<string, AttrValue> = {}
  for (const [name, spec] of Object.entries(layer.attrs)) attrs[name] = spec.default
  return attrs
}

/** "dense-3": the type and the first number no node of the graph uses yet. */
export function newNodeId(graph: ModelGraph, type: string): string {
  const used = new Set(graph.nodes.map((n) => n.id))
  let i = 1
  while (used.has(`${type}-${i}`)) i++
  return `${type}-${i}`
}

const NEW_NODE_GAP = 220

/** Adds a layer with default attributes to the right of the rightmost node. */
export function addLayer(graph: ModelGraph, type: string): { graph: ModelGraph; id: string } {
  const id = newNodeId(graph, type)
  const xs = graph.nodes.map((n) => n.position.x)
  const ys = graph.nodes.map((n) => n.position.y)
  const x = xs.length === 0 ? 0 : Math.max(...xs) + NEW_NODE_GAP
  const y = ys.length === 0 ? 0 : Math.min(...ys)
  const node: GraphNode = { id, type, attrs: defaultAttrs(type), position: { x, y } }
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id }
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
