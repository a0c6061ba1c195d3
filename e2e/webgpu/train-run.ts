// Whole training runs on both backends from the same weights and the same batches, the way a
// session feeds a step (data, targets, learning rate, random key, Adam's host scalars). The
// CPU steps one at a time; WebGPU records many steps per submission and logs the loss on the
// device, so its curve comes back in one read.

import {
  TILES,
  createWebGpuExecutable,
  splitEveryProduct,
  tuneProducts,
} from '../../engine/backends/webgpu'
import type { WebGpuExecutable, WebGpuOptions } from '../../engine/backends/webgpu'
import type { Feeds, Program } from '../../engine/ir'
import { numel } from '../../engine/ir'
import { initialValues } from '../../engine/lower/init'
import type { LoweredGraph } from '../../engine/lower/lower-graph'
import {
  DATA_INPUT,
  KEY_INPUT,
  LOSS_OUTPUT,
  PREDICTION_OUTPUT,
  TARGET_INPUT,
} from '../../engine/lower/lower-graph'
import { hostScalarFeeds } from '../../engine/optim/optimizers'
import { LR_INPUT } from '../../engine/optim/train-step'
import { createLoader } from '../../engine/data/loader'
import { checkDataFits } from '../../engine/train/data-fit'
import type { CompiledModel } from '../../engine/train/model'
import { compileModel } from '../../engine/train/model'
import { mlp, playground } from '../../engine/train/train-fixtures'
import { trainSettings } from '../../engine/train/settings'
import { createRng } from '../../engine/util/rng'
import type { Dataset } from '../../engine/data/dataset'
import { createGpuSession } from '../../engine/train/gpu-session'
import { createSession } from '../../engine/train/session'
import type {
  CurveOptions,
  CurveReport,
  GatherReport,
  SessionDivergeReport,
  LoopReport,
  MapCount,
  TrainModel,
} from './api'
import type { ModelCase } from './models'
import { trainModel } from './models'

/** Batches for `steps` steps: the spiral data set through the loader, else random MNIST-like. */
function batches(m: ModelCase, model: CompiledModel, steps: number): Feeds[] {
  const { lowered } = model
  const s = m.settings
  const next = m.name.startsWith('spiral')
    ? spiralBatches(m, lowered)
    : randomBatches(lowered, s.seed)
  return Array.from({ length: steps }, (_, k) => {
    const { x, y } = next()
    const feeds: Record<string, ArrayLike<number>> = {
      [DATA_INPUT]: x,
      [LR_INPUT]: [s.learningRate],
    }
    if (lowered.targetShape) feeds[TARGET_INPUT] = y
    if (lowered.usesKey) feeds[KEY_INPUT] = [k]
    return { ...feeds, ...hostScalarFeeds(s.optimizer, k + 1) }
  })
}

type Next = () => { x: Float32Array; y: Float32Array }

function spiralBatches(m: ModelCase, lowered: LoweredGraph): Next {
  const data = playground('spiral', 24)
  const { oneHot } = checkDataFits(m.graph, lowered, data)
  const opts = { batchSize: m.settings.batchSize, seed: m.settings.seed, oneHot }
  const loader = createLoader(data, 'train', opts)
  return () => {
    loader.next()
    return { x: Float32Array.from(loader.x), y: Float32Array.from(loader.y) }
  }
}

function randomBatches(lowered: LoweredGraph, seed: number): Next {
  const rng = createRng(seed + 100)
  const perRow = numel(lowered.dataShape)
  const rows = lowered.program.inputs.find((i) => i.name === DATA_INPUT)?.shape[0] ?? 1
  const classes = lowered.targetShape ? numel(lowered.targetShape) : 1
  // Class indices as targets (one-hot made in the graph): below the prediction's width.
  const pred = lowered.program.outputs.find((o) => o.name === PREDICTION_OUTPUT)?.id
  const width = lowered.program.eqns.find((e) => e.id === pred)?.shape.at(-1) ?? 10
  return () => {
    const x = Float32Array.from({ length: rows * perRow }, () => rng.next())
    const labels = Array.from({ length: rows }, () => rng.int(classes > 1 ? classes : width))
    const y =
      classes > 1
        ? Float32Array.from({ length: rows * classes }, (_, i) =>
            labels[Math.floor(i / classes)] === i % classes ? 1 : 0,
          )
        : Float32Array.from(labels)
    return { x, y }
  }
}

/** WebGPU's options for a curve: its products split or tuned where the curve asks. */
async function gpuOptions(
  device: GPUDevice,
  program: Program,
  options: CurveOptions,
): Promise<WebGpuOptions> {
  const { splitProducts, tuneFrom, ...rest } = options
  if (splitProducts === true) {
    return { ...rest, products: splitEveryProduct(program, TILES.square8) }
  }
  if (tuneFrom === undefined) return rest
  return { ...rest, products: await tuneProducts(device, program, { from: tuneFrom }) }
}

async function prepare(
  device: GPUDevice,
  m: ModelCase,
  options: CurveOptions = {},
): Promise<{ model: CompiledModel; gpu: WebGpuExecutable; split: string[] }> {
  const model = compileModel(m.graph, m.settings)
  const webgpu = await gpuOptions(device, model.plan.program, options)
  const gpu = await createWebGpuExecutable(model.plan, device, webgpu)
  const split = [...(webgpu.products ?? [])].flatMap(([key, c]) =>
    c.parts > 1 ? [`${key} in ${c.parts}`] : [],
  )
  const rng = createRng(m.settings.seed)
  for (const slot of [...model.lowered.params, ...model.lowered.state]) {
    const values = initialValues(slot.init, slot.shape, rng)
    model.train.write(slot.name, values)
    gpu.write(slot.name, values)
  }
  return { model, gpu, split }
}

const CHUNK = 25

export async function trainCurves(
  device: GPUDevice,
  which: TrainModel,
  steps: number,
  options: CurveOptions = {},
): Promise<CurveReport> {
  const m = trainModel(which)
  const { model, gpu, split } = await prepare(device, m, options)
  const feeds = batches(m, model, steps)
  try {
    let t = performance.now()
    const cpu = feeds.map((f) => {
      model.train.step(f)
      return model.train.view(LOSS_OUTPUT)[0] ?? NaN
    })
    const cpuMs = performance.now() - t
    t = performance.now()
    const log = gpu.log(LOSS_OUTPUT, steps)
    for (let at = 0; at < steps; at += CHUNK) {
      gpu.steps(Math.min(CHUNK, steps - at), (k) => feeds[at + k])
    }
    const curve = Array.from(await log.read())
    const gpuMs = performance.now() - t
    const kernels = gpu.programs.length
    const dispatchesPerStep = gpu.dispatchesPerStep
    const pieced = gpu.programs.filter((g) => g.pieces !== undefined).length
    const depthSums = gpu.programs.filter((g) => g.key.includes(':sums(')).length
    const report = { model: which, cpu, gpu: curve, kernels, dispatchesPerStep, pieced }
    return { ...report, split, depthSums, cpuMs, gpuMs }
  } finally {
    gpu.dispose()
  }
}

let mapCalls = 0

/** GPUBuffer.mapAsync calls in this page so far (after countMapAsync). */
export const mapAsyncCalls = (): number => mapCalls

/** Counts every GPUBuffer.mapAsync call in this page from now on. */
export function countMapAsync(): void {
  const original = GPUBuffer.prototype.mapAsync
  GPUBuffer.prototype.mapAsync = function (this: GPUBuffer, ...args) {
    mapCalls++
    return original.apply(this, args)
  }
}

/** Steps one at a time, as the training loop does, reading the loss every `readEvery` steps. */
export async function countMaps(
  device: GPUDevice,
  steps: number,
  readEvery: number,
): Promise<MapCount> {
  const m = trainModel('spiral')
  const { model, gpu } = await prepare(device, m)
  const feeds = batches(m, model, steps)
  const log = gpu.log(LOSS_OUTPUT, readEvery)
  const before = mapCalls
  const loss: number[] = []
  let reads = 0
  try {
    for (let k = 0; k < steps; k++) {
      gpu.step(feeds[k])
      if ((k + 1) % readEvery === 0) {
        loss.push(...(await log.read()))
        reads++
      }
    }
    return { steps, reads, mapAsyncCalls: mapCalls - before, loss }
  } finally {
    gpu.dispose()
  }
}

/** A synthetic MNIST-shaped data set: `count` random images of 28×28, ten classes. */
function randomMnist(count: number, seed: number): Dataset {
  const rng = createRng(seed)
  const split = (n: number) => ({
    x: Float32Array.from({ length: n * 784 }, () => rng.next()),
    y: Float32Array.from({ length: n }, () => rng.int(10)),
    count: n,
  })
  return {
    name: 'random mnist',
    task: 'classification',
    featureNames: ['intensity'],
    inputShape: [1, 28, 28],
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    train: split(count),
    test: split(Math.ceil(count / 4)),
  }
}

/**
 * The WebGPU session beside the CPU session on the same model, data and settings, `steps` steps
 * each: the GPU's batches gathered on the device from row indices, the CPU's copied on the host.
 */
export async function sessionGather(
  device: GPUDevice,
  which: 'spiral' | 'mnist-mlp',
  steps: number,
): Promise<GatherReport> {
  const m = trainModel(which)
  const data = which === 'spiral' ? playground('spiral', 24) : randomMnist(300, 5)
  const gpu = await createGpuSession(m.graph, data, m.settings, device)
  try {
    const cpu = createSession(m.graph, data, m.settings)
    await gpu.train(steps)
    cpu.train(steps)
    const [g, c] = [await gpu.weights(), cpu.weights()]
    // Per tensor, the largest difference over the largest weight: Adam's steps on weights with
    // next to no gradient amplify rounding, so elementwise relative error says little there.
    let weightError = 0
    for (const [name, t] of Object.entries(c)) {
      const other = g[name]?.data ?? new Float32Array(0)
      const scale = t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6)
      t.data.forEach((v, i) => {
        const e = Math.abs((other[i] ?? NaN) - v) / scale
        weightError = Number.isNaN(e) ? Infinity : Math.max(weightError, e)
      })
    }
    return {
      gathers: gpu.gathers,
      steps: [gpu.step, cpu.step],
      loss: [gpu.takeTrainMetrics().loss, cpu.takeTrainMetrics().loss],
      weightError,
    }
  } finally {
    gpu.dispose()
  }
}

/** Twelve features of about 1e8: one SGD step at learning rate 100 makes the next overflow. */
function largeFeatures(): Dataset {
  const split = (count: number, from: number) => {
    const x = new Float32Array(count * 12)
    const y = new Float32Array(count)
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < 12; k++) x[i * 12 + k] = (1e8 * ((((from + i) * 5 + k * 3) % 7) - 3)) / 3
      y[i] = (from + i) % 2
    }
    return { x, y, count }
  }
  return {
    name: 'large features',
    task: 'regression',
    featureNames: Array.from({ length: 12 }, (_, k) => `f${k}`),
    inputShape: [12],
    train: split(20, 0),
    test: split(4, 20),
  }
}

/**
 * A WebGPU session beside a CPU session that diverge mid-epoch: 5 steps at a tiny learning
 * rate (an epoch, so the GPU's last checkpoint is at step 5), one at rate 100, then the tiny
 * rate again: the output layer overflows at step 7. The GPU names the layer by replaying the
 * steps since its checkpoint, each with the rate it had; `gather` false uploads the batches
 * (the replay gathers them again).
 */
export async function sessionDiverge(
  device: GPUDevice,
  gather: boolean,
): Promise<SessionDivergeReport> {
  const graph = mlp('12', [8], 'relu', 1, 'mse')
  const data = largeFeatures()
  const settings = trainSettings({
    batchSize: 4,
    epochs: 10,
    learningRate: 1e-20,
    optimizer: { type: 'sgd' },
  })
  const gpu = await createGpuSession(graph, data, settings, device, { gatherOnDevice: gather })
  try {
    const cpu = createSession(graph, data, settings)
    const results = []
    for (const session of [gpu, cpu]) {
      await session.train(5)
      session.setLearningRate(100)
      await session.train(1)
      session.setLearningRate(1e-20)
      // Ten steps: two pieces (the epoch ends at 10), the second queued when the first diverges.
      results.push((await session.train(10)).divergence)
    }
    const weights = await gpu.weights()
    return {
      gathers: gpu.gathers,
      divergence: results,
      step: gpu.step,
      weightsFinite: Object.values(weights).every((t) => t.data.every((v) => Number.isFinite(v))),
    }
  } finally {
    gpu.dispose()
  }
}

/**
 * Steps on one fixed batch, recorded with no feeds and no logs (a small graph then loops inside
 * one dispatch, or with `wholeStep` false records a dispatch per kernel; either way the reports
 * are computed only in the last step), against the CPU stepping the same batch: the loss and
 * each layer's check after the last step, and every weight.
 */
export async function loopSteps(
  device: GPUDevice,
  steps: number,
  wholeStep?: boolean,
): Promise<LoopReport> {
  const m = trainModel('spiral')
  const { model, gpu } = await prepare(device, m, wholeStep === undefined ? {} : { wholeStep })
  try {
    const [feed] = batches(m, model, 1)
    if (feed === undefined) throw new Error('no batch')
    for (let k = 0; k < steps; k++) model.train.step(feed)
    gpu.step(feed)
    gpu.steps(steps - 1)
    const checks = gpu.outputs.filter((o) => o.name.startsWith('check:')).map((o) => o.name)
    const names = [...model.lowered.params, ...model.lowered.state].map((s) => s.name)
    const read = await gpu.readMany([LOSS_OUTPUT, ...checks, ...names])
    let weightError = 0
    names.forEach((name, i) => {
      const cpu = model.train.view(name)
      const g = read[i + 1 + checks.length] ?? new Float32Array(0)
      cpu.forEach((v, j) => {
        const e = Math.abs((g[j] ?? NaN) - v) / Math.max(Math.abs(v), 1e-3)
        weightError = Number.isNaN(e) ? Infinity : Math.max(weightError, e)
      })
    })
    return {
      dispatchesPerStep: gpu.dispatchesPerStep,
      loss: [read[0]?.[0] ?? NaN, model.train.view(LOSS_OUTPUT)[0] ?? NaN],
      checks: checks.map((name, i) => [read[i + 1]?.[0] ?? NaN, model.train.view(name)[0] ?? NaN]),
      weightError,
    }
  } finally {
    gpu.dispose()
  }
}
