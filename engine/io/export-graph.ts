// The inference graph as the exporters (ONNX, PyTorch) see it: the nodes that feed the
// prediction, in order, with resolved attributes, the node on each input port and the shapes per
// example. Losses and branches that only feed a loss are left out; the same rules as lowering
// pick the prediction (the node feeding the first loss, or the last sink without a loss).
import type { Normalization } from '../data/dataset'
import { resolveAttr } from '../graph/attrs'
import type { NodeInfo } from '../graph/inspect'
import { inspectGraph } from '../graph/inspect'
import type { ResolvedAttrs } from '../graph/layer'
import type { ModelGraph } from '../graph/model-graph'
import { getLayer } from '../graph/registry'
import type { Shape } from '../graph/shape'
import { formatShape, sizeOf } from '../graph/shape'
import { topologicalOrder } from '../graph/topology'
import type { LoweredGraph } from '../lower/lower-graph'
import { LoweringError, lowerGraph } from '../lower/lower-graph'
import type { WeightMap } from './safetensors'
import { compareWeights, mismatchLines } from './import-weights'

export interface ExportNode {
  readonly id: string
  readonly type: string
  readonly attrs: ResolvedAttrs
  /** The node whose output feeds each input port (every exported layer has one output). */
  readonly inputs: Readonly<Record<string, string>>
  readonly inputShapes: Readonly<Record<string, Shape>>
  readonly outputShape: Shape
}

export interface ExportPlan {
  readonly nodes: readonly ExportNode[]
  /** The first Input node: the model's one input (every Input reads the same data). */
  readonly input: { readonly node: string; readonly shape: Shape }
  readonly output: { readonly node: string; readonly shape: Shape }
  /** Parameters and state the exported nodes need, by PyTorch name. */
  readonly weights: Readonly<Record<string, Shape>>
}

/** The graph cannot be exported, or the weights do not fit it; one sentence per problem. */
export class ExportError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'))
  }
}

export function planExport(graph: ModelGraph): ExportPlan {
  const lowered = lowerForExport(graph)
  const shapes = inspectGraph(graph).nodes
  const keep = ancestors(graph, lowered.outputNode)
  const { order } = topologicalOrder(
    graph.nodes.map((n) => n.id),
    graph.edges,
  )
  const nodes = order
    .filter((id) => keep.has(id))
    .map((id) => exportNode(graph, id, shapes))
    .filter((n): n is ExportNode => n !== null)
  const firstInput = nodes.find((n) => n.type === 'input')
  const output = nodes.find((n) => n.id === lowered.outputNode)
  if (!firstInput || !output) throw new ExportError(['The graph has no Input feeding its output.'])
  const weights: Record<string, Shape> = {}
  for (const slot of [...lowered.params, ...lowered.state]) {
    if (keep.has(slot.node)) weights[slot.name] = slot.shape
  }
  return {
    nodes,
    input: { node: firstInput.id, shape: firstInput.outputShape },
    output: { node: output.id, shape: output.outputShape },
    weights,
  }
}

function lowerForExport(graph: ModelGraph): LoweredGraph {
  try {
    return lowerGraph(graph, { batch: 1, training: false, seed: 0 })
  } catch (err) {
    if (!(err instanceof LoweringError)) throw err
    throw new ExportError(err.problems.map((p) => (p.node ? `${p.node}: ${p.message}` : p.message)))
  }
}

function exportNode(
  graph: ModelGraph,
  id: string,
  shapes: Readonly<Record<string, NodeInfo>>,
): ExportNode | null {
  const node = graph.nodes.find((n) => n.id === id)
  const layer = node && getLayer(node.type)
  if (!node || !layer) return null
  const attrs: Record<string, ResolvedAttrs[string]> = {}
  for (const [name, spec] of Object.entries(layer.attrs)) {
    const r = resolveAttr(spec, node.attrs[name])
    if ('value' in r) attrs[name] = r.value
  }
  const inputs: Record<string, string> = {}
  const inputShapes: Record<string, Shape> = {}
  for (const e of graph.edges.filter((e) => e.target.node === id)) {
    inputs[e.target.port] = e.source.node
    inputShapes[e.target.port] = shapes[e.source.node]?.outputs[e.source.port] ?? []
  }
  const outputShape = Object.values(shapes[id]?.outputs ?? {})[0] ?? []
  return { id, type: node.type, attrs, inputs, inputShapes, outputShape }
}

/** The node and every node upstream of it. */
function ancestors(graph: ModelGraph, id: string): Set<string> {
  const seen = new Set<string>()
  const stack = [id]
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (seen.has(n)) continue
    seen.add(n)
    for (const e of graph.edges) if (e.target.node === n) stack.push(e.source.node)
  }
  return seen
}

/** Throws an ExportError listing every missing and wrongly-shaped tensor the plan needs. */
export function requireWeights(plan: ExportPlan, weights: WeightMap): void {
  const mismatch = compareWeights(plan.weights, weights, { allowExtra: true })
  if (mismatch) throw new ExportError(mismatchLines(mismatch))
}

/** Throws an ExportError unless the standardisation has one mean and one std per input value. */
export function requireNormalization(plan: ExportPlan, n: Normalization): void {
  const size = sizeOf(plan.input.shape)
  if (n.mean.length === size && n.std.length === size) return
  throw new ExportError([
    `The input standardisation has ${n.mean.length} means and ${n.std.length} standard ` +
      `deviations, but each input has ${size} values (${formatShape(plan.input.shape)}).`,
  ])
}
