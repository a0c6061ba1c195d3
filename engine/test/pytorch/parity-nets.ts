// The two networks of the PyTorch training-parity check, and a recorder of one session's run:
// its initial weights, the batches it fed, its losses. dump-parity-inputs.ts hands the record
// to scripts/goldens/make_parity_goldens.py; parity.test.ts replays the run against its golden.
import type { Dataset } from '../../data/dataset'
import { resolveAttr } from '../../graph/attrs'
import type { AttrValue, ModelGraph } from '../../graph/model-graph'
import { getLayer } from '../../graph/registry'
import { chain } from '../../graph/test-graphs'
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT } from '../../lower/lower-graph'
import { createSession } from '../../train/session'
import { trainSettings } from '../../train/settings'
import type { TrainSettings } from '../../train/settings'
import { mlp, playground } from '../../train/train-fixtures'
import { createRng } from '../../util/rng'

export const STEPS = 50

export interface ParityNet {
  readonly name: string
  readonly graph: ModelGraph
  readonly dataset: Dataset
  readonly settings: TrainSettings
}

/** `count` MNIST-shaped images of uniform noise in [0, 1) with random labels 0–9. */
function noiseImages(count: number, seed: number): Dataset {
  const rng = createRng(seed)
  const split = () => ({
    x: Float32Array.from({ length: count * 784 }, () => rng.next()),
    y: Float32Array.from({ length: count }, () => rng.int(10)),
    count,
  })
  return {
    name: 'noise-mnist',
    task: 'classification',
    featureNames: ['intensity'],
    inputShape: [1, 28, 28],
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    train: split(),
    test: split(),
  }
}

export function parityNets(): ParityNet[] {
  return [
    {
      name: 'mlp-spiral',
      graph: mlp('2', [8, 8], 'tanh', 2, 'softmax-cross-entropy'),
      dataset: playground('spiral', 1),
      settings: trainSettings({ batchSize: 10, epochs: 10, learningRate: 0.01, seed: 1 }),
    },
    {
      name: 'cnn-noise',
      graph: chain([
        ['input', 'input', { shape: '1, 28, 28' }],
        ['conv1', 'conv2d', { filters: 4, kernel: 3, stride: 1, padding: 1 }],
        ['relu1', 'relu'],
        ['pool1', 'max-pool2d', { kernel: 2 }],
        ['conv2', 'conv2d', { filters: 6, kernel: 3, stride: 2 }],
        ['tanh2', 'tanh'],
        ['flatten', 'flatten'],
        ['dense', 'dense', { units: 10 }],
        ['loss', 'softmax-cross-entropy'],
      ]),
      dataset: noiseImages(24, 5),
      settings: trainSettings({ batchSize: 8, epochs: 20, learningRate: 0.01, seed: 3 }),
    },
  ]
}

export interface Tensor {
  readonly shape: readonly number[]
  readonly data: number[]
}

export interface ParityRun {
  /** The chain's nodes with every attribute resolved, for the PyTorch side to rebuild. */
  readonly nodes: [string, string, Record<string, AttrValue | readonly number[]>][]
  readonly weights: Record<string, Tensor>
  readonly batches: { x: number[]; target: number[] }[]
  readonly losses: number[]
  /** Sums that change when the initial weights or the batches do. */
  readonly checksum: { weights: number; data: number; targets: number }
}

/** Trains `net` for STEPS steps, recording what PyTorch needs to repeat the run. */
export function recordRun(net: ParityNet): ParityRun {
  const session = createSession(net.graph, net.dataset, net.settings)
  const weights = Object.fromEntries(
    Object.entries(session.weights()).map(([k, t]) => [k, { shape: t.shape, data: [...t.data] }]),
  )
  const exe = session.model.train
  const batches: ParityRun['batches'] = []
  const losses: number[] = []
  for (let i = 0; i < STEPS; i++) {
    const { steps, divergence } = session.train(1)
    if (steps !== 1 || divergence) throw new Error(`${net.name}: step ${i} did not run`)
    batches.push({ x: [...exe.view(DATA_INPUT)], target: [...exe.view(TARGET_INPUT)] })
    losses.push(exe.view(LOSS_OUTPUT)[0] ?? NaN)
  }
  return {
    nodes: resolvedNodes(net.graph),
    weights,
    batches,
    losses,
    checksum: checksum(weights, batches),
  }
}

function checksum(weights: ParityRun['weights'], batches: ParityRun['batches']) {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)
  return {
    weights: sum(Object.values(weights).map((t) => sum(t.data))),
    data: sum(batches.map((b, i) => (i + 1) * sum(b.x))),
    targets: sum(batches.map((b, i) => (i + 1) * sum(b.target))),
  }
}

function resolvedNodes(graph: ModelGraph): ParityRun['nodes'] {
  return graph.nodes.map((n) => {
    const attrs: Record<string, AttrValue | readonly number[]> = {}
    for (const [key, spec] of Object.entries(getLayer(n.type)?.attrs ?? {})) {
      const r = resolveAttr(spec, n.attrs[key])
      if ('value' in r) attrs[key] = r.value
    }
    return [n.id, n.type, attrs]
  })
}
