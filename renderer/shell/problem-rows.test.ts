// Problems panel rows: sorted by severity, then node order, naming each node by its title.
import { describe, expect, it } from 'vitest'
import { starterGraph } from '../project/starter-graph'
import { setLabel } from '../project/graph-edits'
import { problemRows, problemSummary } from './problem-rows'

describe('problemRows', () => {
  const graph = setLabel(starterGraph(), 'dense-2', 'Classifier')

  it('puts errors first, then node order, and names nodes and attributes', () => {
    const rows = problemRows(
      [
        { severity: 'hint', code: 'linear-collapse', message: 'h', node: 'dense-1' },
        { severity: 'warning', code: 'no-loss', message: 'w' },
        { severity: 'error', code: 'bad-attribute', message: 'e2', node: 'dense-2', attr: 'units' },
        { severity: 'error', code: 'shape-mismatch', message: 'e1', node: 'tanh-1', port: 'x' },
      ],
      graph,
    )
    expect(rows.map((r) => [r.severity, r.nodeTitle, r.where, r.nodeId])).toEqual([
      ['error', 'Tanh', 'x', 'tanh-1'],
      ['error', 'Classifier', 'Units', 'dense-2'],
      ['warning', 'Model', null, null],
      ['hint', 'Dense', null, 'dense-1'],
    ])
  })

  it('keeps a problem whose node is gone, unselectable', () => {
    const [row] = problemRows([{ severity: 'error', code: 'x', message: 'm', node: 'gone' }], graph)
    expect(row).toMatchObject({ nodeId: null, nodeTitle: 'gone' })
  })
})

describe('problemSummary', () => {
  it('counts by severity', () => {
    expect(problemSummary([])).toBe('No problems')
    expect(
      problemSummary([{ severity: 'error' }, { severity: 'error' }, { severity: 'hint' }]),
    ).toBe('2 errors · 1 hint')
  })
})
