// A training session on the WebGPU backend, with the surface the host drives (train, metrics,
// evaluate, weights, checkpoints), asynchronous where the device is. The same training program
// as the CPU session (train/model.ts's plan), fed the same batches, learning rates, keys and
// Adam host scalars. Steps are recorded many per submission; the loss and the predictions are
// logged on the device and come back in one mapping per piece (at most PIECE steps, never past
// an epoch's end), so training metrics are exact per step, as on the CPU, without a readback
// per step; the next piece is recorded before a piece's read is awaited, so the device works
// while the host reads. The training split's examples live on the device and each step's batch
// is gathered there from its row indices (when the split fits; else the batches are uploaded).
// Divergence is found at the piece's end from the logged loss, and the weights go back to the
// last good checkpoint (taken at every epoch's end, in the same mapping as the logs), so they
// are never left NaN. The layers' finiteness checks are not logged, so steps before a
// submission's last skip their kernels; to name the first non-finite layer, the steps since
// the checkpoint (their feeds are kept) run again from it, ending a submission at the step
// that diverged, whose checks are then read.
// Evaluation copies the weights to the CPU evaluator (train/evaluate.ts): exact and simple.
// A lost device (a driver reset, a torn-down window) is met once: the session builds its
// executable on a new device from `newDevice`, restores the last checkpoint (weights, optimizer
// state and the batch order) and carries on, leaving a notice for the user; every operation
// does so, paused or training. A second loss (also one while rebuilding) throws a
// DeviceLostError that carries that checkpoint, for the host to go on on the CPU.
// The executable and logs it makes on each device are gpu-device.ts's.
import type { WebGpuExecutable } from '../backends/webgpu'
import type { TunerHooks } from '../backends/webgpu'
import type { Dataset } from '../data/dataset'
import { exampleSize, gatherRows } from '../data/dataset'
import type { BatchLoader } from '../data/loader'
import type { ModelGraph } from '../graph/model-graph'
import { sizeOf } from '../graph/shape'
import type { Feeds } from '../ir'
import { DATA_INPUT, KEY_INPUT, PREDICTION_OUTPUT, TARGET_INPUT } from '../lower/lower-graph'
import { hostScalarsOf } from '../optim/optimizers'
import { learningRate } from '../optim/schedules'
import { LR_INPUT } from '../optim/train-step'
import { checkDataFits } from './data-fit'
import { PIECE, attach, gathersOnDevice, lossText, lostReason, withKernels } from './gpu-device'
import { drawInitial } from './initial-weights'
import type { Evaluator } from './evaluate'
import { createEvaluator } from './evaluate'
import type { Metrics } from './metrics'
import { MetricSums } from './metrics'
import type { ModelPlan } from './model'
import { checkOutput, planModel } from './model'
import type { Checkpoint, SessionState, StepResult } from './session'
import { divergenceAt, epochsTotal, makeLoader, runSettings } from './session'
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

/** A second lost device: the session cannot go on, but its last checkpoint is on the host. */
export class DeviceLostError extends Error {
  constructor(
    message: string,
    readonly checkpoint: Checkpoint,
  ) {
    super(message)
  }
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
  const { newDevice } = options
  const model = planModel(graph, settings)
  const fit = checkDataFits(graph, model.lowered, dataset)
  // The split's examples stay on the device; each step uploads only its batch's row indices.
  const gathers = (options.gatherOnDevice ?? true) && gathersOnDevice(device, dataset)
  const table = gathers ? dataset.train.x : null
  const rowSize = exampleSize(dataset.inputShape)
  const tuning = options.tuning ?? {}
  let on = await attach(model, device, table, tuning)
  const { lowered } = model
  const resident = on.exe.inputs.filter((i) => i.kind === 'param' || i.kind === 'state')
  const residentNames = resident.map((i) => i.name)
  const hostScalars = hostScalarsOf(settings.optimizer)
  const scalarValues = new Float64Array(hostScalars.names.length)
  const predInfo = on.exe.outputs.find((o) => o.name === PREDICTION_OUTPUT)
  const predFloats = predInfo ? sizeOf(predInfo.shape) : 0
  const predSize = predInfo ? sizeOf(predInfo.shape.slice(1)) : 1
  const sums = new MetricSums(dataset.task)
  let loader: BatchLoader = makeLoader(dataset, settings, fit.oneHot, table === null)
  const stepsPerEpoch = loader.batchesPerEpoch
  let totalSteps = settings.epochs * stepsPerEpoch
  let step = 0
  let lrOverride: number | null = null
  let good: Checkpoint = { step: 0, epoch: 0, tensors: {} }
  /** The feeds of every step since `good` (a step's rows stand for its uploaded batch). */
  let fedSince: Feeds[] = []
  let evaluator: Evaluator | null = null
  let losses = 0
  let notice: string | null = null

  /** Why the device in use was lost, once it says so (every operation then recovers first). */
  let lostNow: string | null = null
  const watch = (d: GPUDevice): void => {
    const { exe } = on
    void d.lost.then((info) => {
      if (on.exe === exe) lostNow = lossText(info)
    })
  }
  watch(device)
  let recovering: Promise<void> | null = null

  /**
   * After a lost device: the same plan on a new one, from the last checkpoint. A second loss,
   * or one while rebuilding (no new device, or it too lost), throws a DeviceLostError with that
   * checkpoint. Callers at the same time share one recovery.
   */
  const recover = (reason: string): Promise<void> => {
    recovering ??= rebuild(reason).finally(() => (recovering = null))
    return recovering
  }
  const rebuild = async (reason: string): Promise<void> => {
    losses++
    const where = `The GPU device was lost${losses > 1 ? ' again' : ''} (${reason})`
    if (newDevice === undefined || losses > 1) {
      throw new DeviceLostError(`${where}.`, good)
    }
    on.exe.dispose()
    try {
      const next = await newDevice()
      on = await attach(model, next, table, tuning)
      lostNow = null
      watch(next)
      restore(good)
      await on.exe.done()
    } catch (err) {
      losses++
      const why = err instanceof Error ? err.message : String(err)
      throw new DeviceLostError(`${where}, and no new device could take over (${why}).`, good)
    }
    notice = `${where}; training resumed on a new device from the checkpoint at step ${good.step}.`
  }

  /** Why the device in use is lost, after a failure that may be that loss; null if it is not. */
  const lossNow = async (): Promise<string | null> => lostNow ?? (await lostReason(on.exe.device))

  /** Recovers first from a loss the device has told of. */
  const ready = async (): Promise<void> => {
    if (lostNow !== null) await recover(lostNow)
  }

  /** `work` on a device that is not lost: after a loss, on the new one (or a DeviceLostError). */
  const onDevice = async <T>(work: () => Promise<T>): Promise<T> => {
    await ready()
    try {
      return await work()
    } catch (err) {
      const reason = await lossNow()
      if (reason === null) throw err
      await recover(reason)
      return work()
    }
  }

  const lrAt = (at: number): number =>
    lrOverride ?? learningRate(settings.learningRate, settings.schedule, at)

  /** The checkpoint's tensors and step, and the batches that step had next. */
  const restore = (cp: Checkpoint): void => {
    // On a device known lost, the recovery writes `good` on the next one.
    if (lostNow === null)
      for (const [name, data] of Object.entries(cp.tensors)) on.exe.write(name, data)
    step = cp.step
    good = cp
    fedSince = []
    loader = makeLoader(dataset, settings, fit.oneHot, table === null, step)
  }

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
    (await on.exe.readMany(names)).map((d) => Float32Array.from(d))

  /**
   * The feeds of the next m steps, as the CPU session makes them, with their targets, and what
   * fedSince keeps of them (uploaded batches as their rows).
   */
  const feedPiece = (first: number, m: number) => {
    const feeds: Feeds[] = []
    const kept: Feeds[] = []
    const targets: Float32Array[] = []
    const reals: number[] = []
    for (let k = 0; k < m; k++) {
      reals.push(loader.next())
      const y = Float32Array.from(loader.y)
      const rows = Float32Array.from(loader.rows)
      const f: Record<string, ArrayLike<number>> = {
        [DATA_INPUT]: table === null ? Float32Array.from(loader.x) : rows,
        [LR_INPUT]: [lrAt(first + k)],
      }
      if (lowered.targetShape) f[TARGET_INPUT] = y
      if (lowered.usesKey) f[KEY_INPUT] = [first + k]
      hostScalars.fill(first + k + 1, scalarValues)
      hostScalars.names.forEach((name, i) => (f[name] = [scalarValues[i] ?? 0]))
      feeds.push(f)
      kept.push(table === null ? { ...f, [DATA_INPUT]: rows } : f)
      targets.push(y)
    }
    return { feeds, kept, targets, reals }
  }

  /** A kept step's feeds as it was fed (an uploaded batch gathered again from its rows). */
  const refeed = (kept: Feeds): Feeds => {
    if (table !== null) return kept
    const rows = kept[DATA_INPUT] ?? []
    const { x, y } = dataset.train
    return { ...kept, [DATA_INPUT]: gatherRows(x, y, rowSize, rows, 0, rows.length).x }
  }

  /**
   * The first layer whose values went non-finite in the last of `fed` (the steps since the
   * last good checkpoint): they run again from it, the last one ending a submission so that
   * it runs the checks, which are then read with the logs (drained of the replay's values).
   * Null when the replay's loss stayed finite: then it could not say.
   */
  const firstNonFinite = async (fed: readonly Feeds[]): Promise<string | null> => {
    if (model.checkedNodes.length === 0) return lowered.lossNode
    restore(good)
    for (let at = 0; at < fed.length; at += pieceCap()) {
      const part = fed.slice(at, at + pieceCap())
      on.exe.steps(part.length, (k) => refeed(part[k] ?? {}))
    }
    const read = await on.exe.readMany([...on.logs, ...model.checkedNodes.map(checkOutput)])
    const loss = read[0] ?? new Float32Array(0)
    if (Number.isFinite(loss[loss.length - 1] ?? 0)) return null
    const checks = read.slice(on.logs.length)
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
      pred: (on.predicts ? read[1] : undefined) ?? empty,
      saved,
    }
  }

  /**
   * One submission of m steps from step `first`, and the read of its logs (and of a checkpoint
   * at an epoch's end) recorded behind it, not yet awaited.
   */
  const submitPiece = (first: number, m: number): Piece => {
    const { feeds, kept, targets, reals } = feedPiece(first, m)
    on.exe.steps(m, (k) => feeds[k])
    const closes = (first + m) % stepsPerEpoch === 0 || first + m >= totalSteps
    const read = on.exe.readMany([...on.logs, ...(closes ? residentNames : [])])
    // A piece dropped after a lost device or a divergence is never awaited.
    read.catch(() => undefined)
    return { first, m, kept, targets, reals, closes, logged: on.logs.length, read }
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
  const fedPerStep = on.exe.inputs
    .filter((i) => i.kind === 'input')
    .reduce(
      (n, i) => n + (table !== null && i.name === DATA_INPUT ? (i.shape[0] ?? 1) : sizeOf(i.shape)),
      0,
    )
  // The upload buffer holds a piece's feeds: PIECE_FLOATS, or what one buffer may hold.
  const uploadFloats = Math.min(PIECE_FLOATS, Math.floor(device.limits.maxBufferSize / 4))
  const feedCap = Math.max(1, Math.min(PIECE, Math.floor(uploadFloats / Math.max(1, fedPerStep))))
  /** The most steps one piece takes: as many as the upload buffer and the logs hold. */
  const pieceCap = (): number => Math.min(feedCap, on.steps)

  /** The step the next piece starts at while train() has pieces recorded; null otherwise. */
  let queuedTo: number | null = null

  /**
   * train()'s steps: pieces of at most pieceCap steps, never past an epoch's end; the next one is
   * recorded before the one before it is read, so the device has work while the host reads.
   */
  const trainPieces = async (n: number): Promise<StepResult> => {
    await ready()
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
        const reason = await lossNow()
        if (reason === null) throw err
        queue.length = 0
        await recover(reason)
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
    summary: withKernels(model.summary, on.exe),
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
      return on.exe
    },
    gathers: table !== null,
    takeNotice() {
      const n = notice
      notice = null
      return n
    },
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
      const values = await onDevice(() => readTensors(modelNames))
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
      const [at, values] = await onDevice(
        async () => [step, await readTensors(residentNames)] as const,
      )
      const tensors: Record<string, Float32Array<ArrayBuffer>> = {}
      residentNames.forEach((name, i) => (tensors[name] = values[i] ?? new Float32Array(0)))
      return { step: at, epoch: Math.floor(at / stepsPerEpoch), tensors }
    },
    restore,
    reset: initialise,
    async weights() {
      const values = await onDevice(() => readTensors(modelNames))
      const out: Tensors = {}
      modelSlots.forEach((slot, i) => {
        out[slot.name] = { shape: slot.shape, data: values[i] ?? new Float32Array(0) }
      })
      return out
    },
    dispose() {
      on.exe.dispose()
    },
  }
  return session
}
