// Pure edits of a ModelGraph: each takes a graph and returns a new one, never mutating. The
// project store records each as one undo step; the canvas, palette and inspector all edit the
// document through these.
import { z } from 'zod'
import type {
  AttrValue,
  GraphEdge,
  GraphFrame,
  GraphNode,
  ModelGraph,
  PortRef,
} from '../../engine/graph/model-graph'
import { GraphEdgeSchema, GraphFrameSchema, GraphNodeSchema } from '../../engine/graph/model-graph'
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
      if (label !== '') return { ...n, label }
      const rest = { ...n }
      delete rest.label
      return rest
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

/** What copy puts on the clipboard: the chosen nodes, the edges among them, their frames. */
export interface Fragment {
  format: 'dendrite.fragment'
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** Frames whose nodes were all chosen (absent in fragments from older copies). */
  frames?: GraphFrame[]
}

export const FRAGMENT_FORMAT = 'dendrite.fragment'

export function fragmentOf(graph: ModelGraph, ids: readonly string[]): Fragment {
  const chosen = new Set(ids)
  return {
    format: FRAGMENT_FORMAT,
    nodes: graph.nodes.filter((n) => chosen.has(n.id)),
    edges: graph.edges.filter((e) => chosen.has(e.source.node) && chosen.has(e.target.node)),
    frames: graph.frames.filter((f) => f.nodes.length > 0 && f.nodes.every((n) => chosen.has(n))),
  }
}

const FragmentSchema = z.object({
  format: z.literal(FRAGMENT_FORMAT),
  nodes: z.array(GraphNodeSchema).min(1),
  edges: z.array(GraphEdgeSchema),
  frames: z.array(GraphFrameSchema).optional(),
})

/**
 * Reads clipboard text as a fragment; null for anything else (foreign text, another app's JSON,
 * an empty fragment). Edges and frame members that point outside the fragment are dropped.
 */
export function parseFragment(text: string): Fragment | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = FragmentSchema.safeParse(data)
  if (!parsed.success) return null
  const { nodes, edges, frames } = parsed.data
  const ids = new Set(nodes.map((n) => n.id))
  return {
    format: FRAGMENT_FORMAT,
    nodes,
    edges: edges.filter((e) => ids.has(e.source.node) && ids.has(e.target.node)),
    frames: (frames ?? [])
      .map((f) => ({ ...f, nodes: f.nodes.filter((n) => ids.has(n)) }))
      .filter((f) => f.nodes.length > 0),
  }
}

/** The top-left corner of the nodes' positions; the origin for none. */
export function topLeft(nodes: readonly { position: Point }[]): Point {
  if (nodes.length === 0) return { x: 0, y: 0 }
  return {
    x: Math.min(...nodes.map((n) => n.position.x)),
    y: Math.min(...nodes.map((n) => n.position.y)),
  }
}

/** Pastes a fragment with fresh ids, shifted so its top-left corner lands at `at`. */
export function pasteFragment(
  graph: ModelGraph,
  fragment: Fragment,
  at: Point,
): { graph: ModelGraph; ids: string[] } {
  if (fragment.nodes.length === 0) return { graph, ids: [] }
  const usedNodes = new Set(graph.nodes.map((n) => n.id))
  const origin = topLeft(fragment.nodes)
  const rename = new Map<string, string>()
  const nodes = fragment.nodes.map((n) => {
    const id = freshId(usedNodes, n.type)
    usedNodes.add(id)
    rename.set(n.id, id)
    const position = { x: n.position.x - origin.x + at.x, y: n.position.y - origin.y + at.y }
    return { ...n, id, attrs: { ...n.attrs }, position }
  })
  const renamed = (id: string): string => rename.get(id) ?? id
  const edgeIds = freshIds(graph.edges, fragment.edges.length, 'link')
  const edges = fragment.edges.map((e, i): GraphEdge => ({
    id: edgeIds[i] ?? e.id,
    source: { node: renamed(e.source.node), port: e.source.port },
    target: { node: renamed(e.target.node), port: e.target.port },
  }))
  const incoming = fragment.frames ?? []
  const frameIds = freshIds(graph.frames, incoming.length, 'frame')
  const frames = incoming.map((f, i): GraphFrame => ({
    id: frameIds[i] ?? f.id,
    label: f.label,
    nodes: f.nodes.map(renamed),
  }))
  return {
    graph: {
      ...graph,
      nodes: [...graph.nodes, ...nodes],
      edges: [...graph.edges, ...edges],
      frames: [...graph.frames, ...frames],
    },
    ids: nodes.map((n) => n.id),
  }
}

/** `count` ids with the prefix that none of `existing` has, in order. */
function freshIds(existing: readonly { id: string }[], count: number, prefix: string): string[] {
  const used = new Set(existing.map((x) => x.id))
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const id = freshId(used, prefix)
    used.add(id)
    out.push(id)
  }
  return out
}

/** Copies nodes (with the edges among them and their frames) shifted by `offset`. */
export function duplicateNodes(
  graph: ModelGraph,
  ids: readonly string[],
  offset: Point,
): { graph: ModelGraph; ids: string[] } {
  const fragment = fragmentOf(graph, ids)
  const origin = topLeft(fragment.nodes)
  return pasteFragment(graph, fragment, { x: origin.x + offset.x, y: origin.y + offset.y })
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
