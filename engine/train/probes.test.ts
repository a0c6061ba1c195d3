import { describe, expect, it } from 'vitest'
import type { Dataset } from '../data/dataset'
import { chain } from '../graph/test-graphs'
import { compileInference } from './model'
import { ProbeRequestError, createProber } from './probes'
import { createSession } from './session'
import { trainSettings } from './settings'
import { dataset, mlp, playground } from './train-fixtures'

describe('probes', () => {
  it('draws every node over the input plane, the prediction matching inference', () => {
    const graph = mlp('2', [4], 'tanh', 2, 'softmax-cross-entropy')
    const data = playground('xor', 1)
    const session = createSession(graph, data, trainSettings({ epochs: 2 }))
    session.train(session.totalSteps)
    const weights = session.weights()
    const plane = createProber(graph, data, 1).plane(3, [0, 1], weights)
    expect(plane.xRange).toEqual([-6, 6])
    expect(plane.yRange).toEqual([-6, 6])
    expect(plane.nodes.act1?.shape).toEqual([9, 4])
    // Each grid cell is probed at its centre: 3 cells over [−6, 6] are 4 wide, so cell (row 0,
    // column 2), the top right, is x = 4, y = 4; cell (row 2, column 0) is x = −4, y = −4.
    const { exe } = compileInference(graph, 1, 1)
    for (const [name, t] of Object.entries(weights)) exe.write(name, t.data)
    const topRight = exe.run({ x: [4, 4] }).pred ?? []
    expect(Array.from(plane.prediction.data.slice(4, 6))).toEqual(Array.from(topRight))
    const bottomLeft = exe.run({ x: [-4, -4] }).pred ?? []
    expect(Array.from(plane.prediction.data.slice(12, 14))).toEqual(Array.from(bottomLeft))
  })

  it('probes each cell at its centre, x across and y upward, as the picture draws it', () => {
    // One Dense unit with weights (1, 10): its output tells the x and y it was given.
    const graph = chain([
      ['input', 'input', { shape: '2' }],
      ['d', 'dense', { units: 1 }],
    ])
    const weights = {
      'd.weight': { data: new Float32Array([1, 10]) },
      'd.bias': { data: new Float32Array([0]) },
    }
    const plane = createProber(graph, playground('xor', 1), 1).plane(4, [0, 1], weights)
    // Pixel (i, j) of a 4 × 4 picture over [−6, 6]² covers x ∈ [−6 + 3j, −3 + 3j] and
    // y ∈ [3 − 3i, 6 − 3i]: its centre is x = −4.5 + 3j, y = 4.5 − 3i.
    const at = (i: number, j: number) => plane.nodes.d?.data[i * 4 + j]
    expect(at(0, 0)).toBeCloseTo(-4.5 + 10 * 4.5, 5)
    expect(at(0, 3)).toBeCloseTo(4.5 + 10 * 4.5, 5)
    expect(at(3, 0)).toBeCloseTo(-4.5 - 10 * 4.5, 5)
    expect(at(2, 1)).toBeCloseTo(-1.5 - 10 * 1.5, 5)
  })

  it('maps the declared range through standardisation, so the plane covers the data', () => {
    const xor = { name: 'xor', noise: 0, size: 200, trainRatio: 0.5, seed: 1 } as const
    const data = dataset({ kind: 'builtin', ...xor, standardize: true })
    const graph = mlp('2', [3], 'tanh', 2, 'softmax-cross-entropy')
    const weights = createSession(graph, data, trainSettings({ epochs: 1 })).weights()
    const { mean, std } = data.normalization ?? { mean: [], std: [] }
    const ends = [0, 1].flatMap((f) => [-6, 6].map((v) => (v - (mean[f] ?? 0)) / (std[f] ?? 1)))
    const plane = createProber(graph, data, 1).plane(2, [0, 1], weights)
    expect(plane.yRange).toEqual(plane.xRange)
    const [lo, hi] = plane.xRange
    expect(lo).toBeCloseTo(Math.min(...ends), 5)
    expect(hi).toBeCloseTo(Math.max(...ends), 5)
    // Playground's ±6 is about ±2 standard deviations of XOR, not ±6.
    expect(hi).toBeLessThan(2.5)
    let span = 0
    for (const v of data.train.x) span = Math.max(span, Math.abs(v))
    expect(hi).toBeGreaterThanOrEqual(span * 0.99)
  })

  it('spans each axis over its own feature when the data declares no range', () => {
    // Iris-like rows (sepal length, sepal width, petal length, petal width): petal width spans
    // 0.1 to 2.5, petal length 1 to 6.9, and all four together 0.1 to 7.9.
    const rows = [
      [5.1, 3.5, 1.4, 0.2],
      [7.9, 3.8, 6.4, 2.0],
      [4.3, 3.0, 1.1, 0.1],
      [6.3, 3.3, 6.0, 2.5],
      [5.8, 2.0, 1.0, 1.3],
      [7.7, 4.4, 6.9, 2.3],
    ]
    const x = Float32Array.from(rows.flat())
    const y = Float32Array.from(rows, (_, i) => i % 3)
    const data: Dataset = {
      name: 'iris-like',
      task: 'classification',
      featureNames: ['sepal length', 'sepal width', 'petal length', 'petal width'],
      inputShape: [4],
      classNames: ['a', 'b', 'c'],
      train: { x, y, count: rows.length },
      test: { x, y, count: rows.length },
    }
    // One unit reading petal length + 10 × petal width: its output tells the x and y it was given.
    const graph = chain([
      ['input', 'input', { shape: '4' }],
      ['d', 'dense', { units: 1 }],
    ])
    const weights = {
      'd.weight': { data: new Float32Array([0, 0, 1, 10]) },
      'd.bias': { data: new Float32Array([0]) },
    }
    const plane = createProber(graph, data, 1).plane(4, [2, 3], weights)
    const [xLo, xHi] = plane.xRange
    const [yLo, yHi] = plane.yRange
    // Each axis covers its own feature with a small margin, and no more than a tenth beyond it.
    expect(xLo).toBeLessThanOrEqual(1.0)
    expect(xHi).toBeGreaterThanOrEqual(6.9)
    expect(xHi - xLo).toBeLessThan(5.9 * 1.2)
    expect(yLo).toBeLessThanOrEqual(0.1)
    expect(yHi).toBeGreaterThanOrEqual(2.5)
    expect(yHi - yLo).toBeLessThan(2.4 * 1.2)
    // The grid follows the two ranges: each cell is probed at its centre, x across, y upward.
    const xCell = (xHi - xLo) / 4
    const yCell = (yHi - yLo) / 4
    const at = (i: number, j: number) => plane.nodes.d?.data[i * 4 + j]
    expect(at(0, 0)).toBeCloseTo(xLo + xCell / 2 + 10 * (yHi - yCell / 2), 4)
    expect(at(3, 3)).toBeCloseTo(xHi - xCell / 2 + 10 * (yLo + yCell / 2), 4)
  })

  it('refuses plane features beyond the input, naming them and the input width', () => {
    const graph = mlp('2', [4], 'tanh', 2, 'softmax-cross-entropy')
    const data = playground('xor', 1)
    const weights = createSession(graph, data, trainSettings({ epochs: 1 })).weights()
    const prober = createProber(graph, data, 1)
    expect(() => prober.plane(2, [5, 9], weights)).toThrow(ProbeRequestError)
    expect(() => prober.plane(2, [5, 9], weights)).toThrow(
      "Plane features [5, 9]: 5 and 9 are not features of this model's input, which has 2 (0 to 1)",
    )
    expect(() => prober.plane(2, [2, 2], weights)).toThrow(': 2 is not a feature of')
    expect(() => prober.plane(2, [1, 2], weights)).toThrow(': 2 is not a feature of')
  })

  it('splits a 1-D fit into each hidden unit’s weighted contribution', () => {
    const graph = mlp('1', [6], 'tanh', 1, 'mse')
    const data = dataset({
      kind: 'builtin',
      name: 'fn-sin',
      noise: 0,
      size: 64,
      trainRatio: 0.5,
      seed: 1,
    })
    const session = createSession(graph, data, trainSettings({ epochs: 20, batchSize: 8 }))
    session.train(session.totalSteps)
    const weights = session.weights()
    const probe = createProber(graph, data, 1).contributions(5, weights)
    expect(probe.contributions).toHaveLength(6)
    expect(probe.x[0]).toBeCloseTo(-Math.PI, 5)
    const { exe } = compileInference(graph, 5, 1)
    for (const [name, t] of Object.entries(weights)) exe.write(name, t.data)
    const pred = exe.run({ x: probe.x, target: new Float32Array(5) }).pred ?? []
    for (let i = 0; i < 5; i++) {
      const sum = probe.contributions.reduce((s, row) => s + (row[i] ?? 0), probe.bias)
      expect(sum).toBeCloseTo(pred[i] ?? NaN, 5)
      expect(probe.fit[i]).toBeCloseTo(pred[i] ?? NaN, 5)
    }
  })

  it('gives any node’s activations for a batch', () => {
    const graph = chain([
      ['input', 'input', { shape: '2' }],
      ['d', 'dense', { units: 3 }],
      ['r', 'relu'],
    ])
    const data = playground('circle', 1)
    const weights = {
      'd.weight': { data: new Float32Array([1, 0, 0, 1, -1, -1]) },
      'd.bias': { data: new Float32Array([0, 0, 0]) },
    }
    const { tensor: t, targets } = createProber(graph, data, 1).activations('r', 'test', 2, weights)
    expect(t.shape).toEqual([2, 3])
    expect(Array.from(targets.data)).toEqual(Array.from(data.test.y.slice(0, 2)))
    const x = data.test.x
    const expected = [
      x[0],
      x[1],
      -(x[0] ?? 0) - (x[1] ?? 0),
      x[2],
      x[3],
      -(x[2] ?? 0) - (x[3] ?? 0),
    ]
    expect(Array.from(t.data)).toEqual(expected.map((v) => Math.fround(Math.max(0, v ?? 0))))
  })
})
