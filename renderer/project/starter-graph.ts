// The graph a new project opens with: a small classifier over two features, laid out left to
// right, Input (2) → Dense 8 → Tanh → Dense 2 → Softmax.
import type { GraphEdge, GraphNode, ModelGraph } from '../../engine/graph/model-graph'
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../engine/graph/model-graph'
import { defaultAttrs } from './graph-edits'

const STEP_X = 212
const ROW_Y = 0

function node(id: string, type: string, column: number, attrs: GraphNode['attrs'] = {}): GraphNode {
  return {
    id,
    type,
    attrs: { ...defaultAttrs(type), ...attrs },
    position: { x: column * STEP_X, y: ROW_Y },
  }
}

function edge(from: string, to: string): GraphEdge {
  return {
    id: `${from}->${to}`,
    source: { node: from, port: 'y' },
    target: { node: to, port: 'x' },
  }
}

export function starterGraph(): ModelGraph {
  const nodes = [
    node('input-1', 'input', 0, { shape: '2' }),
    node('dense-1', 'dense', 1, { units: 8 }),
    node('tanh-1', 'tanh', 2),
    node('dense-2', 'dense', 3, { units: 2 }),
    node('softmax-1', 'softmax', 4),
  ]
  const edges = nodes.slice(1).map((n, i) => edge(nodes[i]?.id ?? '', n.id))
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, nodes, edges, frames: [] }
}
