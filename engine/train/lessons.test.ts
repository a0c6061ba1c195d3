// The lecture's claims, shown by training: two linear layers are one linear function, and a
// run that blows up names the first layer whose values stopped being finite.
import { describe, expect, it } from 'vitest'
import { inspectGraph } from '../graph/inspect'
import { compileInference } from './model'
import { createSession } from './session'
import { trainSettings } from './settings'
import { dataset, mlp, playground } from './train-fixtures'

describe('two Dense layers without an activation', () => {
  const graph = mlp('2', [], 'identity', 2, 'softmax-cross-entropy')
  // mlp() with no hidden layers gives one Dense; insert a second Dense straight after it.
  graph.nodes.splice(2, 0, {
    id: 'dense0',
    type: 'dense',
    attrs: { units: 8 },
    position: { x: 0, y: 0 },
  })
  graph.edges[0] = {
    id: 'e1',
    source: { node: 'input', port: 'y' },
    target: { node: 'dense0', port: 'x' },
  }
  graph.edges.push({
    id: 'e0',
    source: { node: 'dense0', port: 'y' },
    target: { node: 'dense1', port: 'x' },
  })

  it('are reported as one Dense layer (a hint, not an error)', () => {
    const problems = inspectGraph(graph).problems
    expect(problems.map((p) => [p.severity, p.code, p.node])).toEqual([
      ['hint', 'linear-collapse', 'dense1'],
    ])
  })

  it('learn a function that is linear: f(a) + f(b) − f(0) = f(a + b)', () => {
    const session = createSession(
      graph,
      playground('circle', 1),
      trainSettings({ batchSize: 10, epochs: 20, learningRate: 0.01 }),
    )
    session.train(session.totalSteps)
    // A linear model cannot separate a disc from the ring around it.
    expect(session.evaluate('test').accuracy).toBeLessThan(0.75)
    const { exe } = compileInference(graph, 4, 1)
    for (const [name, t] of Object.entries(session.weights())) exe.write(name, t.data)
    const pred = exe.run({ x: [0.7, -1.3, 2.1, 0.4, 2.8, -0.9, 0, 0] }).pred ?? []
    const f = (i: number) => [pred[2 * i] ?? NaN, pred[2 * i + 1] ?? NaN]
    const [a, b, sum, zero] = [f(0), f(1), f(2), f(3)]
    for (let k = 0; k < 2; k++) {
      expect((a[k] ?? 0) + (b[k] ?? 0) - (zero[k] ?? 0)).toBeCloseTo(sum[k] ?? 0, 4)
    }
  })
})

describe('a diverging run', () => {
  it('stops at the step it happened and names the first layer that went non-finite', () => {
    // Unscaled features near float32's limit: the first Dense layer's sums overflow.
    const rows = Array.from({ length: 40 }, (_, i) => `${Array(12).fill(3e38).join(',')},${i % 2}`)
    const data = dataset(
      {
        kind: 'csv',
        name: 'huge.csv',
        target: 'y',
        task: 'regression',
        standardize: false,
        trainRatio: 0.5,
        seed: 1,
      },
      { csv: [`${'abcdefghijkl'.split('').join(',')},y`, ...rows].join('\n') },
    )
    const graph = mlp('12', [8], 'relu', 1, 'mse')
    const session = createSession(graph, data, trainSettings({ batchSize: 4, epochs: 2 }))
    const result = session.train(session.totalSteps)
    expect(result.divergence).toMatchObject({ node: 'dense1', step: 1 })
    expect(result.divergence?.message).toContain('Training stopped at step 1')
    expect(session.step).toBe(1)
  })
})
