// The Problems panel's rows: every problem of the inspection with the title of the node it names,
// errors first, then warnings, then hints, each group in the graph's node order.
import type { GraphNode, ModelGraph } from '../../engine/graph/model-graph'
import type { Severity } from '../../engine/graph/problems'
import { getLayer } from '../../engine/graph/registry'

export interface ProblemLike {
  readonly severity: Severity
  readonly code: string
  readonly message: string
  readonly node?: string | undefined
  readonly port?: string | undefined
  readonly attr?: string | undefined
}

export interface ProblemRow {
  readonly key: string
  readonly severity: Severity
  readonly code: string
  readonly message: string
  /** The node the problem names, when it names one that is in the graph. */
  readonly nodeId: string | null
  /** "Dense", or the node's own label; "Model" for problems of the whole graph. */
  readonly nodeTitle: string
  /** The attribute's label or the port's name, when the problem names one. */
  readonly where: string | null
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, hint: 2 }

export function problemRows(problems: readonly ProblemLike[], graph: ModelGraph): ProblemRow[] {
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]))
  const rows = problems.map((p, i) => ({ row: problemRow(p, i, graph), i }))
  const place = (id: string | null): number =>
    id === null ? -1 : (order.get(id) ?? Number.MAX_SAFE_INTEGER)
  return rows
    .sort(
      (a, b) =>
        RANK[a.row.severity] - RANK[b.row.severity] ||
        place(a.row.nodeId) - place(b.row.nodeId) ||
        a.i - b.i,
    )
    .map((r) => r.row)
}

function problemRow(p: ProblemLike, i: number, graph: ModelGraph): ProblemRow {
  const node = graph.nodes.find((n) => n.id === p.node)
  return {
    key: `${i}:${p.code}:${p.node ?? ''}`,
    severity: p.severity,
    code: p.code,
    message: p.message,
    nodeId: node?.id ?? null,
    nodeTitle: node ? nodeTitle(node) : (p.node ?? 'Model'),
    where: where(p, node),
  }
}

function nodeTitle(node: GraphNode): string {
  return node.label ?? getLayer(node.type)?.title ?? node.type
}

function where(p: ProblemLike, node: GraphNode | undefined): string | null {
  if (p.attr === undefined) return p.port ?? null
  const spec = node ? getLayer(node.type)?.attrs[p.attr] : undefined
  return spec?.label ?? p.attr
}

/** "2 errors · 1 warning · 3 hints", or "No problems". */
export function problemSummary(rows: readonly { severity: Severity }[]): string {
  const count = (s: Severity): number => rows.filter((r) => r.severity === s).length
  const parts = (
    [
      ['error', 'errors'],
      ['warning', 'warnings'],
      ['hint', 'hints'],
    ] as const
  )
    .map(([s, many]) => [count(s), s, many] as const)
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
  return parts.length === 0 ? 'No problems' : parts.join(' · ')
}
