// Whole-graph checks after shape inference: is there something to learn from, can it be reached
// from the data, is there anything to learn, and the lecture's hint that two linear layers with
// nothing nonlinear between them are one linear layer.
import type { NodeInfo } from './inspect'
import type { ModelGraph } from './model-graph'
import type { Problem } from './problems'
import { getLayer } from './registry'

/** Layers that keep a linear map linear: passing through them adds no nonlinearity. */
const LINEAR_PASS = new Set(['identity', 'reshape', 'flatten', 'dropout'])

export function graphChecks(graph: ModelGraph, nodes: Record<string, NodeInfo>): Problem[] {
  const problems: Problem[] = []
  const upstream = upstreamOf(graph)
  const losses = graph.nodes.filter((n) => getLayer(n.type)?.family === 'losses')
  if (graph.nodes.length > 0 && losses.length === 0) {
    problems.push({
      severity: 'warning',
      code: 'no-loss',
      message: 'There is no loss yet: add one so training has something to minimise.',
    })
  }
  for (const l of losses) {
    const above = upstream(l.id)
    if (![...above].some((id) => nodeType(graph, id) === 'input')) {
      problems.push({
        severity: 'error',
        code: 'loss-unreachable',
        node: l.id,
        message: 'No Input feeds this loss, so it never sees the data.',
      })
    } else if (![...above].some((id) => (nodes[id]?.paramCount ?? 0) > 0)) {
      problems.push({
        severity: 'warning',
        code: 'cannot-learn',
        node: l.id,
        message: 'Nothing between the Input and this loss has parameters: it can never learn.',
      })
    }
  }
  problems.push(...linearCollapses(graph))
  return problems
}

function nodeType(graph: ModelGraph, id: string): string | undefined {
  return graph.nodes.find((n) => n.id === id)?.type
}

/** All nodes that feed a node, directly or not. */
function upstreamOf(graph: ModelGraph): (id: string) => Set<string> {
  const feeds = new Map<string, string[]>()
  for (const e of graph.edges) {
    feeds.set(e.target.node, [...(feeds.get(e.target.node) ?? []), e.source.node])
  }
  return (id) => {
    const seen = new Set<string>()
    const stack = [...(feeds.get(id) ?? [])]
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (seen.has(n)) continue
      seen.add(n)
      stack.push(...(feeds.get(n) ?? []))
    }
    return seen
  }
}

/** A Dense fed by another Dense through linear pass-through layers only. */
function linearCollapses(graph: ModelGraph): Problem[] {
  const source = new Map(graph.edges.map((e) => [`${e.target.node}:${e.target.port}`, e.source]))
  const problems: Problem[] = []
  for (const node of graph.nodes) {
    if (node.type !== 'dense') continue
    let from = source.get(`${node.id}:x`)
    while (from && LINEAR_PASS.has(nodeType(graph, from.node) ?? '')) {
      from = source.get(`${from.node}:x`)
    }
    if (from && nodeType(graph, from.node) === 'dense') {
      problems.push({
        severity: 'hint',
        code: 'linear-collapse',
        node: node.id,
        message:
          'Two Dense layers with no activation between them are one Dense layer: ' +
          'W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂). Add a nonlinearity such as ReLU or Tanh.',
      })
    }
  }
  return problems
}
