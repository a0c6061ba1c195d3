// What went wrong, in the words a person needs: the engine's message split into lines (a CSV's
// lines name their row and column), and for a graph the engine refused, the problems by node.
import type { InspectResult } from '../../engine/protocol/messages'
import { EngineError } from '../engine-client/client'

export interface Failure {
  readonly title: string
  readonly code: string | null
  readonly lines: readonly string[]
  readonly problems: readonly { node: string | null; message: string }[]
}

export function describeFailure(
  err: unknown,
  title: string,
  graphProblems: InspectResult['problems'],
): Failure {
  const message = err instanceof Error ? err.message : String(err)
  const code = err instanceof EngineError ? err.code : null
  const lines = message.split('\n').filter((l) => l.trim() !== '')
  const graphRefused = code === 'invalid-project' && /graph has problems/i.test(message)
  const problems = graphRefused
    ? graphProblems
        .filter((p) => p.severity === 'error')
        .map((p) => ({ node: p.node ?? null, message: p.message }))
    : []
  return { title, code, lines, problems }
}
