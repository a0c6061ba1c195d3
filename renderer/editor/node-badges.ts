// Turns the engine's inspection into what one node shows: output shape, parameter count and
// the sentences of its problems.
import type { Layer } from '../../engine/graph/layer'
import { formatShape } from '../../engine/graph/shape'
import type { InspectResult } from '../../engine/protocol/messages'
import { formatParams } from '../format'
import type { NodeBadges } from './layer-node'
import { PENDING_BADGES } from './layer-node'

/** Dead ReLUs and saturated sigmoid/tanh units of one node over the last probed batch. */
export interface UnitCounts {
  readonly units: number
  readonly dead: number
  readonly saturated: number
}

export function nodeBadges(
  id: string,
  layer: Layer | undefined,
  inspection: InspectResult | null,
  units?: UnitCounts,
): NodeBadges {
  if (!inspection) return PENDING_BADGES
  const problems = inspection.problems
    .filter((p) => p.node === id && p.severity === 'error')
    .map((p) => p.message)
  const info = inspection.nodes[id]
  if (!info) return { state: 'failed', shape: '?', params: '', problems }
  const diagnostic = units ? diagnosticText(units) : null
  return {
    state: 'inferred',
    shape: outputText(info.outputs, layer),
    params: formatParams(info.paramCount),
    problems,
    ...(diagnostic ? { diagnostic } : {}),
  }
}

/** "3 of 8 units dead", "all 8 units saturated", or null when every unit is healthy. */
export function diagnosticText({ units, dead, saturated }: UnitCounts): string | null {
  const part = (n: number, what: string) =>
    n === 0 ? null : `${n === units ? 'all' : `${n} of`} ${units} units ${what}`
  const parts = [part(dead, 'dead'), part(saturated, 'saturated')].filter(Boolean)
  return parts.length > 0 ? parts.join(', ') : null
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
    a.problems.join('\n') === b.problems.join('\n') &&
    a.diagnostic === b.diagnostic
  )
}
