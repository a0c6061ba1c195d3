// Turns the engine's inspection into what one node shows: output shape, parameter count and
// its problems (errors, warnings and hints, the worst first).
import type { Layer } from '../../engine/graph/layer'
import { formatShape } from '../../engine/graph/shape'
import type { Severity } from '../../engine/graph/problems'
import type { InspectResult } from '../../engine/protocol/messages'
import { formatParams } from '../format'
import type { NodeBadges, NodeProblem } from './layer-node'
import { PENDING_BADGES } from './layer-node'
import type { UnitCounts } from '../training/diagnostics'

export function nodeBadges(
  id: string,
  layer: Layer | undefined,
  inspection: InspectResult | null,
  units?: UnitCounts,
): NodeBadges {
  if (!inspection) return PENDING_BADGES
  const problems = problemsOf(id, inspection.problems)
  const info = inspection.nodes[id]
  if (!info) return { state: 'failed', shape: '?', params: '', problems }
  // Counts of the node as the run had it: not of one whose type or units were edited since.
  const asProbed = units?.type === layer?.type && unitsOf(info.outputs) === units?.units
  const diagnostic = units && asProbed ? diagnosticText(units) : null
  return {
    state: 'inferred',
    shape: outputText(info.outputs, layer),
    params: formatParams(info.paramCount),
    problems,
    ...(diagnostic ? { diagnostic } : {}),
  }
}

/** A one-output node's units: its output's first axis (features, or channels). */
function unitsOf(outputs: Readonly<Record<string, readonly number[]>>): number | undefined {
  const shapes = Object.values(outputs)
  return shapes.length === 1 ? shapes[0]?.[0] : undefined
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, hint: 2 }

/** The node's problems, errors first, then warnings, then hints (each in the engine's order). */
export function problemsOf(id: string, all: InspectResult['problems']): NodeProblem[] {
  return all
    .filter((p) => p.node === id)
    .map((p) => ({ severity: p.severity, message: p.message }))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity])
}

/** "3 of 8 units dead", "all 8 units saturated", or null when every unit is healthy. */
export function diagnosticText({
  units,
  dead,
  saturated,
}: Omit<UnitCounts, 'type'>): string | null {
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
    problemsKey(a.problems) === problemsKey(b.problems) &&
    a.diagnostic === b.diagnostic
  )
}

const problemsKey = (list: readonly NodeProblem[]): string =>
  list.map((p) => `${p.severity}: ${p.message}`).join('\n')
