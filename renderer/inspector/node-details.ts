// What the inspector says about one node: the layer's words, its attributes with their specs
// (for the controls), and the engine's shapes, parameter tensors, cost and problems as text.
import type { AttrSpec } from '../../engine/graph/attrs'
import type { Family } from '../../engine/graph/layer'
import type { AttrValue, GraphNode, ModelGraph } from '../../engine/graph/model-graph'
import type { Severity } from '../../engine/graph/problems'
import { getLayer } from '../../engine/graph/registry'
import type { Shape } from '../../engine/graph/shape'
import { formatShape, sizeOf } from '../../engine/graph/shape'
import type { InspectResult } from '../../engine/protocol/messages'
import { formatCount, formatParams } from '../format'

export interface Row {
  readonly name: string
  readonly value: string
}

export interface AttrRow {
  readonly name: string
  readonly label: string
  /** null for an attribute the layer does not know: shown, not editable. */
  readonly spec: AttrSpec | null
  readonly value: AttrValue | undefined
}

export interface NodeProblem {
  readonly severity: Severity
  readonly message: string
}

export interface NodeDetails {
  readonly id: string
  readonly type: string
  /** The node's own label, if it has one. */
  readonly label: string | null
  readonly layerTitle: string
  readonly title: string
  readonly family: Family | 'unknown'
  readonly description: string
  readonly formula: string | null
  readonly attrs: readonly AttrRow[]
  /** null until the engine could infer this node. */
  readonly outputs: readonly Row[] | null
  readonly params: readonly Row[]
  readonly paramShapes: Readonly<Record<string, Shape>> | null
  readonly paramText: string | null
  readonly flopsText: string | null
  readonly problems: readonly NodeProblem[]
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
  'id' | 'type' | 'label' | 'layerTitle' | 'title' | 'family' | 'description' | 'formula' | 'attrs'
>

/** What the registry says: the layer's words and the node's attribute values. */
function layerPart(node: GraphNode): LayerPart {
  const layer = getLayer(node.type)
  const words = layer
    ? { layerTitle: layer.title, family: layer.family, description: layer.description }
    : {
        layerTitle: node.type,
        family: 'unknown' as const,
        description: `There is no layer called "${node.type}".`,
      }
  return {
    ...words,
    id: node.id,
    type: node.type,
    label: node.label ?? null,
    title: node.label ?? words.layerTitle,
    formula: layer?.formula ?? null,
    attrs: attrRows(node, layer?.attrs ?? {}),
  }
}

/** What the engine's inspection says: shapes, parameters, cost and problems. */
function enginePart(
  id: string,
  inspection: InspectResult | null,
): Omit<NodeDetails, keyof LayerPart> {
  const problems = (inspection?.problems ?? [])
    .filter((p) => p.node === id)
    .map((p) => ({ severity: p.severity, message: p.message }))
  const info = inspection?.nodes[id]
  if (!info) {
    return {
      outputs: null,
      params: [],
      paramShapes: null,
      paramText: null,
      flopsText: null,
      problems,
    }
  }
  return {
    outputs: shapeRows(info.outputs),
    params: paramRows(info.params),
    paramShapes: info.params,
    paramText: formatParams(info.paramCount),
    flopsText: `${formatCount(info.flops)} FLOPs per example`,
    problems,
  }
}

function attrRows(node: GraphNode, specs: Readonly<Record<string, AttrSpec>>): AttrRow[] {
  const rows: AttrRow[] = Object.entries(specs).map(([name, spec]) => ({
    name,
    label: spec.label ?? name,
    spec,
    value: node.attrs[name],
  }))
  // Attributes the layer does not know are shown too: they are what a problem refers to.
  for (const [name, value] of Object.entries(node.attrs)) {
    if (!(name in specs)) rows.push({ name, label: name, spec: null, value })
  }
  return rows
}

function shapeRows(shapes: Readonly<Record<string, Shape>>): Row[] {
  return Object.entries(shapes).map(([name, shape]) => ({ name, value: formatShape(shape) }))
}

function paramRows(shapes: Readonly<Record<string, Shape>>): Row[] {
  return Object.entries(shapes).map(([name, shape]) => ({
    name,
    value: `${formatShape(shape)} (${formatCount(sizeOf(shape))})`,
  }))
}
