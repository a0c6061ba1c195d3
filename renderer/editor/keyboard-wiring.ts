// Wiring without a pointer: the names a person hears for nodes and connections ("Dense 1 →
// ReLU"), the inputs a node's output may be connected to (each checked as a drop would be), and
// where a layer added after another one goes and which of its inputs takes the other's output.
import type { GraphEdge, ModelGraph, PortRef } from '../../engine/graph/model-graph'
import type { Point } from '../project/graph-edits'
import { coversNode } from './free-spot'
import { NODE_WIDTH, portsOf } from './layer-node'
import type { LinkVerdict } from './validation'
import { checkLink, nodeName } from './validation'

/**
 * Each node's name, unique in the graph: its label or layer title, with the number from its id
 * when another node shares that name ("Dense 1", "Dense 2", but "ReLU" when there is one).
 */
export function displayNames(graph: ModelGraph): Map<string, string> {
  const base = new Map(graph.nodes.map((n) => [n.id, nodeName(graph, n.id)]))
  const shared = repeated(base.values())
  const out = new Map<string, string>()
  for (const [id, name] of base) {
    const number = /-(\d+)$/.exec(id)?.[1]
    if (!shared.has(name)) out.set(id, name)
    else out.set(id, number === undefined ? `${name} (${id})` : `${name} ${number}`)
  }
  // Two numbers may still collide ("Dense 1" from dense-1 and from relu-1 renamed Dense).
  const clash = repeated(out.values())
  for (const [id, name] of out) if (clash.has(name)) out.set(id, `${base.get(id) ?? ''} (${id})`)
  return out
}

/** The names that occur more than once. */
function repeated(names: Iterable<string>): Set<string> {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const name of names) (seen.has(name) ? twice : seen).add(name)
  return twice
}

type Side = 'inputs' | 'outputs'

/** The port's label, and whether the node has more than one port on that side. */
function portOf(graph: ModelGraph, ref: PortRef, side: Side): { label: string; many: boolean } {
  const type = graph.nodes.find((n) => n.id === ref.node)?.type
  const ports = type === undefined ? [] : portsOf(type)[side]
  const label = ports.find((p) => p.name === ref.port)?.label ?? ref.port
  return { label, many: ports.length > 1 }
}

/** "Dense 1 · x": a node and one of its ports. */
export function portName(
  graph: ModelGraph,
  ref: PortRef,
  side: Side,
  names = displayNames(graph),
): string {
  return `${names.get(ref.node) ?? ref.node} · ${portOf(graph, ref, side).label}`
}

/**
 * A connection's accessible name: "Dense 1 → ReLU"; a port is named only where its node has
 * several on that side ("Dense 2 → Softmax cross-entropy · prediction").
 */
export function linkName(
  graph: ModelGraph,
  edge: Pick<GraphEdge, 'source' | 'target'>,
  names = displayNames(graph),
): string {
  const end = (ref: PortRef, side: Side): string => {
    const port = portOf(graph, ref, side)
    const node = names.get(ref.node) ?? ref.node
    return port.many ? `${node} · ${port.label}` : node
  }
  return `${end(edge.source, 'outputs')} → ${end(edge.target, 'inputs')}`
}

/** One input an output may be connected to, with the graph the connection would make. */
export interface ConnectOption {
  readonly source: PortRef
  readonly target: PortRef
  /** "ReLU · x", or "y → ReLU · x" when the source has several outputs. */
  readonly label: string
  readonly graph: ModelGraph
}

/**
 * Every input that `nodeId`'s outputs may be connected to now, as a drop there would be checked
 * (free input, no loop, shapes that agree), in reading order of the canvas: left to right, then
 * top to bottom.
 */
export function connectOptions(graph: ModelGraph, nodeId: string): ConnectOption[] {
  const source = graph.nodes.find((n) => n.id === nodeId)
  if (!source) return []
  const names = displayNames(graph)
  const outputs = portsOf(source.type).outputs
  const others = graph.nodes
    .filter((n) => n.id !== nodeId)
    .sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y)
  const options: ConnectOption[] = []
  for (const out of outputs) {
    const from = { node: nodeId, port: out.name }
    for (const node of others) {
      for (const input of portsOf(node.type).inputs) {
        const to = { node: node.id, port: input.name }
        const verdict = checkLink(graph, from, to)
        if (!verdict.ok) continue
        const target = portName(graph, to, 'inputs', names)
        const label = outputs.length > 1 ? `${out.label} → ${target}` : target
        options.push({ source: from, target: to, label, graph: verdict.graph })
      }
    }
  }
  return options
}

const AFTER_GAP = 72
/** How far down a layer added after another steps past a card already to the right. */
const AFTER_STEP = 24

/**
 * Where a `type` layer added after `sourceId` goes: to its right, stepping down past any card
 * it would cover there.
 */
export function spotAfter(graph: ModelGraph, sourceId: string, type: string): Point | undefined {
  const source = graph.nodes.find((n) => n.id === sourceId)
  if (!source) return undefined
  const at = { x: source.position.x + NODE_WIDTH + AFTER_GAP, y: source.position.y }
  for (let i = 0; i < 200 && coversNode(graph, type, at); i++) at.y += AFTER_STEP
  return at
}

/**
 * Connects `sourceId`'s output to the first input of `targetId` that takes it, each checked as a
 * drop would be; when none does, the reason the first input gives (or that there is no port).
 */
export function wireAfter(graph: ModelGraph, sourceId: string, targetId: string): LinkVerdict {
  const type = (id: string): string => graph.nodes.find((n) => n.id === id)?.type ?? ''
  const output = portsOf(type(sourceId)).outputs[0]
  if (!output) return { ok: false, reason: `${nodeName(graph, sourceId)} has no output.` }
  const source = { node: sourceId, port: output.name }
  const verdicts = portsOf(type(targetId)).inputs.map((input) =>
    checkLink(graph, source, { node: targetId, port: input.name }),
  )
  const first = verdicts[0]
  if (!first) return { ok: false, reason: `${nodeName(graph, targetId)} takes no input.` }
  return verdicts.find((v) => v.ok) ?? first
}
