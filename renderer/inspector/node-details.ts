// What the inspector says about one node: the layer's words, its attribute values, and the
// engine's shapes, parameter tensors, cost and problems, as text ready to show.
import type { AttrSpec } from '../../engine/graph/attrs'
import type { Family } from '../../engine/graph/layer'
import type { AttrValue, GraphNode, ModelGraph } from '../../engine/graph/model-graph'
import { getLayer } from '../../engine/graph/registry'
import { formatShape, sizeOf } from '../../engine/graph/shape'
import type { InspectResult } from '../../engine/protocol/messages'
import { formatCount, formatParams } from '../format'

export interface Row {
  readonly name: string
  readonly value: string
}

export interface NodeDetails {
  readonly id: string
  readonly type: string
  readonly title: string
  readonly family: Family | 'unknown'
  readonly description: string
  readonly formula: string | null
  readonly attrs: readonly Row[]
  /** null until the engine could infer this node. */
  readonly outputs: readonly Row[] | null
  readonly params: readonly Row[]
  readonly paramText: string | null
  readonly flopsText: string | null
  readonly problems: readonly string[]
}

export function nodeDetails(
  graph: ModelGraph,
  id: string,
  inspection: InspectResult | null,
): NodeDetails | null {
  const node = graph.nodes.find((n) => n.id === id)
  if (!node) return null
  return { ...layerPart(node), ...enginePart(id, inspection) }
}

type LayerPart = Pick<
  NodeDetails,
  'id' | 'type' | 'title' | 'family' | 'description' | 'formula' | 'attrs'
>

/** What the registry says: the layer's words and the node's attribute values. */
function layerPart(node: GraphNode): LayerPart {
  const layer = getLayer(node.type)
  return {
    id: node.id,
    type: node.type,
    title: node.label ?? layer?.title ?? node.type,
    family: layer?.family ?? 'unknown',
    description: layer?.description ?? `There is no layer called "${node.type}".`,
    formula: layer?.formula ?? null,
    attrs: attrRows(node, layer?.attrs ?? {}),
  }
}

/** What the engine's inspection says: shapes, parameters, cost and problems. */
function enginePart(
  id: string,
  inspection: InspectResult | null,
): Omit<NodeDetails, keyof LayerPart> {
  const info = inspection?.nodes[id]
  const problems = (inspection?.problems ?? []).filter((p) => p.node === id).map((p) => p.message)
  if (!info) return { outputs: null, params: [], paramText: null, flopsText: null, problems }
  return {
    outputs: shapeRows(info.outputs),
    params: paramRows(info.params),
    paramText: formatParams(info.paramCount),
    flopsText: `${formatCount(info.flops)} FLOPs per example`,
    problems,
  }
}

function attrRows(node: GraphNode, specs: Readonly<Record<string, AttrSpec>>): Row[] {
  const rows = Object.entries(specs).map(([name, spec]) => ({
    name: spec.label ?? name,
    value: attrText(node.attrs[name] ?? spec.default),
  }))
  // Attributes the layer does not know are shown too: they are what a problem refers to.
  for (const [name, value] of Object.entries(node.attrs)) {
    if (!(name in specs)) rows.push({ name, value: attrText(value) })
  }
  return rows
}

function attrText(value: AttrValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return String(value)
}

function shapeRows(shapes: Readonly<Record<string, readonly number[]>>): Row[] {
  return Object.entries(shapes).map(([name, shape]) => ({ name, value: formatShape(shape) }))
}

function paramRows(shapes: Readonly<Record<string, readonly number[]>>): Row[] {
  return Object.entries(shapes).map(([name, shape]) => ({
    name,
    value: `${formatShape(shape)} (${formatCount(sizeOf(shape))})`,
  }))
}
