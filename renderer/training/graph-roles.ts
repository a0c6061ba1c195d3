// Which nodes of the graph the training panels care about: the Input, the loss and the node that
// makes the prediction, the layers in order, the units a diagnosis applies to, the Dense weights.
import type { ModelGraph } from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'
import { topologicalOrder } from '../../engine/graph/topology'
import { DIAGNOSED_TYPES } from './diagnostics'

export interface GraphRoles {
  readonly input: string | null
  readonly loss: string | null
  readonly lossType: string | null
  /** The node whose output the loss compares with the target (logits, values). */
  readonly prediction: string | null
  /** Every node in topological order. */
  readonly order: readonly string[]
  /** Activation nodes that dead / saturated detection applies to. */
  readonly diagnosed: readonly { id: string; type: string }[]
  readonly dense: readonly string[]
}

export function graphRoles(graph: ModelGraph): GraphRoles {
  const { order } = topologicalOrder(
    graph.nodes.map((n) => n.id),
    graph.edges,
  )
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  const nodes = order.flatMap((id) => byId.get(id) ?? [])
  const lossNode = nodes.find((n) => getLayer(n.type)?.family === 'losses') ?? null
  const prediction = lossNode
    ? (graph.edges.find((e) => e.target.node === lossNode.id && e.target.port === 'x')?.source
        .node ?? null)
    : null
  return {
    input: nodes.find((n) => n.type === 'input')?.id ?? null,
    loss: lossNode?.id ?? null,
    lossType: lossNode?.type ?? null,
    prediction,
    order,
    diagnosed: nodes
      .filter((n) => DIAGNOSED_TYPES.includes(n.type))
      .map((n) => ({ id: n.id, type: n.type })),
    dense: nodes.filter((n) => n.type === 'dense').map((n) => n.id),
  }
}

/** The node's label, else its layer's title and id: "Tanh (act1)". */
export function nodeTitle(graph: ModelGraph, id: string): string {
  const node = graph.nodes.find((n) => n.id === id)
  if (!node) return id
  if (node.label) return node.label
  return `${getLayer(node.type)?.title ?? node.type} (${id})`
}

/**
 * Nodes shown as neuron heatmaps, Playground style: every activation, and every Dense whose
 * output is not squashed by an activation right after (a linear layer, the output's logits).
 */
export function neuronNodes(graph: ModelGraph, order: readonly string[]): string[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  return order.filter((id) => {
    const node = byId.get(id)
    const family = node ? getLayer(node.type)?.family : undefined
    if (family === 'activations') return true
    if (node?.type !== 'dense') return false
    const consumers = graph.edges.filter((e) => e.source.node === id)
    return !consumers.some(
      (e) => getLayer(byId.get(e.target.node)?.type ?? '')?.family === 'activations',
    )
  })
}
