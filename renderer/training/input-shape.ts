// The Input node's shape follows the data: the graph with the Input's `shape` attribute set to
// the data's example shape, or null when it already says so (no edit, no undo step).
import type { ModelGraph } from '../../engine/graph/model-graph'
import { setAttr } from '../project/graph-edits'

const compact = (text: string): string => text.replace(/\s/g, '')

export function withInputShape(graph: ModelGraph, shape: readonly number[]): ModelGraph | null {
  const input = graph.nodes.find((n) => n.type === 'input')
  const text = shape.join(', ')
  if (!input || compact(String(input.attrs.shape ?? '')) === compact(text)) return null
  return setAttr(graph, input.id, 'shape', text)
}
