// Whole-graph checks after shape inference: is there something to learn from, can it be reached
// from the data, is there anything to learn, the lecture's hint that two linear layers with
// nothing nonlinear between them are one linear layer, and a squashing layer before a loss that
// squashes by itself.
import type { NodeInfo } from './inspect'
import type { GraphNode, ModelGraph } from './model-graph'
import type { Problem } from './problems'
import { getLayer } from './registry'

/** Layers that keep a linear map linear: passing through them adds no nonlinearity. */
const LINEAR_PASS = new Set(['identity', 'reshape', 'flatten', 'dropout'])

/** Losses that take raw scores and apply this activation themselves, by loss type. */
const APPLIES_ITSELF: Readonly<Record<string, { activation: string; word: string }>> = {
  'softmax-cross-entropy': { activation: 'softmax', word: 'softmax' },
  'bce-with-logits': { activation: 'sigmoid', word: 'sigmoid' },
}

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
  problems.push(...linearCollapses(graph), ...doubleSquashes(graph))
  return problems
}

function nodeType(graph: ModelGraph, id: string): string | undefined {
  return graph.nodes.find((n) => n.id === id)?.type
}

const titleOf = (node: GraphNode): string => getLayer(node.type)?.title ?? node.type

/** How a message names a node: its label, else its layer's title, then its id. */
function named(node: GraphNode): string {
  return `${node.label ?? titleOf(node)} "${node.id}"`
}

/** The node that feeds `id`'s input `port`, looking through linear pass-through layers. */
function feederThroughPasses(graph: ModelGraph, id: string, port: string): GraphNode | undefined {
  const source = new Map(graph.edges.map((e) => [`${e.target.node}:${e.target.port}`, e.source]))
  let from = source.get(`${id}:${port}`)
  while (from && LINEAR_PASS.has(nodeType(graph, from.node) ?? '')) {
    from = source.get(`${from.node}:x`)
  }
  return from && graph.nodes.find((n) => n.id === from.node)
}

/**
 * A Softmax before Cross-entropy (or a Sigmoid before Binary cross-entropy): the loss applies
 * it again, so the scores are squashed twice and the gradient all but vanishes.
 */
function doubleSquashes(graph: ModelGraph): Problem[] {
  const problems: Problem[] = []
  for (const loss of graph.nodes) {
    const rule = APPLIES_ITSELF[loss.type]
    const before = rule && feederThroughPasses(graph, loss.id, 'x')
    if (!rule || before?.type !== rule.activation) continue
    problems.push({
      severity: 'warning',
      code: 'double-activation',
      node: before.id,
      message:
        `${named(before)} feeds ${named(loss)}, which applies the ${rule.word} itself: the ` +
        'scores are squashed twice, so the loss cannot get near zero and learning slows. ' +
        `Remove the ${titleOf(before)}; the loss takes raw scores (logits).`,
    })
  }
  return problems
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
  const problems: Problem[] = []
  for (const node of graph.nodes) {
    if (node.type !== 'dense') continue
    if (feederThroughPasses(graph, node.id, 'x')?.type === 'dense') {
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
