// Importing a safetensors file into a graph: all or nothing, and every mismatch named.
import { describe, expect, it } from 'vitest'
import { chain } from '../graph/test-graphs'
import { mlp, playground } from '../train/train-fixtures'
import { createSession } from '../train/session'
import { trainSettings } from '../train/settings'
import { applyWeights } from './apply-weights'
import { importWeights } from './import-weights'
import { writeSafetensors } from './safetensors'

const graph = chain([
  ['input', 'input', { shape: '2' }],
  ['dense1', 'dense', { units: 3 }],
  ['bn', 'batch-norm'],
  ['out', 'dense', { units: 1 }],
  ['loss', 'mse'],
])

const t = (shape: number[], fill = 0.5) => ({
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill),
})
const complete = {
  'dense1.weight': t([3, 2]),
  'dense1.bias': t([3]),
  'bn.weight': t([3]),
  'bn.bias': t([3]),
  'bn.running_mean': t([3]),
  'bn.running_var': t([3], 1),
  'out.weight': t([1, 3]),
  'out.bias': t([1]),
}

describe('importing weights', () => {
  it('accepts a file with exactly the graph’s tensors, BatchNorm statistics included', () => {
    const r = importWeights(graph, writeSafetensors(complete))
    expect(r.ok && Object.keys(r.weights).sort()).toEqual(Object.keys(complete).sort())
  })

  it('lists every missing, extra and wrongly-shaped tensor', () => {
    const rest: Record<string, { shape: number[]; data: Float32Array }> = { ...complete }
    delete rest['bn.running_var']
    delete rest['out.bias']
    const r = importWeights(
      graph,
      writeSafetensors({ ...rest, 'dense1.weight': t([2, 3]), 'dense9.weight': t([4]) }),
    )
    expect(r.ok ? [] : r.errors).toEqual([
      'missing tensor "bn.running_var": the graph needs [3] (3)',
      'missing tensor "out.bias": the graph needs [1] (1)',
      'extra tensor "dense9.weight" [4] (4): the graph has no such slot',
      'tensor "dense1.weight" has shape [2, 3] (2×3); the graph needs [3, 2] (3×2)',
    ])
  })

  it('passes on a damaged file’s byte offsets', () => {
    const bytes = writeSafetensors(complete).slice(0, 100)
    const r = importWeights(graph, bytes)
    expect(r.ok ? '' : r.errors[0]).toMatch(/^byte 0: the header length \d+ runs past the end/)
  })

  it('writes checked weights into a session and changes nothing on a mismatch', () => {
    const g = mlp('2', [4], 'tanh', 2, 'softmax-cross-entropy')
    const session = createSession(g, playground('xor', 1), trainSettings({ batchSize: 10 }))
    session.train(3)
    const before = session.weights()
    const ones = Object.fromEntries(
      Object.entries(before).map(([k, w]) => [k, { shape: w.shape, data: w.data.map(() => 1) }]),
    )
    expect(() => applyWeights(session, { ...ones, 'dense2.bias': t([3]) })).toThrow(/dense2.bias/)
    expect(session.weights()).toEqual(before)
    applyWeights(session, ones)
    expect(session.weights()['dense1.weight']?.data.every((v) => v === 1)).toBe(true)
    expect(session.step).toBe(3)
  })

  it('checks every tensor’s length before writing any: one short tensor changes nothing', () => {
    const g = mlp('2', [4], 'tanh', 2, 'softmax-cross-entropy')
    const session = createSession(g, playground('xor', 1), trainSettings({ batchSize: 10 }))
    const before = session.weights()
    const sevens = Object.fromEntries(
      Object.entries(before).map(([k, w]) => [k, { shape: w.shape, data: w.data.map(() => 7) }]),
    )
    const short = { ...sevens, 'dense2.bias': { shape: [2], data: new Float32Array(1) } }
    expect(() => applyWeights(session, short)).toThrow(
      'tensor "dense2.bias" has 1 values; its shape [2] takes 2',
    )
    expect(session.weights()).toEqual(before)
  })
})
