// Probes for the panels: a node's activations over a batch, every node's output over a grid of
// the input plane (neuron heatmaps and the decision boundary, as TensorFlow Playground draws
// them), and for 1-D fits each hidden unit's weighted contribution to the output.
import type { Dataset } from '../data/dataset'
import { exampleSize } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import { sizeOf } from '../graph/shape'
import type { CpuExecutable } from '../backends/cpu'
import { DATA_INPUT, PREDICTION_OUTPUT, TARGET_INPUT, probeOutput } from '../lower/lower-graph'
import { compileInference } from './model'

export interface Tensor {
  shape: number[]
  data: Float32Array<ArrayBuffer>
}

export interface PlaneProbe {
  /**
   * Grid cells per side, row-major from the top left, each probed at its centre: column j has
   * features[0] = xLo + (j + ½)·(xHi − xLo) / resolution and row i has
   * features[1] = yHi − (i + ½)·(yHi − yLo) / resolution. So a picture of resolution² pixels
   * stretched over the two ranges shows at every pixel the value at that pixel's own place.
   */
  resolution: number
  features: [number, number]
  /** The interval of features[0], across. */
  xRange: [number, number]
  /** The interval of features[1], upward. */
  yRange: [number, number]
  /** Each probed node's output over the grid: [resolution², ...node shape]. */
  nodes: Record<string, Tensor>
  /** The model's output over the grid (decision boundary): [resolution², ...]. */
  prediction: Tensor
}

export interface ContributionProbe {
  x: Float32Array<ArrayBuffer>
  fit: Float32Array<ArrayBuffer>
  /** Hidden unit j's weighted output w_j·h_j(x), one row per unit. */
  contributions: Float32Array<ArrayBuffer>[]
  bias: number
}

type Weights = Record<string, { data: Float32Array }>

/** A probe request that does not fit the model (a feature it does not have); not a failure. */
export class ProbeRequestError extends Error {}

export interface ActivationsProbe {
  tensor: Tensor
  /** The probed examples' targets, [rows]. */
  targets: Tensor
}

export interface Prober {
  activations(
    node: string,
    split: 'train' | 'test',
    count: number,
    weights: Weights,
  ): ActivationsProbe
  plane(resolution: number, features: [number, number], weights: Weights): PlaneProbe
  contributions(points: number, weights: Weights): ContributionProbe
}

export function createProber(graph: ModelGraph, dataset: Dataset, seed: number): Prober {
  const cache = new Map<string, CpuExecutable>()
  const allNodes = graph.nodes.filter((n) => n.type !== 'input').map((n) => n.id)
  const program = (batch: number, probe: readonly string[]): CpuExecutable => {
    const key = `${batch}:${probe.join(',')}`
    let exe = cache.get(key)
    if (!exe) {
      exe = compileInference(graph, batch, seed, probe).exe
      cache.set(key, exe)
    }
    return exe
  }
  const run = (exe: CpuExecutable, x: Float32Array, weights: Weights) => {
    for (const [name, t] of Object.entries(weights)) exe.write(name, t.data)
    const feeds: Record<string, Float32Array> = { [DATA_INPUT]: x }
    const target = exe.inputs.find((i) => i.name === TARGET_INPUT)
    if (target) feeds[TARGET_INPUT] = new Float32Array(sizeOf(target.shape))
    return { out: exe.run(feeds), exe }
  }
  return {
    activations(node, split, count, weights) {
      const rows = Math.max(1, Math.min(count, dataset[split].count))
      const x = dataset[split].x.slice(0, rows * exampleSize(dataset.inputShape))
      const { out, exe } = run(program(rows, [node]), x, weights)
      const targets = { shape: [rows], data: dataset[split].y.slice(0, rows) }
      return { tensor: tensor(exe, out, probeOutput(node)), targets }
    },
    plane(resolution, features, weights) {
      const [xRange, yRange] = planeRanges(dataset, features)
      const x = gridInputs(dataset, resolution, features, [xRange, yRange])
      const { out, exe } = run(program(resolution * resolution, allNodes), x, weights)
      const nodes: Record<string, Tensor> = {}
      for (const id of allNodes) {
        if (exe.outputs.some((o) => o.name === probeOutput(id)))
          nodes[id] = tensor(exe, out, probeOutput(id))
      }
      const prediction = tensor(exe, out, PREDICTION_OUTPUT)
      return { resolution, features, xRange, yRange, nodes, prediction }
    },
    contributions(points, weights) {
      return contributions(graph, dataset, points, weights, (x) =>
        run(program(points, allNodes), x, weights),
      )
    },
  }
}

function tensor(
  exe: CpuExecutable,
  out: Readonly<Record<string, ArrayLike<number>>>,
  name: string,
) {
  const info = exe.outputs.find((o) => o.name === name)
  const data = out[name]
  if (!info || !data) throw new Error(`no probe output ${name}`)
  return { shape: [...info.shape], data: Float32Array.from(data) }
}

/** The share of a feature's span added on each side, so edge points do not sit on the border. */
const MARGIN = 0.05

/**
 * The plane's interval per axis. A declared range covers both axes alike; without one, each axis
 * spans its own feature's training values plus a small margin, so a narrow feature (Iris's petal
 * width) fills its axis instead of a sliver of a range shared with a wide one.
 */
function planeRanges(
  dataset: Dataset,
  [fa, fb]: [number, number],
): [[number, number], [number, number]] {
  const declared = declaredRange(dataset, [fa, fb])
  if (declared) return [declared, [...declared]]
  const padded = (f: number): [number, number] => {
    const [lo, hi] = featureSpan(dataset, f)
    const pad = (hi - lo) * MARGIN
    return [lo - pad, hi + pad]
  }
  return [padded(fa), padded(fb)]
}

/**
 * The declared range, in raw units; where the inputs were standardised it is mapped the same way,
 * per shown feature, so the plane still covers the data's domain and not ±range standard
 * deviations. Undefined when the data declares none.
 */
function declaredRange(
  dataset: Dataset,
  features: readonly number[],
): [number, number] | undefined {
  const declared = dataset.inputRange
  const norm = dataset.normalization
  if (!declared) return undefined
  if (!norm) return [declared[0], declared[1]]
  const ends = features.flatMap((f) =>
    declared.map((v) => (v - (norm.mean[f] ?? 0)) / (norm.std[f] ?? 1)),
  )
  return [Math.min(...ends), Math.max(...ends)]
}

/** One feature's training values, lowest to highest; ±1 around a constant, [−1, 1] with none. */
function featureSpan(dataset: Dataset, feature: number): [number, number] {
  const width = exampleSize(dataset.inputShape)
  const { x, count } = dataset.train
  let lo = Infinity
  let hi = -Infinity
  for (let r = 0; r < count; r++) {
    const v = x[r * width + feature] ?? NaN
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1]
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1]
}

/** Grid rows over two features; every other feature held at its training mean. */
function gridInputs(
  dataset: Dataset,
  resolution: number,
  [fa, fb]: [number, number],
  [[xLo, xHi], [yLo, yHi]]: [[number, number], [number, number]],
): Float32Array {
  const width = exampleSize(dataset.inputShape)
  const beyond = [...new Set([fa, fb])].filter((f) => !Number.isInteger(f) || f < 0 || f >= width)
  if (beyond.length > 0) {
    const what =
      beyond.length > 1
        ? `${beyond.join(' and ')} are not features`
        : `${beyond[0]} is not a feature`
    const has = `which has ${width} (0 to ${width - 1})`
    throw new ProbeRequestError(
      `Plane features [${fa}, ${fb}]: ${what} of this model's input, ${has}`,
    )
  }
  const means = new Float32Array(width)
  const { x, count } = dataset.train
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < width; k++) means[k] = (means[k] ?? 0) + (x[r * width + k] ?? 0) / count
  }
  const out = new Float32Array(resolution * resolution * width)
  const xCell = (xHi - xLo) / Math.max(1, resolution)
  const yCell = (yHi - yLo) / Math.max(1, resolution)
  for (let i = 0; i < resolution; i++) {
    for (let j = 0; j < resolution; j++) {
      const row = (i * resolution + j) * width
      out.set(means, row)
      out[row + fa] = xLo + (j + 0.5) * xCell
      if (fb !== fa) out[row + fb] = yHi - (i + 0.5) * yCell
    }
  }
  return out
}

type RunGrid = (x: Float32Array) => {
  out: Readonly<Record<string, ArrayLike<number>>>
  exe: CpuExecutable
}

/** The universal-approximation picture: output = Σ_j w_j·h_j(x) + b over a 1-D input. */
function contributions(
  graph: ModelGraph,
  dataset: Dataset,
  points: number,
  weights: Weights,
  runGrid: RunGrid,
): ContributionProbe {
  if (exampleSize(dataset.inputShape) !== 1) throw new Error('contributions need a 1-D input')
  const { output, hidden } = outputLayer(graph)
  const w = weights[`${output}.weight`]?.data
  if (!w) throw new Error('contributions need a Dense output layer')
  const [lo, hi] = declaredRange(dataset, [0]) ?? featureSpan(dataset, 0)
  const x = Float32Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1))
  const h = runGrid(x).out[probeOutput(hidden)] ?? []
  const bias = weights[`${output}.bias`]?.data[0] ?? 0
  const rows = Array.from(w, (wj, j) =>
    Float32Array.from({ length: points }, (_, i) => wj * (h[i * w.length + j] ?? 0)),
  )
  const fit = Float32Array.from({ length: points }, (_, i) =>
    rows.reduce((sum, row) => sum + (row[i] ?? 0), bias),
  )
  return { x, fit, contributions: rows, bias }
}

/** The Dense layer feeding the loss, and the hidden layer feeding it. */
function outputLayer(graph: ModelGraph): { output: string; hidden: string } {
  const feed = (node: string) =>
    graph.edges.find((e) => e.target.node === node && e.target.port === 'x')?.source.node
  const sink = graph.nodes.find(
    (n) => n.type !== 'input' && !graph.edges.some((e) => e.source.node === n.id),
  )
  const output = sink ? feed(sink.id) : undefined
  const hidden = output ? feed(output) : undefined
  if (!output || !hidden) throw new Error('contributions need Input → hidden → Dense → loss')
  return { output, hidden }
}
