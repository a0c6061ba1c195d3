// The neuron heatmaps' layout: each shown node of the probed plane as a column of units, with
// one colour scale per layer and the units a diagnosis flags.
import type { ColorScale } from '../charts/color-scale'
import { divergingScale, maxAbs } from '../charts/color-scale'
import type { HeatmapGrid } from '../charts/heatmap'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { graphRoles, neuronNodes, nodeTitle } from '../training/graph-roles'
import type { PlaneResult, ProbeResults } from '../training/probe-cycle'
import { unitsOf } from '../training/plane-view'

export const MAX_UNITS_SHOWN = 32

export interface NeuronUnit {
  readonly index: number
  readonly grid: HeatmapGrid
  readonly dead: boolean
  readonly saturated: boolean
}

export interface NeuronLayer {
  readonly id: string
  readonly title: string
  readonly units: number
  readonly scale: ColorScale
  readonly shown: readonly NeuronUnit[]
}

export function neuronLayers(
  graph: ModelGraph,
  plane: PlaneResult,
  diagnostics: ProbeResults['diagnostics'],
): NeuronLayer[] {
  const order = graphRoles(graph).order
  const res = plane.resolution
  return neuronNodes(graph, order).flatMap((id) => {
    const t = plane.nodes[id]
    const units = unitsOf(t)
    if (!t || units === null) return []
    const d = diagnostics?.[id]
    const shown = Array.from({ length: Math.min(units, MAX_UNITS_SHOWN) }, (_, u) => ({
      index: u,
      grid: { values: t.data, rows: res, cols: res, stride: units, offset: u },
      dead: d?.dead.includes(u) ?? false,
      saturated: d?.saturated.includes(u) ?? false,
    }))
    return [
      { id, title: nodeTitle(graph, id), units, scale: divergingScale(maxAbs(t.data)), shown },
    ]
  })
}
