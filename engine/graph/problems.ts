// Problems found in a graph: each names where it is (node, port or attribute), carries a stable
// code for tests and tools, and a sentence a learner understands.

export type Severity = 'error' | 'warning' | 'hint'

export type ProblemCode =
  | 'duplicate-id'
  | 'unknown-layer'
  | 'unknown-node'
  | 'unknown-port'
  | 'bad-attribute'
  | 'two-edges-into-input'
  | 'unconnected-input'
  | 'cycle'
  | 'shape-mismatch'
  | 'no-loss'
  | 'loss-unreachable'
  | 'cannot-learn'
  | 'linear-collapse'
  | 'double-activation'

export interface Problem {
  severity: Severity
  code: ProblemCode
  message: string
  node?: string
  port?: string
  attr?: string
  edge?: string
}
