// Models for the export tests, each with the studio's own predictions on 100 inputs: the XOR
// sample and the MNIST ConvNet sample after a short training run, the XOR graph trained on an
// imported CSV that the studio standardises (its inputs are the raw rows), and two graphs with
// random weights that between them use every exportable layer.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Dataset, Normalization } from '../data/dataset'
import { applyNormalization } from '../data/dataset'
import { makeDataset } from '../data/registry'
import type { CsvSpec } from '../data/spec'
import type { ModelGraph } from '../graph/model-graph'
import { chain } from '../graph/test-graphs'
import { DATA_INPUT, TARGET_INPUT } from '../lower/lower-graph'
import { withDataShape } from '../train/data-fit'
import { compileInference } from '../train/model'
import { createSession } from '../train/session'
import { createRng } from '../util/rng'
import { expectedWeights } from './import-weights'
import { loadDataset } from './load-data-node'
import { parseProjectText } from './project-json'
import type { Tensor } from './safetensors'

export const COUNT = 100

export interface ExportCase {
  readonly name: string
  readonly graph: ModelGraph
  readonly weights: Record<string, Tensor>
  /** COUNT examples, row-major, and their shape with the batch axis first. */
  readonly inputs: Float32Array
  readonly inputShape: readonly number[]
  readonly predictions: Float32Array
  /**
   * The data set's standardisation, when it had one: `inputs` are then raw rows, and
   * `predictions` the studio's for them (standardised first, as the studio does).
   */
  readonly normalization?: Normalization
}

/** The studio's predictions: the CPU inference program with these weights. */
export function predict(graph: ModelGraph, weights: Record<string, Tensor>, inputs: Float32Array) {
  const { exe } = compileInference(graph, COUNT, 1)
  for (const [name, t] of Object.entries(weights)) exe.write(name, t.data)
  const feeds: Record<string, Float32Array> = { [DATA_INPUT]: inputs }
  const target = exe.inputs.find((i) => i.name === TARGET_INPUT)
  if (target) feeds[TARGET_INPUT] = new Float32Array(target.shape.reduce((a, b) => a * b, 1))
  return Float32Array.from(exe.run(feeds).pred ?? [])
}

/** A case; with a normalisation, `x` is raw and the studio standardises it to predict. */
function makeCase(
  name: string,
  graph: ModelGraph,
  weights: Record<string, Tensor>,
  x: Float32Array,
  normalization?: Normalization,
): ExportCase {
  const shape = [
    COUNT,
    ...(graph.nodes.find((n) => n.type === 'input')?.attrs.shape ?? '')
      .toString()
      .split(',')
      .map(Number),
  ]
  const studio = normalization ? standardised(normalization, x) : x
  return {
    name,
    graph,
    weights,
    inputs: x,
    inputShape: shape,
    predictions: predict(graph, weights, studio),
    ...(normalization && { normalization }),
  }
}

const standardised = (n: Normalization, x: Float32Array) =>
  applyNormalization(n, Float32Array.from(x), n.mean.length)

/** A sample project trained for a few steps, predicting its first COUNT test examples. */
export async function trainedSample(file: string, steps: number): Promise<ExportCase> {
  const path = fileURLToPath(new URL(`../../assets/examples/${file}`, import.meta.url))
  const parsed = parseProjectText(readFileSync(path, 'utf8'))
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const data = await loadDataset(parsed.project.data, path)
  if (!data.ok) throw new Error(data.errors.map((e) => e.message).join('\n'))
  const graph = withDataShape(parsed.project.graph, data.dataset)
  const session = createSession(graph, data.dataset, parsed.project.training)
  session.train(steps)
  return makeCase(file.replace('.json', ''), graph, session.weights(), firstTest(data.dataset))
}

/** A CSV the studio standardises: features on scales far from 0 ± 1, the target in between. */
function bodyCsv(rows: number): string {
  const rng = createRng(12345)
  const lines = ['height;weight;kind;age']
  for (let i = 0; i < rows; i++) {
    const h = rng.uniform(150, 200)
    const w = rng.uniform(40, 100)
    const kind = w / h > 0.45 ? 'big' : 'small'
    lines.push(`${h.toFixed(2)};${w.toFixed(2)};${kind};${rng.uniform(10, 70).toFixed(1)}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * The XOR sample's graph trained on an imported CSV with standardisation on, as the Data panel
 * imports one. Its inputs are the raw test rows; its predictions, the studio's for them.
 */
export function trainedCsv(steps: number): ExportCase {
  const path = fileURLToPath(new URL('../../assets/examples/xor.json', import.meta.url))
  const parsed = parseProjectText(readFileSync(path, 'utf8'))
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const csv = bodyCsv(400)
  const spec: CsvSpec = {
    kind: 'csv',
    name: 'body.csv',
    target: 'kind',
    task: 'classification',
    standardize: true,
    trainRatio: 0.7,
    seed: 99,
    delimiter: ';',
  }
  const data = makeDataset(spec, { csv })
  const raw = makeDataset({ ...spec, standardize: false }, { csv })
  if (!data.ok || !raw.ok) throw new Error('the CSV case did not load')
  const norm = data.dataset.normalization
  if (!norm) throw new Error('the CSV case was not standardised')
  const graph = withDataShape(parsed.project.graph, data.dataset)
  const session = createSession(graph, data.dataset, parsed.project.training)
  session.train(steps)
  const x = firstTest(raw.dataset)
  if (standardised(norm, x).some((v, i) => v !== data.dataset.test.x[i])) {
    throw new Error('the raw rows are not the examples the studio standardised')
  }
  return makeCase('csv-standardised', graph, session.weights(), x, norm)
}

function firstTest(data: Dataset): Float32Array {
  const row = data.inputShape.reduce((a, b) => a * b, 1)
  return data.test.x.slice(0, COUNT * row)
}

/** Random weights for every tensor the graph declares; running variances stay positive. */
export function randomWeights(graph: ModelGraph, seed: number): Record<string, Tensor> {
  const rng = createRng(seed)
  const out: Record<string, Tensor> = {}
  for (const [name, shape] of Object.entries(expectedWeights(graph))) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1))
    for (let i = 0; i < data.length; i++) {
      data[i] = name.endsWith('running_var') ? rng.uniform(0.5, 2) : rng.normal() * 0.5
    }
    out[name] = { shape, data }
  }
  return out
}

function randomInputs(size: number, seed: number, draw: (r: number) => number): Float32Array {
  const rng = createRng(seed)
  return Float32Array.from({ length: size }, () => draw(rng.uniform(0, 1)))
}

type Edge = [from: string, to: string, port?: string]

function wired(
  nodes: [string, string, Record<string, string | number | boolean>?][],
  edges: Edge[],
) {
  const g = chain(nodes)
  return {
    ...g,
    edges: edges.map(([from, to, port], i) => ({
      id: `e${i}`,
      source: { node: from, port: 'y' },
      target: { node: to, port: port ?? 'x' },
    })),
  }
}

/** Image layers, both GELUs, branches joined by Add and Concat, reshape to a rank-3 Dense. */
export function everyLayerCase(): ExportCase {
  const path = ['input', 'conv', 'bn1', 'leaky', 'maxpool', 'avgpool', 'flat', 'd1', 'ln1', 'gelu']
  const tail = [
    'sum',
    'elu',
    'selu',
    'silu',
    'mish',
    'bn2',
    'd3',
    'sig',
    'cat',
    'softplus',
    'softsign',
    'hard',
    'sine',
    'ident',
    'drop',
    'shape',
    'd4',
    'cat2',
    'soft',
    'ln2',
    'flat2',
  ]
  const graph = wired(
    [
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
      ['d2', 'dense', { units: 16, bias: false }],
      ['gelu2', 'gelu', { approximate: 'tanh' }],
      ['sum', 'add'],
      ['elu', 'elu', { alpha: 0.5 }],
      ['selu', 'selu'],
      ['silu', 'silu'],
      ['mish', 'mish'],
      ['bn2', 'batch-norm', { eps: 0.001 }],
      ['d3', 'dense', { units: 12 }],
      ['sig', 'sigmoid'],
      ['tanh', 'tanh'],
      ['cat', 'concat'],
      ['softplus', 'softplus'],
      ['softsign', 'softsign'],
      ['hard', 'hard-sigmoid'],
      ['sine', 'sine'],
      ['ident', 'identity'],
      ['drop', 'dropout', { p: 0.3 }],
      ['shape', 'reshape', { shape: '4, 6' }],
      ['d4', 'dense', { units: 5 }],
      ['cat2', 'concat', { axis: 0 }],
      ['soft', 'softmax'],
      ['ln2', 'layer-norm', { affine: false }],
      ['flat2', 'flatten'],
    ],
    [
      ...pairs(path),
      ['gelu', 'sum', 'a'],
      ['ln1', 'd2'],
      ['d2', 'gelu2'],
      ['gelu2', 'sum', 'b'],
      ...pairs(tail.slice(0, 8)),
      ['d3', 'tanh'],
      ['sig', 'cat', 'a'],
      ['tanh', 'cat', 'b'],
      ...pairs(tail.slice(8, 17)),
      ['d4', 'cat2', 'a'],
      ['d4', 'cat2', 'b'],
      ...pairs(tail.slice(17)),
    ],
  )
  const x = randomInputs(COUNT * 128, 7, (u) => (u - 0.5) * 6)
  return makeCase('every-layer', graph, randomWeights(graph, 3), x)
}

function pairs(ids: readonly string[]): Edge[] {
  return ids.slice(1).map((to, i) => [ids[i] ?? '', to])
}

/**
 * Token ids → Embedding → Flatten → Dense, with a loss that the export leaves out, and node ids
 * that are not Python identifiers (a hyphen, a keyword, a leading digit).
 */
export function embeddingCase(): ExportCase {
  const graph = chain([
    ['tokens', 'input', { shape: '5' }],
    ['embed-1', 'embedding', { vocab: 12, dim: 3 }],
    ['2d', 'flatten'],
    ['class', 'dense', { units: 4 }],
    ['loss', 'mse'],
  ])
  const x = randomInputs(COUNT * 5, 9, (u) => Math.floor(u * 12))
  return makeCase('embedding', graph, randomWeights(graph, 4), x)
}
