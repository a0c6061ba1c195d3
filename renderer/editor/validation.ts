// Whether a connection may be made, asked while the person drags it: an occupied input, a loop,
// or shapes that cannot agree refuse it, with a sentence that says why. The shape question is
// answered by the engine's own inference (inspectGraph) on the graph as it would be.
import { inspectGraph } from '../../engine/graph/inspect'
import type { GraphEdge, ModelGraph, PortRef } from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'
import { connect, removeEdges } from '../project/graph-edits'

export type LinkVerdict = { ok: true; graph: ModelGraph } | { ok: false; reason: string }

/**
 * Checks the edge source → target on `graph`; `replacing` names an edge the drag takes away
 * (dragging an existing connection off its input to somewhere else). When the edge is allowed,
 * the verdict carries the graph with it made.
 */
export function checkLink(
  graph: ModelGraph,
  source: PortRef,
  target: PortRef,
  replacing?: string,
): LinkVerdict {
  const base = replacing === undefined ? graph : removeEdges(graph, [replacing])
  const refused = (reason: string): LinkVerdict => ({ ok: false, reason })
  if (source.node === target.node) return refused('A layer cannot take its own output as input.')
  const occupant = base.edges.find(
    (e) => e.target.node === target.node && e.target.port === target.port,
  )
  if (occupant) {
    return refused(
      `${portName(base, target)} already has a connection; an input takes one. ` +
        'Drag that one off first.',
    )
  }
  const path = pathBetween(base.edges, target.node, source.node)
  if (path) {
    return refused(
      `That would close a loop: ${nodeName(base, target.node)} already feeds ` +
        `${nodeName(base, source.node)}.`,
    )
  }
  const next = connect(base, source, target).graph
  const mismatch = inspectGraph(next).problems.find(
    (p) => p.code === 'shape-mismatch' && p.node === target.node,
  )
  if (mismatch) return refused(`Shapes cannot agree: ${mismatch.message}`)
  return { ok: true, graph: next }
}

/** True when following edges from `from` reaches `to` (so to → from would be a loop). */
function pathBetween(edges: readonly GraphEdge[], from: string, to: string): boolean {
  const next = new Map<string, string[]>()
  for (const e of edges) {
    const list = next.get(e.source.node) ?? []
    list.push(e.target.node)
    next.set(e.source.node, list)
  }
  const seen = new Set<string>()
  const stack = [from]
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (id === to) return true
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(next.get(id) ?? []))
  }
  return false
}

/** "Dense 2", or the label the person gave the node. */
export function nodeName(graph: ModelGraph, id: string): string {
  const node = graph.nodes.find((n) => n.id === id)
  if (!node) return id
  return node.label ?? getLayer(node.type)?.title ?? node.type
}

function portName(graph: ModelGraph, ref: PortRef): string {
  const node = graph.nodes.find((n) => n.id === ref.node)
  const port = node && getLayer(node.type)?.inputs.find((p) => p.name === ref.port)
  return `Input "${port?.label ?? ref.port}" of ${nodeName(graph, ref.node)}`
}
