// Whole-graph checks: a squashing layer before a loss that squashes by itself.
import { describe, expect, it } from 'vitest'
import { inspectGraph } from './inspect'
import { chain, defaultGraph } from './test-graphs'

const found = (g: Parameters<typeof inspectGraph>[0]) =>
  inspectGraph(g).problems.map((p) => [p.severity, p.code, p.node])

describe('a Softmax or Sigmoid before a loss that applies it itself', () => {
  it('warns on the Softmax before Cross-entropy, naming both nodes and the fix', () => {
    const g = defaultGraph()
    g.nodes.push({ id: 'ce', type: 'softmax-cross-entropy', attrs: {}, position: { x: 0, y: 0 } })
    g.edges.push({
      id: 'e',
      source: { node: 'softmax', port: 'y' },
      target: { node: 'ce', port: 'x' },
    })
    const problems = inspectGraph(g).problems
    expect(problems.map((p) => [p.severity, p.code, p.node])).toEqual([
      ['warning', 'double-activation', 'softmax'],
    ])
    expect(problems[0]?.message).toBe(
      'Softmax "softmax" feeds Cross-entropy "ce", which applies the softmax itself: the ' +
        'scores are squashed twice, so the loss cannot get near zero and learning slows. ' +
        'Remove the Softmax; the loss takes raw scores (logits).',
    )
  })

  it('looks through pass-through layers, and warns on Sigmoid before Binary cross-entropy', () => {
    const g = chain([
      ['i', 'input', { shape: '2' }],
      ['d', 'dense', { units: 1 }],
      ['s', 'sigmoid'],
      ['drop', 'dropout'],
      ['l', 'bce-with-logits'],
    ])
    expect(found(g)).toEqual([['warning', 'double-activation', 's']])
    expect(inspectGraph(g).problems[0]?.message).toContain(
      'Binary cross-entropy "l", which applies the sigmoid itself',
    )
  })

  it('says nothing when the loss takes raw scores, or the activation suits the loss', () => {
    const logits = chain([
      ['i', 'input', { shape: '2' }],
      ['d', 'dense', { units: 2 }],
      ['l', 'softmax-cross-entropy'],
    ])
    expect(found(logits)).toEqual([])
    const squashedForMse = chain([
      ['i', 'input', { shape: '2' }],
      ['d', 'dense', { units: 1 }],
      ['s', 'sigmoid'],
      ['l', 'mse'],
    ])
    expect(found(squashedForMse)).toEqual([])
  })
})
