// The engine's side of a bench shape: the MLP graph from the training fixtures and the settings
// a session would compile it with. Both engine contenders (CPU in Node, WebGPU in the page)
// start here, so they train the same step.

import type { ModelGraph } from '../engine/graph/model-graph'
import { mlp } from '../engine/train/train-fixtures'
import type { TrainSettings } from '../engine/train/settings'
import { trainSettings } from '../engine/train/settings'
import type { MlpShape } from './shapes'

export function engineGraph(shape: MlpShape): { graph: ModelGraph; settings: TrainSettings } {
  const [inputs = 1, ...rest] = shape.layers
  const hidden = rest.slice(0, -1)
  const graph = mlp(String(inputs), hidden, shape.activation, rest.at(-1) ?? 1, shape.loss)
  const optimizer =
    shape.optimizer === 'adam'
      ? ({ type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const)
      : ({ type: 'sgd' } as const)
  const settings = trainSettings({
    batchSize: shape.batch,
    learningRate: shape.lr,
    optimizer,
    seed: 1,
  })
  return { graph, settings }
}
