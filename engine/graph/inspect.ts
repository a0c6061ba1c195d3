// Validation and shape inference over a ModelGraph: every problem at once, each naming its node,
// and for every node that can be inferred its output shapes, parameters and FLOPs per example.
import { resolveAttr } from './attrs'
import { graphChecks } from './checks'
import type { Layer, ResolvedAttrs } from './layer'
import type { GraphEdge, GraphNode, ModelGraph } from './model-graph'
import type { Problem } from './problems'
import { getLayer } from './registry'
import type { Shape } from './shape'
import { ShapeRuleError, formatShape, sizeOf } from './shape'
import { topologicalOrder } from './topology'

export interface NodeInfo {
  outputs: Record<string, Shape>
  params: Record<string, Shape>
  paramCount: number
  flops: number
}

export interface Inspection {
  nodes: Record<string, NodeInfo>
  problems: Problem[]
  totals: { params: number; flops: number }
}

interface Known {
  node: GraphNode
  layer: Layer
  attrs: ResolvedAttrs | null
}

export function inspectGraph(graph: ModelGraph): Inspection {
  const problems: Problem[] = []
  const known = checkNodes(graph, problems)
  const incoming = checkEdges(graph, known, problems)
  const { order, cyclic } = topologicalOrder(
    graph.nodes.map((n) => n.id),
    graph.edges.filter((e) => known.has(e.source.node) && known.has(e.target.node)),
  )
  for (const id of cyclic) {
    problems.push({
      severity: 'error',
      code: 'cycle',
      node: id,
      message: 'This node is part of a cycle: its output flows back into its own input.',
    })
  }
  const nodes: Record<string, NodeInfo> = {}
  for (const id of order) {
    const k = known.get(id)
    if (k?.attrs) inferNode(k, k.attrs, incoming.get(id) ?? new Map(), nodes, problems)
  }
  if (!problems.some((p) => p.severity === 'error')) problems.push(...graphChecks(graph, nodes))
  let params = 0
  let flops = 0
  for (const info of Object.values(nodes)) {
    params += info.paramCount
    flops += info.flops
  }
  return { nodes, problems, totals: { params, flops } }
}

function checkNodes(graph: ModelGraph, problems: Problem[]): Map<string, Known> {
  const known = new Map<string, Known>()
  for (const node of graph.nodes) {
    if (known.has(node.id)) {
      problems.push({
        severity: 'error',
        code: 'duplicate-id',
        node: node.id,
        message: `Two nodes share the id "${node.id}".`,
      })
      continue
    }
    const layer = getLayer(node.type)
    if (!layer) {
      problems.push({
        severity: 'error',
        code: 'unknown-layer',
        node: node.id,
        message: `There is no layer called "${node.type}".`,
      })
      continue
    }
    known.set(node.id, { node, layer, attrs: checkAttrs(node, layer, problems) })
  }
  return known
}

function checkAttrs(node: GraphNode, layer: Layer, problems: Problem[]): ResolvedAttrs | null {
  const out: Record<string, ResolvedAttrs[string]> = {}
  let ok = true
  for (const name of Object.keys(node.attrs)) {
    if (!(name in layer.attrs)) {
      ok = false
      problems.push({
        severity: 'error',
        code: 'bad-attribute',
        node: node.id,
        attr: name,
        message: `${layer.title} has no attribute "${name}".`,
      })
    }
  }
  for (const [name, spec] of Object.entries(layer.attrs)) {
    const r = resolveAttr(spec, node.attrs[name])
    if ('error' in r) {
      ok = false
      problems.push({
        severity: 'error',
        code: 'bad-attribute',
        node: node.id,
        attr: name,
        message: `${spec.label ?? name} ${r.error}.`,
      })
    } else out[name] = r.value
  }
  return ok ? out : null
}

/** Checks each edge's ends; returns, per target node, the edge feeding each input port. */
function checkEdges(
  graph: ModelGraph,
  known: Map<string, Known>,
  problems: Problem[],
): Map<string, Map<string, GraphEdge>> {
  const incoming = new Map<string, Map<string, GraphEdge>>()
  const present = new Set(graph.nodes.map((n) => n.id))
  for (const edge of graph.edges) {
    if (!edgeEndsExist(edge, known, present, problems)) continue
    const ports = incoming.get(edge.target.node) ?? new Map<string, GraphEdge>()
    incoming.set(edge.target.node, ports)
    if (ports.has(edge.target.port)) {
      problems.push({
        severity: 'error',
        code: 'two-edges-into-input',
        node: edge.target.node,
        port: edge.target.port,
        edge: edge.id,
        message: `Input "${edge.target.port}" has two incoming connections; it takes one.`,
      })
      continue
    }
    ports.set(edge.target.port, edge)
  }
  return incoming
}

/**
 * Whether both ends of the edge are nodes with such a port. A node whose layer is unknown (told
 * once, as unknown-layer) counts as there, with any port: its edges are not errors of their own.
 */
function edgeEndsExist(
  edge: GraphEdge,
  known: Map<string, Known>,
  present: ReadonlySet<string>,
  problems: Problem[],
): boolean {
  const ends = [
    { ref: edge.source, side: 'outputs' as const },
    { ref: edge.target, side: 'inputs' as const },
  ]
  for (const { ref, side } of ends) {
    const k = known.get(ref.node)
    if (!k && present.has(ref.node)) continue
    if (!k) {
      problems.push({
        severity: 'error',
        code: 'unknown-node',
        edge: edge.id,
        message: `Connection ${edge.id} refers to a missing node "${ref.node}".`,
      })
      return false
    }
    if (!k.layer[side].some((p) => p.name === ref.port)) {
      problems.push({
        severity: 'error',
        code: 'unknown-port',
        node: ref.node,
        port: ref.port,
        edge: edge.id,
        message: `${k.layer.title} has no ${side === 'inputs' ? 'input' : 'output'} "${ref.port}".`,
      })
      return false
    }
  }
  return true
}

function inferNode(
  k: Known,
  attrs: ResolvedAttrs,
  incoming: Map<string, GraphEdge>,
  nodes: Record<string, NodeInfo>,
  problems: Problem[],
): void {
  const inputs: Record<string, Shape> = {}
  for (const port of k.layer.inputs) {
    const edge = incoming.get(port.name)
    if (!edge) {
      if (!port.optional) {
        problems.push({
          severity: 'error',
          code: 'unconnected-input',
          node: k.node.id,
          port: port.name,
          message: `Input "${port.label ?? port.name}" of ${k.layer.title} is not connected.`,
        })
        return
      }
      continue
    }
    const shape = nodes[edge.source.node]?.outputs[edge.source.port]
    if (!shape) return // the source failed; its own problem explains why
    inputs[port.name] = shape
  }
  try {
    const outputs = k.layer.shape(inputs, attrs)
    const params = k.layer.params(inputs, attrs)
    const paramCount = Object.values(params).reduce((a, s) => a + sizeOf(s), 0)
    nodes[k.node.id] = { outputs, params, paramCount, flops: k.layer.flops(inputs, outputs, attrs) }
  } catch (err) {
    if (!(err instanceof ShapeRuleError)) throw err
    const given = Object.entries(inputs)
      .map(([p, s]) => `${p}: ${formatShape(s)}`)
      .join(', ')
    problems.push({
      severity: 'error',
      code: 'shape-mismatch',
      node: k.node.id,
      ...(err.port === undefined ? {} : { port: err.port }),
      message: `${err.message} (inputs ${given || 'none'}).`,
    })
  }
}
