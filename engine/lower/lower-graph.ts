// Lowering: a validated ModelGraph becomes one IR Program for a fixed batch size. Each layer
// contributes its own lowering rule; this file only walks the graph in order, names every
// parameter the way PyTorch would (<node>.<param>), and wires data, targets and outputs.
import { inspectGraph } from '../graph/inspect'
import type { InitKind, Layer, LowerContext, ResolvedAttrs, Values } from '../graph/layer'
import { resolveAttr } from '../graph/attrs'
import type { GraphNode, ModelGraph } from '../graph/model-graph'
import type { Problem } from '../graph/problems'
import { getLayer } from '../graph/registry'
import type { Shape } from '../graph/shape'
import { topologicalOrder } from '../graph/topology'
import type { Program, Value } from '../ir'
import { ProgramBuilder } from '../ir'

export const DATA_INPUT = 'x'
export const TARGET_INPUT = 'target'
export const KEY_INPUT = 'key'
export const LOSS_OUTPUT = 'loss'
export const PREDICTION_OUTPUT = 'pred'
/** Output name of a probed node's first output. */
export const probeOutput = (node: string): string => `node:${node}`
/** Output name of a state tensor's next value. */
export const nextState = (name: string): string => `next:${name}`

export interface TensorSlot {
  /** <node>.<param>, e.g. dense1.weight */
  readonly name: string
  readonly node: string
  readonly key: string
  readonly shape: Shape
  readonly init: InitKind
  /** Penalties from the layer's l1 / l2 attributes (weights only). */
  readonly l1: number
  readonly l2: number
}

export interface LowerOptions {
  readonly batch: number
  /** Training: dropout on, batch statistics, state updates and a loss output required. */
  readonly training: boolean
  readonly seed: number
  /** Nodes whose first output the program should also return (activation probes). */
  readonly probe?: readonly string[]
}

export interface LoweredGraph {
  readonly program: Program
  readonly params: readonly TensorSlot[]
  readonly state: readonly TensorSlot[]
  readonly dataShape: Shape
  /** Per-example target shape when an unwired loss reads the data set's targets. */
  readonly targetShape: Shape | null
  /** The loss node whose prediction is the model's output, when there is one. */
  readonly lossNode: string | null
  /** The node that produces the prediction. */
  readonly outputNode: string
  /** True when the program reads the per-step random key (dropout). */
  readonly usesKey: boolean
}

export class LoweringError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map((p) => (p.node ? `${p.node}: ${p.message}` : p.message)).join('\n'))
  }
}

interface Walk {
  readonly ir: ProgramBuilder
  readonly options: LowerOptions
  readonly values: Map<string, Values>
  readonly params: TensorSlot[]
  readonly state: TensorSlot[]
  data: Value | null
  target: Value | null
  key: Value | null
  readonly losses: { node: string; loss: Value; prediction: Value }[]
}

export function lowerGraph(graph: ModelGraph, options: LowerOptions): LoweredGraph {
  const inspection = inspectGraph(graph)
  const errors = inspection.problems.filter((p) => p.severity === 'error')
  if (errors.length > 0) throw new LoweringError(errors)
  const walk: Walk = {
    ir: new ProgramBuilder(),
    options,
    values: new Map(),
    params: [],
    state: [],
    data: null,
    target: null,
    key: null,
    losses: [],
  }
  const { order } = topologicalOrder(
    graph.nodes.map((n) => n.id),
    graph.edges,
  )
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  order.forEach((id, index) => {
    const node = byId.get(id)
    if (node) lowerNode(walk, graph, node, index)
  })
  return finish(walk, graph, order)
}

function lowerNode(walk: Walk, graph: ModelGraph, node: GraphNode, index: number): void {
  const layer = getLayer(node.type)
  if (!layer) return
  const attrs = resolvedAttrs(layer, node)
  const inputs: Record<string, Value> = {}
  for (const edge of graph.edges) {
    if (edge.target.node !== node.id) continue
    const v = walk.values.get(edge.source.node)?.[edge.source.port]
    if (v) inputs[edge.target.port] = v
  }
  const shapes = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, v.shape.slice(1)] as const),
  )
  const params = declare(walk, node, layer, attrs, layer.params(shapes, attrs), 'param')
  declare(walk, node, layer, attrs, layer.state(shapes, attrs), 'state')
  const outputs = layer.lower(context(walk, node, attrs, index), inputs, params, attrs)
  walk.values.set(node.id, outputs)
  const loss = outputs.loss
  const prediction = inputs.x
  if (layer.family === 'losses' && loss && prediction) {
    walk.losses.push({ node: node.id, loss, prediction })
  }
}

function resolvedAttrs(layer: Layer, node: GraphNode): ResolvedAttrs {
  const out: Record<string, ResolvedAttrs[string]> = {}
  for (const [name, spec] of Object.entries(layer.attrs)) {
    const r = resolveAttr(spec, node.attrs[name])
    // inspectGraph has already refused invalid attributes.
    if ('value' in r) out[name] = r.value
  }
  return out
}

function declare(
  walk: Walk,
  node: GraphNode,
  layer: Layer,
  attrs: ResolvedAttrs,
  shapes: Readonly<Record<string, Shape>>,
  kind: 'param' | 'state',
): Values {
  const inits = layer.init(attrs)
  const penalty = (key: string, name: 'l1' | 'l2') =>
    key === 'weight' && typeof attrs[name] === 'number' ? attrs[name] : 0
  const values: Record<string, Value> = {}
  for (const [key, shape] of Object.entries(shapes)) {
    const name = `${node.id}.${key}`
    const fallback = typeof attrs.init === 'string' ? (attrs.init as InitKind) : 'xavier-uniform'
    const init = inits[key] ?? (kind === 'state' || key === 'bias' ? 'zeros' : fallback)
    const slot = {
      name,
      node: node.id,
      key,
      shape,
      init,
      l1: penalty(key, 'l1'),
      l2: penalty(key, 'l2'),
    }
    ;(kind === 'param' ? walk.params : walk.state).push(slot)
    values[key] = kind === 'param' ? walk.ir.param(name, shape) : walk.ir.state(name, shape)
  }
  return values
}

function context(walk: Walk, node: GraphNode, attrs: ResolvedAttrs, index: number): LowerContext {
  const { ir, options } = walk
  return {
    ir,
    training: options.training,
    batch: options.batch,
    seed: (Math.imul(options.seed + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0,
    data: () => {
      const shape = Array.isArray(attrs.shape) ? attrs.shape : []
      walk.data ??= ir.input(DATA_INPUT, [options.batch, ...shape])
      if (walk.data.shape.length !== shape.length + 1) {
        throw new LoweringError([
          {
            severity: 'error',
            code: 'shape-mismatch',
            node: node.id,
            message: 'All Input nodes read the same data, so they need the same shape.',
          },
        ])
      }
      return walk.data
    },
    target: (shape) => (walk.target ??= ir.input(TARGET_INPUT, shape)),
    state: (key) => ir.named(`${node.id}.${key}`),
    updateState: (key, next) =>
      ir.output(nextState(`${node.id}.${key}`), next, `${node.id}.${key}`),
    stepKey: () => (walk.key ??= ir.input(KEY_INPUT, [])),
  }
}

function finish(walk: Walk, graph: ModelGraph, order: readonly string[]): LoweredGraph {
  const { ir, options } = walk
  const fail = (code: Problem['code'], message: string): never => {
    throw new LoweringError([{ severity: 'error', code, message }])
  }
  if (!walk.data) return fail('unconnected-input', 'The graph has no Input, so it sees no data.')
  const first = walk.losses[0]
  if (options.training && !first) {
    return fail('no-loss', 'There is no loss: add one so training has something to minimise.')
  }
  const outputNode = addOutputs(walk, graph, order)
  return {
    program: ir.build(),
    params: walk.params,
    state: walk.state,
    dataShape: walk.data.shape.slice(1),
    targetShape: walk.target ? walk.target.shape.slice(1) : null,
    lossNode: first?.node ?? null,
    outputNode,
    usesKey: walk.key !== null,
  }
}

/** Adds loss, prediction and probe outputs; returns the node that makes the prediction. */
function addOutputs(walk: Walk, graph: ModelGraph, order: readonly string[]): string {
  const { ir, options } = walk
  const first = walk.losses[0]
  let outputNode: string
  if (first) {
    const total = walk.losses.slice(1).reduce((sum, l) => ir.add(sum, l.loss), first.loss)
    ir.output(LOSS_OUTPUT, total)
    ir.output(PREDICTION_OUTPUT, first.prediction)
    outputNode = sourceOf(graph, first.node)
  } else {
    outputNode = sinkNode(graph, order)
    const out = Object.values(walk.values.get(outputNode) ?? {})[0]
    if (out) ir.output(PREDICTION_OUTPUT, out)
  }
  for (const id of options.probe ?? []) {
    const v = Object.values(walk.values.get(id) ?? {})[0]
    if (v) ir.output(probeOutput(id), v)
  }
  return outputNode
}

/** The node feeding a loss's prediction port. */
function sourceOf(graph: ModelGraph, lossNode: string): string {
  const edge = graph.edges.find((e) => e.target.node === lossNode && e.target.port === 'x')
  return edge?.source.node ?? lossNode
}

/** The last node, in order, whose output feeds nothing: the model's output without a loss. */
function sinkNode(graph: ModelGraph, order: readonly string[]): string {
  const feeds = new Set(graph.edges.map((e) => e.source.node))
  const sinks = order.filter((id) => !feeds.has(id))
  return sinks[sinks.length - 1] ?? order[order.length - 1] ?? ''
}
