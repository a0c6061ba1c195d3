// Writes the sample projects in assets/examples/, one lesson of the source lecture each.
// Run: npx tsx scripts/make-examples.ts (the sample test checks that every file opens and trains).
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { DataSpec } from '../engine/data/spec'
import type { ModelGraph } from '../engine/graph/model-graph'
import type { NodeDraft } from '../engine/graph/test-graphs'
import { chain } from '../engine/graph/test-graphs'
import { serializeProject } from '../engine/io/project-json'
import type { TrainSettingsInput } from '../engine/train/settings'
import { trainSettings } from '../engine/train/settings'

const out = resolve(import.meta.dirname, '../assets/examples')
const playground = (name: string, seed = 1): DataSpec =>
  ({ kind: 'builtin', name, noise: 0, size: 500, trainRatio: 0.5, seed }) as DataSpec

function write(
  file: string,
  name: string,
  lesson: string,
  graph: ModelGraph,
  data: DataSpec,
  training: TrainSettingsInput,
): void {
  const text = serializeProject({ name, lesson, graph, data, training: trainSettings(training) })
  writeFileSync(resolve(out, file), text)
}

const mlp = (shape: string, layers: NodeDraft[], loss: string): ModelGraph =>
  chain([['input', 'input', { shape }], ...layers, ['loss', loss]])

write(
  'two-linear-layers.json',
  'Two linear layers are one',
  'Two Dense layers with nothing between them compute (W₂W₁)x + (W₂b₁ + b₂): one linear ' +
    'layer. The canvas marks the second Dense with a hint; train it on Circle and watch it fail ' +
    'to draw anything but a straight boundary.',
  mlp(
    '2',
    [
      ['dense1', 'dense', { units: 8 }],
      ['dense2', 'dense', { units: 2 }],
    ],
    'softmax-cross-entropy',
  ),
  playground('circle'),
  { batchSize: 10, epochs: 50, learningRate: 0.01 },
)
write(
  'xor.json',
  'XOR needs a nonlinearity',
  'XOR cannot be split by one straight line. With a Tanh between the layers, the network bends ' +
    'its boundary and gets every quadrant right.',
  mlp(
    '2',
    [
      ['dense1', 'dense', { units: 4 }],
      ['act1', 'tanh'],
      ['dense2', 'dense', { units: 2 }],
    ],
    'softmax-cross-entropy',
  ),
  playground('xor'),
  { batchSize: 10, epochs: 50, learningRate: 0.01 },
)
write(
  'spiral.json',
  'Spiral',
  'TensorFlow Playground’s hardest set: two interleaved arms. Two hidden layers of eight Tanh ' +
    'units can learn it; watch each neuron’s heatmap specialise.',
  mlp(
    '2',
    [
      ['dense1', 'dense', { units: 8 }],
      ['act1', 'tanh'],
      ['dense2', 'dense', { units: 8 }],
      ['act2', 'tanh'],
      ['dense3', 'dense', { units: 2 }],
    ],
    'softmax-cross-entropy',
  ),
  playground('spiral', 24),
  { batchSize: 10, epochs: 300, learningRate: 0.01, seed: 24 },
)
write(
  'universal-approximation.json',
  'Universal approximation',
  'One hidden layer of enough units can fit any continuous function. Sixteen Tanh units fit ' +
    'sin(x) on [−π, π]; each unit contributes one smooth step to the sum.',
  mlp(
    '1',
    [
      ['dense1', 'dense', { units: 16 }],
      ['act1', 'tanh'],
      ['dense2', 'dense', { units: 1 }],
    ],
    'mse',
  ),
  {
    kind: 'builtin',
    name: 'fn-sin',
    noise: 0,
    size: 256,
    trainRatio: 0.75,
    seed: 1,
    sampling: 'even',
  },
  { batchSize: 16, epochs: 1000, learningRate: 0.01, schedule: { type: 'cosine', steps: 12000 } },
)
/** Four copies of one small net, each with its own activation, trained side by side. */
function activationZoo(): ModelGraph {
  const graph = chain([['input', 'input', { shape: '2' }]])
  const kinds = ['relu', 'tanh', 'sigmoid', 'sine']
  kinds.forEach((kind, row) => {
    const y = row * 180
    const ids = [`${kind}-dense1`, `${kind}-act`, `${kind}-dense2`, `${kind}-loss`]
    const types: [string, Record<string, number>][] = [
      ['dense', { units: 6 }],
      [kind, {}],
      ['dense', { units: 2 }],
      ['softmax-cross-entropy', {}],
    ]
    ids.forEach((id, i) => {
      const [type, attrs] = types[i] ?? ['identity', {}]
      graph.nodes.push({ id, type, attrs, position: { x: 220 * (i + 1), y } })
      const source = i === 0 ? 'input' : (ids[i - 1] ?? 'input')
      graph.edges.push({
        id: `${id}-in`,
        source: { node: source, port: 'y' },
        target: { node: id, port: 'x' },
      })
    })
  })
  return graph
}

write(
  'activation-zoo.json',
  'Activation zoo',
  'The same small network four times, each with another activation — ReLU, Tanh, Sigmoid and ' +
    'Sine — trained together on Circle. Compare their neurons’ heatmaps: straight creases, ' +
    'smooth ramps, soft steps and waves. There are thousands of activations; these are four.',
  activationZoo(),
  playground('circle'),
  { batchSize: 10, epochs: 100, learningRate: 0.01 },
)
write(
  'mnist-mlp.json',
  'MNIST MLP',
  'Handwritten digits with a fully connected network: 784 inputs, 128 hidden units, 10 ' +
    'classes — about 100 thousand parameters, "that is a lot".',
  mlp(
    '1, 28, 28',
    [
      ['flatten', 'flatten'],
      ['dense1', 'dense', { units: 128, init: 'he-uniform' }],
      ['act1', 'relu'],
      ['dense2', 'dense', { units: 10 }],
    ],
    'softmax-cross-entropy',
  ),
  { kind: 'builtin', name: 'mnist', noise: 0, size: 10000, trainRatio: 0.8, seed: 1 },
  { batchSize: 64, epochs: 5, learningRate: 0.001 },
)
write(
  'mnist-convnet.json',
  'MNIST ConvNet',
  'Convolutions share small filters across the image: far fewer weights than Dense, and ' +
    'better at digits.',
  mlp(
    '1, 28, 28',
    [
      ['conv1', 'conv2d', { filters: 8, kernel: 5, padding: 2 }],
      ['act1', 'relu'],
      ['pool1', 'max-pool2d'],
      ['conv2', 'conv2d', { filters: 16, kernel: 5, padding: 2 }],
      ['act2', 'relu'],
      ['pool2', 'max-pool2d'],
      ['flatten', 'flatten'],
      ['dense1', 'dense', { units: 10 }],
    ],
    'softmax-cross-entropy',
  ),
  { kind: 'builtin', name: 'mnist', noise: 0, size: 10000, trainRatio: 0.8, seed: 1 },
  { batchSize: 32, epochs: 3, learningRate: 0.002 },
)
