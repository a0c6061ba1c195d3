// A training session on the WebGPU backend, with the surface the host drives (train, metrics,
// evaluate, weights, checkpoints), asynchronous where the device is. The same training program
// as the CPU session (train/model.ts's plan), fed the same batches (gpu-feeds.ts). Steps are
// recorded many per submission; the loss and the predictions are logged on the device and come
// back in one mapping per piece (at most PIECE steps, never past an epoch's end), so training
// metrics are exact per step, as on the CPU, without a readback per step; the next piece is
// recorded before a piece's read is awaited, so the device works while the host reads.
// Divergence is found at the piece's end from the logged loss, and the weights go back to the
// last good checkpoint (taken at every epoch's end, in the same mapping as the logs), so they
// are never left NaN. The layers' finiteness checks are not logged, so steps before a
// submission's last skip their kernels; to name the first non-finite layer, the steps since
// the checkpoint (their feeds are kept) run again from it, ending a submission at the step
// that diverged, whose checks are then read.
// Evaluation copies the weights to the CPU evaluator (train/evaluate.ts): exact and simple.
// A lost device is met once, from the last checkpoint, paused or training (gpu-recovery.ts);
// the executable and logs it makes on each device are gpu-device.ts's.
import type { WebGpuExecutable } from '../backends/webgpu'
import type { TunerHooks } from '../backends/webgpu'
import type { Dataset } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import { sizeOf } from '../graph/shape'
import type { Feeds } from '../ir'
import { DATA_INPUT, PREDICTION_OUTPUT } from '../lower/lower-graph'
import { learningRate } from '../optim/schedules'
import { checkDataFits } from './data-fit'
import { PIECE, attach, gathersOnDevice, withKernels } from './gpu-device'
import { StepFeeder } from './gpu-feeds'
import { KeptDevice } from './gpu-recovery'
import { drawInitial } from './initial-weights'
import type { Evaluator } from './evaluate'
import { createEvaluator } from './evaluate'
import type { Metrics } from './metrics'
import { MetricSums } from './metrics'
import type { ModelPlan } from './model'
import { checkOutput, planModel } from './model'
import type { Checkpoint, SessionState, StepResult } from './session'
import { divergenceAt, epochsTotal, runSettings } from './session'
import type { TrainSettings } from './settings'

/** Most fed values staged for one piece (the upload buffer's size, in floats). */
const PIECE_FLOATS = 4 * 1024 * 1024
/**
 * The training loop's chunks (loop.ts), in milliseconds: the device idles from a chunk's last
 * step until the next chunk is recorded (its readback mapped, its batches made), a millisecond
 * or two, while the host stays free to handle messages as the device works.
 */
const CHUNK_MS = 100

type Tensors = Record<string, { shape: readonly number[]; data: Float32Array<ArrayBuffer> }>

export interface GpuSession extends SessionState {
  readonly backend: 'webgpu'
  /** Milliseconds of work the training loop gives a chunk (loop.ts's Trainable). */
  readonly chunkMs: number
  readonly model: ModelPlan
  readonly executable: WebGpuExecutable
  /** Whether batches are gathered on the device from the training split kept there. */
  readonly gathers: boolean
  /** What the user should hear about the backend since the last call (a recovered device). */
  takeNotice(): string | null
  /**
   * Takes up to n steps; on a non-finite loss, stops there and restores the last good
   * checkpoint (so `step` goes back to it) and reports the divergence.
   */
  train(n: number): Promise<StepResult>
  /** Mean training metrics (loss and accuracy or RMSE of every step's batch) since the last call. */
  takeTrainMetrics(): Metrics
  evaluate(split: 'train' | 'test'): Promise<Metrics>
  /** Overrides the schedule with a constant rate; the first step that takes it. */
  setLearningRate(lr: number): number
  /** Makes the run `epochs` long (not shorter than it already is: epochsTotal). */
  setEpochs(epochs: number): void
  checkpoint(): Promise<Checkpoint>
  restore(checkpoint: Checkpoint): void
  reset(): void
  weights(): Promise<Tensors>
  /** Frees the device buffers; the session is unusable afterwards. */
  dispose(): void
}

/** A submitted piece of steps (train), with what its read is needed for. */
interface Piece {
  readonly first: number
  readonly m: number
  /** Its feeds as fedSince keeps them. */
  readonly kept: readonly Feeds[]
  readonly targets: readonly Float32Array[]
  /** Real (not padded) rows of each step's batch. */
  readonly reals: readonly number[]
  /** Whether it ends an epoch (its read then holds the checkpoint's tensors). */
  readonly closes: boolean
  /** Logs at the head of its read. */
  readonly logged: number
  readonly read: Promise<Float32Array[]>
}

export interface GpuSessionOptions {
  /** A new device after a lost one (else a lost device ends the session). */
  readonly newDevice?: () => Promise<GPUDevice>
  /**
   * false uploads every batch, as for a training split too large for the device (tests use
   * it); default: the split goes to the device when it fits.
   */
  readonly gatherOnDevice?: boolean
  /**
   * Where the tuner keeps its choices between runs of the app (tune-memory.ts), and who hears
   * how far its timings are (on a new device after a loss too).
   */
  readonly tuning?: TunerHooks
}

export async function createGpuSession(
  graph: ModelGraph,
  dataset: Dataset,
  settings: TrainSettings,
  device: GPUDevice,
  options: GpuSessionOptions = {},
): Promise<GpuSession> {
  const model = planModel(graph, settings)
  const { lowered } = model
  const fit = checkDataFits(graph, model.lowered, dataset)
  // The split's examples stay on the device; each step uploads only its batch's row indices.
  const gathers = (options.gatherOnDevice ?? true) && gathersOnDevice(device, dataset)
  const table = gathers ? dataset.train.x : null
  const tuning = options.tuning ?? {}
  const attachTo = (d: GPUDevice) => attach(model, d, table, tuning)
  const feeder = new StepFeeder(dataset, settings, lowered, fit.oneHot, table)
  const stepsPerEpoch = feeder.batchesPerEpoch
  const sums = new MetricSums(dataset.task)
  let totalSteps = settings.epochs * stepsPerEpoch
  let step = 0
  let lrOverride: number | null = null
  let good: Checkpoint = { step: 0, epoch: 0, tensors: {} }
  /** The feeds of every step since `good` (a step's rows stand for its uploaded batch). */
  let fedSince: Feeds[] = []
  let evaluator: Evaluator | null = null

  const lrAt = (at: number): number =>
    lrOverride ?? learningRate(settings.learningRate, settings.schedule, at)

  /** The checkpoint's tensors and step, and the batches that step had next. */
  const restore = (cp: Checkpoint): void => {
    // On a device known lost, the recovery writes `good` on the next one.
    if (!keeper.lost) {
      for (const [name, data] of Object.entries(cp.tensors)) on().exe.write(name, data)
    }
    step = cp.step
    good = cp
    fedSince = []
    feeder.seek(step)
  }

  const keeper = new KeptDevice(await attachTo(device), {
    newDevice: options.newDevice,
    attach: attachTo,
    lastGood: () => good,
    restore,
  })
  /** The model on the device in use (a new one after a loss). */
  const on = () => keeper.on
  const resident = on().exe.inputs.filter((i) => i.kind === 'param' || i.kind === 'state')
  const residentNames = resident.map((i) => i.name)
  const predInfo = on().exe.outputs.find((o) => o.name === PREDICTION_OUTPUT)
  const predFloats = predInfo ? sizeOf(predInfo.shape) : 0
  const predSize = predInfo ? sizeOf(predInfo.shape.slice(1)) : 1

  const initialise = (): void => {
    const tensors: Record<string, Float32Array<ArrayBuffer>> = {}
    for (const [name, t] of Object.entries(drawInitial(lowered, settings.seed))) {
      tensors[name] = t.data
    }
    for (const input of resident) tensors[input.name] ??= new Float32Array(sizeOf(input.shape))
    restore({ step: 0, epoch: 0, tensors })
    lrOverride = null
    sums.reset()
  }
  initialise()

  /** The model's parameters and state (a batch norm's running statistics). */
  const modelSlots = [...lowered.params, ...lowered.state]
  const modelNames = modelSlots.map((s) => s.name)
  const readTensors = async (names: readonly string[]): Promise<Float32Array<ArrayBuffer>[]> =>
    (await on().exe.readMany(names)).map((d) => Float32Array.from(d))

  /**
   * The first layer whose values went non-finite in the last of `fed` (the steps since the
   * last good checkpoint): they run again from it, the last one ending a submission so that
   * it runs the checks, which are then read with the logs (drained of the replay's values).
   * Null when the replay's loss stayed finite: then it could not say.
   */
  const firstNonFinite = async (fed: readonly Feeds[]): Promise<string | null> => {
    if (model.checkedNodes.length === 0) return lowered.lossNode
    restore(good)
    const { exe, logs } = on()
    for (let at = 0; at < fed.length; at += pieceCap()) {
      const part = fed.slice(at, at + pieceCap())
      exe.steps(part.length, (k) => feeder.refeed(part[k] ?? {}))
    }
    const read = await exe.readMany([...logs, ...model.checkedNodes.map(checkOutput)])
    const loss = read[0] ?? new Float32Array(0)
    if (Number.isFinite(loss[loss.length - 1] ?? 0)) return null
    const checks = read.slice(logs.length)
    return (
      model.checkedNodes.find((_, i) => !Number.isFinite(checks[i]?.[0] ?? 0)) ?? lowered.lossNode
    )
  }

  /** The divergence at step `at`, the last of `fed` (the weights go back to `good`). */
  const divergedAt = async (at: number, loss: number, fed: readonly Feeds[]) => {
    const node = await firstNonFinite(fed)
    restore(good)
    const d = divergenceAt(at, loss, node)
    return { ...d, message: `${d.message} The weights went back to step ${good.step}.` }
  }

  /** A piece's read: the logged loss and predictions, then any resident tensors. */
  const unpack = (read: Float32Array[], logged: number) => {
    const empty = new Float32Array(0)
    const saved: Record<string, Float32Array<ArrayBuffer>> = {}
    residentNames.forEach((name, i) => {
      const data = read[logged + i]
      if (data) saved[name] = Float32Array.from(data)
    })
    return {
      loss: read[0] ?? empty,
      pred: (on().predicts ? read[1] : undefined) ?? empty,
      saved,
    }
  }

  /**
   * One submission of m steps from step `first`, and the read of its logs (and of a checkpoint
   * at an epoch's end) recorded behind it, not yet awaited.
   */
  const submitPiece = (first: number, m: number): Piece => {
    const { feeds, kept, targets, reals } = feeder.piece(first, m, lrAt)
    const { exe, logs } = on()
    exe.steps(m, (k) => feeds[k])
    const closes = (first + m) % stepsPerEpoch === 0 || first + m >= totalSteps
    const read = exe.readMany([...logs, ...(closes ? residentNames : [])])
    // A piece dropped after a lost device or a divergence is never awaited.
    read.catch(() => undefined)
    return { first, m, kept, targets, reals, closes, logged: logs.length, read }
  }

  /** A submitted piece's metrics, its divergence, or its checkpoint, once its read is back. */
  const finishPiece = async (piece: Piece): Promise<StepResult> => {
    const { first, m, kept, targets, reals, closes } = piece
    const { loss, pred, saved } = unpack(await piece.read, piece.logged)
    for (let k = 0; k < m; k++) {
      const value = loss[k] ?? NaN
      if (!Number.isFinite(value)) {
        const fed = [...fedSince, ...kept.slice(0, k + 1)]
        return { steps: k + 1, divergence: await divergedAt(first + k + 1, value, fed) }
      }
      const p = predFloats > 0 ? pred.subarray(k * predFloats, (k + 1) * predFloats) : pred
      sums.add(value, p, targets[k] ?? [], reals[k] ?? 0, predSize)
    }
    step = first + m
    fedSince.push(...kept)
    if (closes) {
      good = { step, epoch: Math.floor(step / stepsPerEpoch), tensors: saved }
      fedSince = []
    }
    return { steps: m, divergence: null }
  }

  // Floats fed per step: a gathered input's are its row indices.
  const fedPerStep = on()
    .exe.inputs.filter((i) => i.kind === 'input')
    .reduce(
      (n, i) => n + (table !== null && i.name === DATA_INPUT ? (i.shape[0] ?? 1) : sizeOf(i.shape)),
      0,
    )
  // The upload buffer holds a piece's feeds: PIECE_FLOATS, or what one buffer may hold.
  const uploadFloats = Math.min(PIECE_FLOATS, Math.floor(device.limits.maxBufferSize / 4))
  const feedCap = Math.max(1, Math.min(PIECE, Math.floor(uploadFloats / Math.max(1, fedPerStep))))
  /** The most steps one piece takes: as many as the upload buffer and the logs hold. */
  const pieceCap = (): number => Math.min(feedCap, on().steps)

  /** The step the next piece starts at while train() has pieces recorded; null otherwise. */
  let queuedTo: number | null = null

  /**
   * train()'s steps: pieces of at most pieceCap steps, never past an epoch's end; the next one is
   * recorded before the one before it is read, so the device has work while the host reads.
   */
  const trainPieces = async (n: number): Promise<StepResult> => {
    await keeper.ready()
    let taken = 0
    let next = step
    const queue: Piece[] = []
    const submit = (): void => {
      const epochEnd = (Math.floor(next / stepsPerEpoch) + 1) * stepsPerEpoch
      const m = Math.min(pieceCap(), n - taken - (next - step), totalSteps - next, epochEnd - next)
      queue.push(submitPiece(next, m))
      next += m
      queuedTo = next
    }
    while (taken < n && step < totalSteps) {
      let piece: Piece | undefined
      let result: StepResult
      try {
        while (queue.length < 2 && taken + (next - step) < n && next < totalSteps) submit()
        piece = queue.shift()
        if (piece === undefined) break
        result = await finishPiece(piece)
      } catch (err) {
        const reason = await keeper.lossNow()
        if (reason === null) throw err
        queue.length = 0
        await keeper.recover(reason)
        next = step
        queuedTo = step
        continue
      }
      if (result.divergence) {
        // The piece behind it ran on weights that are gone; its logs are read and dropped.
        await Promise.allSettled(queue.map((q) => q.read))
        return { steps: taken + result.steps, divergence: result.divergence }
      }
      taken += piece.m
    }
    return { steps: taken, divergence: null }
  }

  const session: GpuSession = {
    backend: 'webgpu',
    chunkMs: CHUNK_MS,
    summary: withKernels(model.summary, on().exe),
    dataset,
    get settings() {
      return runSettings(settings, totalSteps, stepsPerEpoch)
    },
    stepsPerEpoch,
    get totalSteps() {
      return totalSteps
    },
    model,
    graph,
    get executable() {
      return on().exe
    },
    gathers: table !== null,
    takeNotice: () => keeper.takeNotice(),
    get step() {
      return step
    },
    get epoch() {
      return Math.floor(step / stepsPerEpoch)
    },
    get learningRate() {
      return lrAt(step)
    },
    async train(n) {
      try {
        return await trainPieces(n)
      } finally {
        queuedTo = null
      }
    },
    takeTrainMetrics() {
      const m = sums.result()
      sums.reset()
      return m
    },
    async evaluate(split) {
      // The model's own tensors: the optimizer's state (Adam's moments, twice the weights) stays.
      const values = await keeper.onDevice(() => readTensors(modelNames))
      const byName = new Map(modelNames.map((name, i) => [name, values[i] ?? []]))
      evaluator ??= createEvaluator(graph, dataset, settings.seed, fit.oneHot)
      return evaluator.run(split, (name) => byName.get(name) ?? [], lowered)
    },
    setLearningRate(value) {
      if (!(value > 0) || !Number.isFinite(value)) {
        throw new RangeError(`a learning rate must be a positive number, got ${value}`)
      }
      lrOverride = value
      // Pieces already recorded keep the rate they were recorded with.
      return queuedTo ?? step
    },
    setEpochs(epochs) {
      totalSteps = epochsTotal(epochs, stepsPerEpoch, step)
    },
    async checkpoint() {
      const [at, values] = await keeper.onDevice(
        async () => [step, await readTensors(residentNames)] as const,
      )
      const tensors: Record<string, Float32Array<ArrayBuffer>> = {}
      residentNames.forEach((name, i) => (tensors[name] = values[i] ?? new Float32Array(0)))
      return { step: at, epoch: Math.floor(at / stepsPerEpoch), tensors }
    },
    restore,
    reset: initialise,
    async weights() {
      const values = await keeper.onDevice(() => readTensors(modelNames))
      const out: Tensors = {}
      modelSlots.forEach((slot, i) => {
        out[slot.name] = { shape: slot.shape, data: values[i] ?? new Float32Array(0) }
      })
      return out
    },
    dispose: () => keeper.dispose(),
  }
  return session
}
