// Small graphs for tests and samples, built the way the canvas builds them.
import type { AttrValue, GraphEdge, GraphNode, ModelGraph } from './model-graph'
import { GRAPH_FORMAT, GRAPH_VERSION } from './model-graph'

export type NodeDraft = [id: string, type: string, attrs?: Record<string, AttrValue>]

/** A chain of nodes, each feeding the next through its first output and first input. */
export function chain(drafts: readonly NodeDraft[], ports = { out: 'y', in: 'x' }): ModelGraph {
  const nodes: GraphNode[] = drafts.map(([id, type, attrs], i) => ({
    id,
    type,
    attrs: attrs ?? {},
    position: { x: i * 220, y: 0 },
  }))
  const edges: GraphEdge[] = []
  for (let i = 1; i < drafts.length; i++) {
    const from = drafts[i - 1]
    const to = drafts[i]
    if (!from || !to) continue
    edges.push({
      id: `e${i}`,
      source: { node: from[0], port: ports.out },
      target: { node: to[0], port: ports.in },
    })
  }
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, nodes, edges, frames: [] }
}

/** The studio's default graph: Input 2 → Dense 8 → Tanh → Dense 2 → Softmax. */
export function defaultGraph(): ModelGraph {
  return chain([
    ['input', 'input', { shape: '2' }],
    ['dense1', 'dense', { units: 8 }],
    ['tanh', 'tanh'],
    ['dense2', 'dense', { units: 2 }],
    ['softmax', 'softmax'],
  ])
}
