import { describe, expect, it } from 'vitest'
import { inspectGraph } from './inspect'
import { chain, defaultGraph } from './test-graphs'
import type { ModelGraph } from './model-graph'

const codes = (g: ModelGraph) => inspectGraph(g).problems.map((p) => [p.code, p.node])

describe('shape inference', () => {
  it('infers the default graph: Dense 8 after 2 inputs has 24 parameters', () => {
    const r = inspectGraph(defaultGraph())
    expect(r.problems.map((p) => p.code)).toEqual(['no-loss'])
    expect(r.nodes.input?.outputs).toEqual({ y: [2] })
    expect(r.nodes.dense1).toEqual({
      outputs: { y: [8] },
      params: { weight: [8, 2], bias: [8] },
      paramCount: 24,
      flops: 32,
    })
    expect(r.nodes.tanh?.outputs).toEqual({ y: [8] })
    expect(r.nodes.dense2?.paramCount).toBe(18)
    expect(r.nodes.softmax?.outputs).toEqual({ y: [2] })
    expect(r.totals.params).toBe(42)
  })

  it('counts m·n + n for Dense and m·n without bias', () => {
    const g = chain([
      ['i', 'input', { shape: '784' }],
      ['d', 'dense', { units: 128 }],
    ])
    expect(inspectGraph(g).nodes.d?.paramCount).toBe(784 * 128 + 128)
    const nb = chain([
      ['i', 'input', { shape: '784' }],
      ['d', 'dense', { units: 128, bias: false }],
    ])
    expect(inspectGraph(nb).nodes.d?.params).toEqual({ weight: [128, 784] })
  })

  it('applies Dense to the last axis of a multi-dimensional input', () => {
    const g = chain([
      ['i', 'input', { shape: '3, 5' }],
      ['d', 'dense', { units: 4 }],
    ])
    expect(inspectGraph(g).nodes.d?.outputs).toEqual({ y: [3, 4] })
  })

  it('keeps the shape through every activation', () => {
    for (const type of [
      'relu',
      'leaky-relu',
      'elu',
      'selu',
      'gelu',
      'silu',
      'mish',
      'sigmoid',
      'tanh',
      'softplus',
      'softsign',
      'hard-sigmoid',
      'sine',
      'identity',
      'softmax',
    ]) {
      const g = chain([
        ['i', 'input', { shape: '4, 3' }],
        ['a', type],
      ])
      expect(inspectGraph(g).nodes.a?.outputs, type).toEqual({ y: [4, 3] })
    }
  })
})

describe('validation', () => {
  it('reports unknown layers and bad attributes, naming node and attribute', () => {
    const g = chain([
      ['i', 'input', { shape: 'two' }],
      ['d', 'dense', { units: 0 }],
      ['q', 'quantum'],
      ['l', 'leaky-relu', { alpha: 'big' }],
    ])
    const r = inspectGraph(g)
    expect(r.problems.map((p) => [p.code, p.node, p.attr])).toEqual([
      ['bad-attribute', 'i', 'shape'],
      ['bad-attribute', 'd', 'units'],
      ['unknown-layer', 'q', undefined],
      ['bad-attribute', 'l', 'alpha'],
    ])
    // The unknown layer's connections are not missing nodes: it is there, told once.
    expect(r.problems[1]?.message).toBe('Units must be between 1 and 65536 (got 0).')
  })

  it('reports a connection to a node that is not there', () => {
    const g = chain([
      ['i', 'input'],
      ['d', 'dense'],
    ])
    g.edges.push({
      id: 'e9',
      source: { node: 'ghost', port: 'y' },
      target: { node: 'd', port: 'x' },
    })
    const r = inspectGraph(g)
    expect(r.problems.map((p) => [p.code, p.edge, p.message])).toContainEqual([
      'unknown-node',
      'e9',
      'Connection e9 refers to a missing node "ghost".',
    ])
  })

  it('reports an unconnected input and two edges into one input', () => {
    const g = chain([
      ['i', 'input'],
      ['d', 'dense'],
    ])
    g.nodes.push({ id: 'd2', type: 'dense', attrs: {}, position: { x: 0, y: 0 } })
    g.edges.push({ id: 'dup', source: { node: 'i', port: 'y' }, target: { node: 'd', port: 'x' } })
    expect(codes(g)).toEqual([
      ['two-edges-into-input', 'd'],
      ['unconnected-input', 'd2'],
    ])
  })

  it('reports the nodes of a cycle, not the nodes after it', () => {
    const g = chain([
      ['a', 'relu'],
      ['b', 'tanh'],
      ['c', 'sigmoid'],
    ])
    g.edges.push({ id: 'back', source: { node: 'b', port: 'y' }, target: { node: 'a', port: 'x' } })
    expect(codes(g)).toEqual([
      ['cycle', 'a'],
      ['cycle', 'b'],
    ])
  })

  it('reports ports that do not exist and duplicate ids', () => {
    const g = chain(
      [
        ['i', 'input'],
        ['d', 'dense'],
      ],
      { out: 'y', in: 'nope' },
    )
    g.nodes.push({ id: 'i', type: 'relu', attrs: {}, position: { x: 0, y: 0 } })
    expect(codes(g)).toEqual([
      ['duplicate-id', 'i'],
      ['unknown-port', 'd'],
      ['unconnected-input', 'd'],
    ])
  })
})
