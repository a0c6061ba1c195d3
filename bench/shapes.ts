// The three MLP training steps the issue measures, and the synthetic batches every contender
// trains on (the same numbers for all, made from a seed, so no contender reads different data).

import type { Budget } from './measure'

export interface MlpShape {
  readonly name: string
  /** Units per layer, input first: [2, 8, 8, 2] is 2-8-8-2. */
  readonly layers: readonly number[]
  readonly activation: 'tanh' | 'relu'
  readonly loss: 'softmax-cross-entropy' | 'mse'
  readonly optimizer: 'sgd' | 'adam'
  readonly batch: number
  readonly lr: number
}

export const SHAPES: readonly MlpShape[] = [
  {
    name: '2-8-8-2 tanh',
    layers: [2, 8, 8, 2],
    activation: 'tanh',
    loss: 'softmax-cross-entropy',
    optimizer: 'sgd',
    batch: 10,
    lr: 0.03,
  },
  {
    name: '784-256-128-10 relu',
    layers: [784, 256, 128, 10],
    activation: 'relu',
    loss: 'softmax-cross-entropy',
    optimizer: 'adam',
    batch: 128,
    lr: 0.001,
  },
  {
    name: '1024-2048-2048-1024 relu',
    layers: [1024, 2048, 2048, 1024],
    activation: 'relu',
    loss: 'mse',
    optimizer: 'sgd',
    batch: 256,
    lr: 0.01,
  },
]

export interface Batch {
  /** batch × inputs, uniform in [-1, 1). */
  readonly x: Float32Array
  /** Class indices (cross-entropy) or batch × outputs values in [-1, 1) (MSE). */
  readonly target: Float32Array
}

export function makeBatch(shape: MlpShape, seed = 7): Batch {
  let s = seed
  const rand = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
  const inputs = shape.layers[0] ?? 1
  const outputs = shape.layers.at(-1) ?? 1
  const x = new Float32Array(shape.batch * inputs).map(() => rand() * 2 - 1)
  const target =
    shape.loss === 'mse'
      ? new Float32Array(shape.batch * outputs).map(() => rand() * 2 - 1)
      : new Float32Array(shape.batch).map(() => Math.floor(rand() * outputs))
  return { x, target }
}

/** Time for each contender on a shape: longer warm-ups and bursts for the small ones. */
export function budgetFor(shape: MlpShape): Budget {
  const work = shape.layers.reduce((w, n, i) => w + n * (shape.layers[i + 1] ?? 0), 0)
  if (work < 1000) return { warm: 0.5, minWarm: 200, seconds: 3, burst: 0.1 }
  if (work < 1e6) return { warm: 1, minWarm: 2, seconds: 4, burst: 0.25 }
  // A second's warm-up: a GPU's clocks rise only after work has run a while.
  return { warm: 1, minWarm: 1, seconds: 8, burst: 0.25 }
}
