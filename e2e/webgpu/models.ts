// The graphs the harness trains and compiles: the studio's own samples (spiral 2-8-8-2, MNIST
// MLP, MNIST ConvNet) at batch sizes that suit SwiftShader, a smaller ConvNet, and graphs that
// between them use most layers and every optimizer, so the compile-only test sees the programs
// real projects make.

import spiralProject from '../../assets/examples/spiral.json'
import mnistMlpProject from '../../assets/examples/mnist-mlp.json'
import convnetProject from '../../assets/examples/mnist-convnet.json'
import xorProject from '../../assets/examples/xor.json'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { chain } from '../../engine/graph/test-graphs'
import { parseProject } from '../../engine/io/project-json'
import type { TrainSettings, TrainSettingsInput } from '../../engine/train/settings'
import { trainSettings } from '../../engine/train/settings'
import type { TrainModel } from './api'

export interface ModelCase {
  readonly name: string
  readonly graph: ModelGraph
  readonly settings: TrainSettings
}

function sample(json: unknown, name: string, overrides: TrainSettingsInput = {}): ModelCase {
  const r = parseProject(json)
  if (!r.ok) throw new Error(`${name}: ${r.errors.join('; ')}`)
  return {
    name,
    graph: r.project.graph,
    settings: trainSettings({ ...r.project.training, ...overrides }),
  }
}

const smallConvnet = (): ModelCase => ({
  name: 'convnet',
  graph: chain([
    ['input', 'input', { shape: '1, 28, 28' }],
    ['conv1', 'conv2d', { filters: 4, kernel: 3, padding: 1 }],
    ['act1', 'relu'],
    ['pool1', 'max-pool2d'],
    ['flatten', 'flatten'],
    ['dense1', 'dense', { units: 10 }],
    ['loss', 'softmax-cross-entropy'],
  ]),
  settings: trainSettings({ batchSize: 8, learningRate: 0.002, seed: 3 }),
})

/** The models whose training curves are compared, at batch sizes that suit SwiftShader. */
export function trainModel(model: TrainModel): ModelCase {
  if (model === 'spiral') return sample(spiralProject, 'spiral')
  // The spiral with the other optimizers, penalties and clipping: every update written in place.
  if (model === 'spiral-nesterov-clipped') {
    const optimizer = { type: 'momentum', momentum: 0.9, nesterov: true } as const
    return sample(spiralProject, model, { optimizer, clipNorm: 0.5, learningRate: 0.05 })
  }
  if (model === 'spiral-rmsprop-l2') {
    return sample(spiralProject, model, { optimizer: { type: 'rmsprop' }, l2: 0.001 })
  }
  if (model === 'spiral-adamw-l1') {
    const optimizer = { type: 'adamw', weightDecay: 0.01 } as const
    return sample(spiralProject, model, { optimizer, l1: 0.0005 })
  }
  if (model === 'mnist-mlp') return sample(mnistMlpProject, 'mnist-mlp', { batchSize: 16 })
  if (model === 'mnist-convnet') return sample(convnetProject, 'mnist-convnet', { batchSize: 8 })
  if (model === 'many-layers') {
    return { name: model, graph: manyLayers(), settings: trainSettings({ batchSize: 4, seed: 5 }) }
  }
  if (model === 'norm-classifier') return normClassifier()
  return smallConvnet()
}

const manyLayers = (): ModelGraph =>
  chain([
    ['input', 'input', { shape: '2, 8, 8' }],
    ['conv', 'conv2d', { filters: 4, kernel: 3, stride: 1, padding: 1 }],
    ['bn1', 'batch-norm'],
    ['leaky', 'leaky-relu', { alpha: 0.1 }],
    ['maxpool', 'max-pool2d', { kernel: 3, stride: 2, padding: 1 }],
    ['avgpool', 'avg-pool2d', { kernel: 3, stride: 1, padding: 1 }],
    ['flat', 'flatten'],
    ['d1', 'dense', { units: 16 }],
    ['ln1', 'layer-norm'],
    ['gelu', 'gelu'],
    ['elu', 'elu', { alpha: 0.5 }],
    ['selu', 'selu'],
    ['silu', 'silu'],
    ['mish', 'mish'],
    ['drop', 'dropout', { p: 0.3 }],
    ['d2', 'dense', { units: 12 }],
    ['sig', 'sigmoid'],
    ['softplus', 'softplus'],
    ['softsign', 'softsign'],
    ['hard', 'hard-sigmoid'],
    ['sine', 'sine'],
    ['d3', 'dense', { units: 3 }],
    ['loss', 'softmax-cross-entropy'],
  ])

/**
 * A layer norm straight into a softmax cross-entropy: the norm's two row sums and the
 * softmax's row max run as stages of one kernel (row-stages.ts), a max among them.
 */
const normClassifier = (): ModelCase => ({
  name: 'norm-classifier',
  graph: chain([
    ['input', 'input', { shape: '6' }],
    ['dense', 'dense', { units: 5 }],
    ['norm', 'layer-norm'],
    ['loss', 'softmax-cross-entropy'],
  ]),
  settings: trainSettings({ batchSize: 8, learningRate: 0.05, seed: 4 }),
})

const embedding = (): ModelGraph =>
  chain([
    ['input', 'input', { shape: '5' }],
    ['embed', 'embedding', { vocab: 12, dim: 3 }],
    ['flat', 'flatten'],
    ['dense', 'dense', { units: 4 }],
    ['loss', 'mse'],
  ])

/** Training steps of these graphs make the zoo of the compile-only test. */
export function zooModels(): ModelCase[] {
  const spiral = sample(spiralProject, 'spiral 2-8-8-2 (adam)')
  const opt = (name: string, settings: TrainSettingsInput): ModelCase => ({
    ...spiral,
    name: `spiral 2-8-8-2 (${name})`,
    settings: trainSettings({ ...settings, batchSize: 10 }),
  })
  return [
    spiral,
    opt('sgd', { optimizer: { type: 'sgd' } }),
    opt('nesterov, clipped', { optimizer: { type: 'momentum', nesterov: true }, clipNorm: 1 }),
    opt('rmsprop, l1 + l2', { optimizer: { type: 'rmsprop' }, l1: 1e-4, l2: 1e-3 }),
    opt('adamw', { optimizer: { type: 'adamw' } }),
    sample(xorProject, 'xor'),
    sample(mnistMlpProject, 'mnist mlp 784-128-10'),
    sample(convnetProject, 'mnist convnet'),
    smallConvnet(),
    { name: 'many layers', graph: manyLayers(), settings: trainSettings({ batchSize: 4 }) },
    { name: 'embedding', graph: embedding(), settings: trainSettings({ batchSize: 3 }) },
    normClassifier(),
  ]
}
