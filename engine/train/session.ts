// A training session: a compiled model, its data, and the run's state (step, epoch, learning
// rate, metrics). It steps synchronously on the CPU; train/loop.ts drives it without blocking.
import type { Dataset } from '../data/dataset'
import type { BatchLoader } from '../data/loader'
import { createLoader } from '../data/loader'
import type { ModelGraph } from '../graph/model-graph'
import { sizeOf } from '../graph/shape'
import type { CpuExecutable } from '../backends/cpu'
import {
  DATA_INPUT,
  KEY_INPUT,
  LOSS_OUTPUT,
  PREDICTION_OUTPUT,
  TARGET_INPUT,
} from '../lower/lower-graph'
import { learningRate } from '../optim/schedules'
import { hostScalarsOf } from '../optim/optimizers'
import { LR_INPUT } from '../optim/train-step'
import { checkDataFits } from './data-fit'
import { createEvaluator } from './evaluate'
import { drawInitial } from './initial-weights'
import type { Evaluator } from './evaluate'
import type { Metrics } from './metrics'
import { MetricSums } from './metrics'
import type { CompiledModel, ModelSummary } from './model'
import { checkOutput, compileModel } from './model'
import type { TrainSettings } from './settings'
import { EpochsSchema, MAX_EPOCHS } from './settings'

export interface Divergence {
  step: number
  /** The first node, in graph order, whose output was not finite at that step. */
  node: string | null
  message: string
}

export interface StepResult {
  /** Steps actually taken (fewer than asked when the run diverged or finished). */
  steps: number
  divergence: Divergence | null
}

export interface Checkpoint {
  step: number
  epoch: number
  tensors: Record<string, Float32Array<ArrayBuffer>>
}

/** What a session trains and where its run stands, on either backend (gpu-session.ts). */
export interface SessionState {
  readonly summary: ModelSummary
  readonly graph: ModelGraph
  readonly dataset: Dataset
  readonly settings: TrainSettings
  readonly stepsPerEpoch: number
  readonly totalSteps: number
  /** Steps taken so far. */
  readonly step: number
  readonly epoch: number
  /** The learning rate the next step uses. */
  readonly learningRate: number
}

export interface Session extends SessionState {
  /** Takes up to n training steps; stops at the first non-finite loss. */
  train(n: number): StepResult
  /** Mean training metrics since the last call. */
  takeTrainMetrics(): Metrics
  evaluate(split: 'train' | 'test'): Metrics
  /** Overrides the schedule from now on with a constant rate; the first step that takes it. */
  setLearningRate(lr: number): number
  /** Makes the run `epochs` long (not shorter than it already is: epochsTotal). */
  setEpochs(epochs: number): void
  checkpoint(): Checkpoint
  restore(checkpoint: Checkpoint): void
  /** Fresh weights and optimizer state from the seed, step 0. */
  reset(): void
  /** Every parameter and state tensor by its PyTorch-style name. */
  weights(): Record<string, { shape: readonly number[]; data: Float32Array<ArrayBuffer> }>
  readonly model: CompiledModel
}

/**
 * The steps a run of `epochs` takes, or a RangeError where that is not a whole number from 1 to
 * EpochsSchema's most, or is fewer steps than the run has taken: a run is made longer or
 * shorter in place, never shorter than it already is.
 */
export function epochsTotal(epochs: number, stepsPerEpoch: number, step: number): number {
  if (!EpochsSchema.safeParse(epochs).success) {
    throw new RangeError(`epochs must be a whole number from 1 to ${MAX_EPOCHS}, got ${epochs}`)
  }
  const total = epochs * stepsPerEpoch
  if (total < step) {
    throw new RangeError(
      `the run is at step ${step}, past ${epochs} epochs of ${stepsPerEpoch} steps`,
    )
  }
  return total
}

/** A session's settings with the length its run now has (setEpochs may have changed it). */
export function runSettings(
  settings: TrainSettings,
  totalSteps: number,
  stepsPerEpoch: number,
): TrainSettings {
  const epochs = totalSteps / stepsPerEpoch
  return epochs === settings.epochs ? settings : { ...settings, epochs }
}

export function createSession(
  graph: ModelGraph,
  dataset: Dataset,
  settings: TrainSettings,
): Session {
  const model = compileModel(graph, settings)
  const fit = checkDataFits(graph, model.lowered, dataset)
  const exe = model.train
  let loader = makeLoader(dataset, settings, fit.oneHot)
  let step = 0
  let lrOverride: number | null = null
  const sums = new MetricSums(dataset.task)
  // Scalars the optimizer wants computed on the host each step (Adam's bias corrections).
  const hostScalars = hostScalarsOf(settings.optimizer)
  const scalarValues = new Float32Array(hostScalars.names.length)
  const outputs = new Map(exe.outputs.map((o) => [o.name, o]))
  const predSize = sizeOf((outputs.get(PREDICTION_OUTPUT)?.shape ?? [1, 1]).slice(1))
  let evaluator: Evaluator | null = null

  const initialise = (): void => {
    for (const [name, t] of Object.entries(drawInitial(model.lowered, settings.seed))) {
      exe.write(name, t.data)
    }
    for (const input of exe.inputs) {
      if (input.kind === 'state' && !model.lowered.state.some((s) => s.name === input.name)) {
        exe.write(input.name, new Float32Array(sizeOf(input.shape)))
      }
    }
    step = 0
    lrOverride = null
    sums.reset()
    loader = makeLoader(dataset, settings, fit.oneHot)
  }
  initialise()

  const currentLr = () => lrOverride ?? learningRate(settings.learningRate, settings.schedule, step)
  let totalSteps = settings.epochs * loader.batchesPerEpoch

  // The step's inputs and outputs, looked up once: a step copies the batch in and allocates nothing.
  const inputs = {
    x: exe.input(DATA_INPUT),
    lr: exe.input(LR_INPUT),
    target: model.lowered.targetShape ? exe.input(TARGET_INPUT) : null,
    key: model.lowered.usesKey ? exe.input(KEY_INPUT) : null,
    scalars: hostScalars.names.map((name) => exe.input(name)),
  }
  const lossOut = exe.view(LOSS_OUTPUT)
  const predOut = exe.view(PREDICTION_OUTPUT)

  const trainOne = (): Divergence | null => {
    const real = loader.next()
    inputs.x.set(loader.x)
    inputs.lr[0] = currentLr()
    inputs.target?.set(loader.y)
    if (inputs.key) inputs.key[0] = step
    hostScalars.fill(step + 1, scalarValues)
    for (let i = 0; i < inputs.scalars.length; i++) {
      const buffer = inputs.scalars[i]
      if (buffer) buffer[0] = scalarValues[i] ?? 0
    }
    exe.step()
    const loss = lossOut[0] ?? NaN
    step++
    if (!Number.isFinite(loss)) return diverged(model, exe, step, loss)
    sums.add(loss, predOut, loader.y, real, predSize)
    return null
  }

  const session: Session = {
    summary: model.summary,
    dataset,
    get settings() {
      return runSettings(settings, totalSteps, loader.batchesPerEpoch)
    },
    stepsPerEpoch: loader.batchesPerEpoch,
    get totalSteps() {
      return totalSteps
    },
    model,
    graph,
    get step() {
      return step
    },
    get epoch() {
      return Math.floor(step / loader.batchesPerEpoch)
    },
    get learningRate() {
      return currentLr()
    },
    train(n) {
      let taken = 0
      while (taken < n && step < totalSteps) {
        const divergence = trainOne()
        taken++
        if (divergence) return { steps: taken, divergence }
      }
      return { steps: taken, divergence: null }
    },
    takeTrainMetrics() {
      const m = sums.result()
      sums.reset()
      return m
    },
    evaluate(split) {
      evaluator ??= createEvaluator(graph, dataset, settings.seed, fit.oneHot)
      return evaluator.run(split, (name) => exe.view(name), model.lowered)
    },
    setLearningRate(value) {
      if (!(value > 0) || !Number.isFinite(value)) {
        throw new RangeError(`a learning rate must be a positive number, got ${value}`)
      }
      lrOverride = value
      return step
    },
    setEpochs(value) {
      totalSteps = epochsTotal(value, loader.batchesPerEpoch, step)
    },
    checkpoint() {
      const tensors: Record<string, Float32Array<ArrayBuffer>> = {}
      for (const input of exe.inputs) {
        if (input.kind === 'param' || input.kind === 'state') {
          tensors[input.name] = Float32Array.from(exe.view(input.name))
        }
      }
      return { step, epoch: session.epoch, tensors }
    },
    restore(cp) {
      for (const [name, data] of Object.entries(cp.tensors)) exe.write(name, data)
      step = cp.step
      // The batches from here are the ones this step had.
      loader = makeLoader(dataset, settings, fit.oneHot, true, step)
    },
    reset: initialise,
    weights() {
      const out: Record<string, { shape: readonly number[]; data: Float32Array<ArrayBuffer> }> = {}
      for (const slot of [...model.lowered.params, ...model.lowered.state]) {
        out[slot.name] = { shape: slot.shape, data: Float32Array.from(exe.view(slot.name)) }
      }
      return out
    },
  }
  return session
}

export function makeLoader(
  dataset: Dataset,
  settings: TrainSettings,
  oneHot: boolean,
  copyInputs = true,
  start = 0,
): BatchLoader {
  return createLoader(dataset, 'train', {
    start,
    batchSize: settings.batchSize,
    seed: settings.seed,
    shuffle: true,
    oneHot,
    copyInputs,
    partial: dataset.train.count < settings.batchSize ? 'pad' : 'drop',
  })
}

function diverged(
  model: CompiledModel,
  exe: CpuExecutable,
  step: number,
  loss: number,
): Divergence {
  // Layers are checked in graph order; when all of them stayed finite, the loss overflowed.
  const node =
    model.checkedNodes.find((id) => !Number.isFinite(exe.view(checkOutput(id))[0] ?? 0)) ??
    model.lowered.lossNode
  return divergenceAt(step, loss, node ?? null)
}

/** The divergence report for a non-finite loss at `step`, naming the first non-finite layer. */
export function divergenceAt(step: number, loss: number, node: string | null): Divergence {
  const where = node ? ` The first layer whose values went non-finite is "${node}".` : ''
  return {
    step,
    node,
    message:
      `Training stopped at step ${step}: the loss became ${String(loss)}.${where} ` +
      'The learning rate may be too high for this network; try a smaller one.',
  }
}
