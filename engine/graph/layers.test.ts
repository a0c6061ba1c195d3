import { describe, expect, it } from 'vitest'
import { inspectGraph } from './inspect'
import type { ModelGraph } from './model-graph'
import { layers } from './registry'
import { chain } from './test-graphs'

const info = (g: ModelGraph, id: string) => inspectGraph(g).nodes[id]
const problems = (g: ModelGraph) =>
  inspectGraph(g).problems.map((p) => `${p.code}@${p.node ?? ''}${p.port ? `.${p.port}` : ''}`)

describe('image layers', () => {
  const mnist = (...rest: Parameters<typeof chain>[0]) =>
    chain([['i', 'input', { shape: '1, 28, 28' }], ...rest])

  it('Conv2D follows PyTorch: out = floor((n + 2p − k)/s) + 1', () => {
    const g = mnist(['c', 'conv2d', { filters: 8, kernel: 5, stride: 1, padding: 2 }])
    expect(info(g, 'c')).toMatchObject({
      outputs: { y: [8, 28, 28] },
      params: { weight: [8, 1, 5, 5], bias: [8] },
      paramCount: 8 * 25 + 8,
    })
    const s2 = mnist(['c', 'conv2d', { filters: 4, kernel: 3, stride: 2 }])
    expect(info(s2, 'c')?.outputs).toEqual({ y: [4, 13, 13] })
  })

  it('pools, flattens and feeds Dense', () => {
    const g = mnist(
      ['c', 'conv2d', { filters: 8 }],
      ['p', 'max-pool2d'],
      ['a', 'avg-pool2d'],
      ['f', 'flatten'],
      ['d', 'dense', { units: 10 }],
    )
    expect(info(g, 'p')?.outputs).toEqual({ y: [8, 13, 13] })
    expect(info(g, 'a')?.outputs).toEqual({ y: [8, 6, 6] })
    expect(info(g, 'f')?.outputs).toEqual({ y: [288] })
    expect(info(g, 'd')?.paramCount).toBe(2890)
  })

  it('refuses a vector into Conv2D and a window larger than the image', () => {
    expect(
      problems(
        chain([
          ['i', 'input', { shape: '4' }],
          ['c', 'conv2d'],
        ]),
      ),
    ).toContain('shape-mismatch@c.x')
    const g = chain([
      ['i', 'input', { shape: '1, 2, 2' }],
      ['c', 'conv2d', { kernel: 5 }],
    ])
    expect(inspectGraph(g).problems[0]?.message).toContain('does not fit 2 positions')
  })
})

describe('structure and normalisation', () => {
  it('Add needs equal shapes and names both', () => {
    const g = chain([
      ['i', 'input', { shape: '3' }],
      ['d', 'dense', { units: 4 }],
    ])
    g.nodes.push({ id: 'add', type: 'add', attrs: {}, position: { x: 0, y: 0 } })
    g.edges.push(
      { id: 'a', source: { node: 'i', port: 'y' }, target: { node: 'add', port: 'a' } },
      { id: 'b', source: { node: 'd', port: 'y' }, target: { node: 'add', port: 'b' } },
    )
    const r = inspectGraph(g)
    expect(r.problems[0]?.message).toContain('Add needs equal shapes, got 3 and 4')
  })

  it('Concat adds along its axis', () => {
    const g = chain([
      ['i', 'input', { shape: '3' }],
      ['d', 'dense', { units: 4 }],
    ])
    g.nodes.push({ id: 'cat', type: 'concat', attrs: {}, position: { x: 0, y: 0 } })
    g.edges.push(
      { id: 'a', source: { node: 'i', port: 'y' }, target: { node: 'cat', port: 'a' } },
      { id: 'b', source: { node: 'd', port: 'y' }, target: { node: 'cat', port: 'b' } },
    )
    expect(info(g, 'cat')?.outputs).toEqual({ y: [7] })
  })

  it('Reshape keeps the count; BatchNorm keeps running statistics out of the parameters', () => {
    const bad = chain([
      ['i', 'input', { shape: '6' }],
      ['r', 'reshape', { shape: '4, 2' }],
    ])
    expect(problems(bad)).toContain('shape-mismatch@r')
    const g = chain([
      ['i', 'input', { shape: '6' }],
      ['r', 'reshape', { shape: '3, 2' }],
    ])
    expect(info(g, 'r')?.outputs).toEqual({ y: [3, 2] })
    const bn = chain([
      ['i', 'input', { shape: '6' }],
      ['b', 'batch-norm'],
    ])
    expect(info(bn, 'b')?.params).toEqual({ weight: [6], bias: [6] })
    expect(layers.get('batch-norm')?.state({ x: [6] }, {})).toEqual({
      running_mean: [6],
      running_var: [6],
    })
  })

  it('Embedding appends its vector size', () => {
    const g = chain([
      ['i', 'input', { shape: '12' }],
      ['e', 'embedding', { vocab: 50, dim: 8 }],
    ])
    expect(info(g, 'e')).toMatchObject({ outputs: { y: [12, 8] }, paramCount: 400 })
  })
})

describe('losses and whole-graph checks', () => {
  it('a loss is a scalar; cross-entropy needs two or more classes', () => {
    const g = chain([
      ['i', 'input'],
      ['d', 'dense', { units: 3 }],
      ['l', 'softmax-cross-entropy'],
    ])
    expect(info(g, 'l')?.outputs).toEqual({ loss: [] })
    expect(inspectGraph(g).problems).toEqual([])
    const one = chain([
      ['i', 'input'],
      ['d', 'dense', { units: 1 }],
      ['l', 'softmax-cross-entropy'],
    ])
    expect(problems(one)).toEqual(['shape-mismatch@l.x'])
  })

  it('warns about a loss with nothing to learn, and one no Input reaches', () => {
    expect(
      problems(
        chain([
          ['i', 'input'],
          ['t', 'tanh'],
          ['l', 'mse'],
        ]),
      ),
    ).toEqual(['cannot-learn@l'])
    const g = chain([
      ['i', 'input'],
      ['d', 'dense'],
      ['l', 'mse'],
    ])
    g.nodes.push({ id: 'l2', type: 'mse', attrs: {}, position: { x: 0, y: 0 } })
    g.nodes.push({ id: 'd2', type: 'dense', attrs: {}, position: { x: 0, y: 0 } })
    expect(problems(g)).toEqual(['unconnected-input@l2.x', 'unconnected-input@d2.x'])
  })

  it('hints that two Dense layers with no activation between them are one', () => {
    const g = chain([
      ['i', 'input'],
      ['d1', 'dense'],
      ['id', 'identity'],
      ['d2', 'dense'],
      ['l', 'mse'],
    ])
    const r = inspectGraph(g)
    expect(r.problems.map((p) => [p.severity, p.code, p.node])).toEqual([
      ['hint', 'linear-collapse', 'd2'],
    ])
    const fixed = chain([
      ['i', 'input'],
      ['d1', 'dense'],
      ['r', 'relu'],
      ['d2', 'dense'],
      ['l', 'mse'],
    ])
    expect(inspectGraph(fixed).problems).toEqual([])
  })

  it('every registered layer has a title, a family and a description', () => {
    for (const layer of layers.values()) {
      expect(layer.title, layer.type).not.toBe('')
      expect(layer.description.length, layer.type).toBeGreaterThan(20)
    }
  })
})
