// Turns the engine's inspection into what one node shows: output shape, parameter count and
// the sentences of its problems.
import type { Layer } from '../../engine/graph/layer'
import { formatShape } from '../../engine/graph/shape'
import type { InspectResult } from '../../engine/protocol/messages'
import { formatParams } from '../format'
import type { NodeBadges } from './layer-node'
import { PENDING_BADGES } from './layer-node'

export function nodeBadges(
  id: string,
  layer: Layer | undefined,
  inspection: InspectResult | null,
): NodeBadges {
  if (!inspection) return PENDING_BADGES
  const problems = inspection.problems
    .filter((p) => p.node === id && p.severity === 'error')
    .map((p) => p.message)
  const info = inspection.nodes[id]
  if (!info) return { state: 'failed', shape: '?', params: '', problems }
  return {
    state: 'inferred',
    shape: outputText(info.outputs, layer),
    params: formatParams(info.paramCount),
    problems,
  }
}

/** "8" for one output; "y: 8, h: 16" for several; "none" for a layer without outputs. */
function outputText(
  outputs: Readonly<Record<string, readonly number[]>>,
  layer: Layer | undefined,
): string {
  const names = layer?.outputs.map((p) => p.name) ?? Object.keys(outputs)
  const known = names.filter((n) => outputs[n] !== undefined)
  if (known.length === 0) return 'none'
  if (known.length === 1) return formatShape(outputs[known[0] ?? ''] ?? [])
  return known.map((n) => `${n}: ${formatShape(outputs[n] ?? [])}`).join(', ')
}

export function sameBadges(a: NodeBadges, b: NodeBadges): boolean {
  return (
    a.state === b.state &&
    a.shape === b.shape &&
    a.params === b.params &&
    a.problems.join('\n') === b.problems.join('\n')
  )
}
