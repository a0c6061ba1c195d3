// The host's training side: one session at a time, made by `load`, driven by train / pause /
// step / reset, and read by evaluate / probe / weights. Progress goes out as events.
import type { DataSources } from '../data/registry'
import { makeDataset } from '../data/registry'
import type { DataSpec } from '../data/spec'
import { validateDataSpec } from '../data/spec'
import { inspectGraph } from '../graph/inspect'
import type { Problem } from '../graph/problems'
import { LoweringError } from '../lower/lower-graph'
import type { BackendInfo, EngineEvent, Request, ResultOf } from '../protocol/messages'
import { PROTOCOL_VERSION } from '../protocol/messages'
import { applyWeights } from '../io/apply-weights'
import { withDataShape } from '../train/data-fit'
import { initialWeights } from '../train/initial-weights'
import type { LoopControl } from '../train/loop'
import { trainLoop } from '../train/loop'
import type { Prober } from '../train/probes'
import { ProbeRequestError, createProber } from '../train/probes'
import type { Checkpoint, Session } from '../train/session'
import { createSession } from '../train/session'
import type { GpuSession } from '../train/gpu-session'
import { createGpuSession } from '../train/gpu-session'
import { DeviceLostError } from '../train/gpu-recovery'
import type { ModelGraph } from '../graph/model-graph'
import type { Dataset } from '../data/dataset'
import type { TrainSettings } from '../train/settings'
import type { TuneMemory, TunerHooks } from '../backends/webgpu'
import { isCpuEmulation, probeAdapter, requestDevice } from '../backends/webgpu'

/** A request the host refuses, with the protocol's error code. */
export class HostError extends Error {
  constructor(
    readonly code: 'bad-message' | 'invalid-project' | 'no-session' | 'busy',
    message: string,
    readonly problems?: readonly Problem[],
  ) {
    super(message)
  }
}

export interface TrainingDeps {
  /** Bytes the engine cannot fetch itself for a data spec (MNIST's file). */
  sources: (spec: DataSpec) => Promise<DataSources>
  emit: (event: EngineEvent) => void
  /** A WebGPU device, or why there is none (default: navigator.gpu's adapter and device). */
  gpu?: () => Promise<GpuDevice>
  /** Where WebGPU's tuner keeps its choices between runs of the app (default: nowhere). */
  tuneMemory?: TuneMemory | null
}

/** A session on either backend: the CPU's (synchronous) or WebGPU's (asynchronous). */
export type AnySession = Session | GpuSession

export type GpuDevice =
  | {
      ok: true
      device: GPUDevice
      adapter: string
      /** A CPU emulation of WebGPU (SwiftShader, fallback adapters): auto prefers the CPU. */
      emulated: boolean
    }
  | { ok: false; reason: string }

const onGpu = (s: AnySession): s is GpuSession => 'backend' in s && s.backend === 'webgpu'

type Req<T extends Request['type']> = Extract<Request, { type: T }>

export function createTrainingHost(deps: TrainingDeps) {
  let session: AnySession | null = null
  let prober: Prober | null = null
  let control: LoopControl | null = null
  let device: Promise<GpuDevice> | null = null
  const openGpu = deps.gpu ?? defaultGpu
  /** The device, asked for once and again only after it was lost. */
  const gpu = (): Promise<GpuDevice> => {
    if (device) return device
    const made = openGpu()
    device = made
    void made.then((d) => {
      if (d.ok) void d.device.lost.then(() => device === made && (device = null))
    })
    return made
  }

  const current = (): AnySession => {
    if (!session) throw new HostError('no-session', 'Nothing is loaded: send load first.')
    return session
  }
  const idle = (): AnySession => {
    if (control) throw new HostError('busy', 'Training is running: pause it first.')
    return current()
  }
  /** The latest run of exclusive work; a paused WebGPU run ends with its chunk in flight. */
  let running: Promise<unknown> = Promise.resolve()
  const settled = (): Promise<unknown> => running.catch(() => undefined)
  /** Work that changes the session: refused while training, after a paused run has ended. */
  const exclusive = async <T>(work: (s: AnySession, own: LoopControl) => Promise<T>) => {
    idle()
    await settled()
    const s = idle()
    const own: LoopControl = { stop: false }
    control = own
    const done = work(s, own)
    running = done
    try {
      return await done
    } finally {
      if (control === own) control = null
    }
  }

  /** What the next progress event or step reply says about a move to the CPU. */
  let moved: { notice: string; backend: LoadBackend } | null = null
  const takeMoved = () => {
    const m = moved
    moved = null
    return m === null ? {} : m
  }

  /**
   * After the GPU device was lost twice: the same model on the CPU, from the GPU session's last
   * checkpoint (kept on the host), which becomes the session.
   */
  const toCpu = (s: GpuSession, err: DeviceLostError): Session => {
    const cpu = createSession(s.graph, s.dataset, s.settings)
    cpu.restore(err.checkpoint)
    s.dispose()
    session = cpu
    const at = err.checkpoint.step
    moved = {
      notice: `${err.message} Training continues on the CPU from the checkpoint at step ${at}.`,
      backend: { name: 'cpu', reason: 'the GPU device was lost twice' },
    }
    return cpu
  }

  /** Runs `work` on the session; on a second lost device, again on the CPU. */
  const onEither = async <T>(s: AnySession, work: (t: AnySession) => Promise<T>): Promise<T> => {
    try {
      return await work(s)
    } catch (err) {
      if (!(err instanceof DeviceLostError) || !onGpu(s)) throw err
      return work(toCpu(s, err))
    }
  }

  return {
    async load(r: Req<'load'>): Promise<ResultOf<'load'>> {
      if (control) control.stop = true
      control = null
      const ready = await prepareLoad(r, deps)
      const { made, backend } = await makeSession(ready, r.backend ?? 'auto', gpu, {
        memory: deps.tuneMemory ?? null,
        progress: (done, total) =>
          deps.emit({ v: PROTOCOL_VERSION, kind: 'event', type: 'tuning', done, total }),
      })
      await settled()
      if (session && onGpu(session)) session.dispose()
      session = made
      prober = createProber(made.graph, made.dataset, made.settings.seed)
      return describeSession(made, backend)
    },
    train(r: Req<'train'>): Promise<ResultOf<'train'>> {
      return exclusive((first, own) =>
        onEither(first, async (s): Promise<ResultOf<'train'>> => {
          const end = await trainLoop(s, {
            control: own,
            ...(r.untilStep === undefined ? {} : { untilStep: r.untilStep }),
            report: (p) =>
              deps.emit({
                v: PROTOCOL_VERSION,
                kind: 'event',
                type: 'progress',
                ...p,
                ...takeMoved(),
              }),
          })
          return end.reason === 'diverged'
            ? { reason: end.reason, step: s.step, divergence: end.divergence }
            : { reason: end.reason, step: s.step }
        }),
      )
    },
    /** Stops a run at its next chunk; the step it stopped at (a WebGPU chunk ends first). */
    async pause(): Promise<ResultOf<'pause'>> {
      if (control) control.stop = true
      control = null
      await settled()
      return { step: current().step }
    },
    step(r: Req<'step'>): Promise<ResultOf<'step'>> {
      return exclusive((first) =>
        onEither(first, async (s): Promise<ResultOf<'step'>> => {
          const result = await s.train(r.count)
          const train = s.takeTrainMetrics()
          const notice = onGpu(s) ? s.takeNotice() : null
          return {
            step: s.step,
            train,
            ...(result.divergence ? { divergence: result.divergence } : {}),
            ...(notice === null ? {} : { notice }),
            ...takeMoved(),
          }
        }),
      )
    },
    reset(): Promise<ResultOf<'reset'>> {
      return exclusive((s) => {
        s.reset()
        return Promise.resolve({ step: 0 })
      })
    },
    setLearningRate(r: Req<'set-learning-rate'>): Promise<ResultOf<'set-learning-rate'>> {
      const fromStep = current().setLearningRate(r.learningRate)
      return Promise.resolve({ learningRate: r.learningRate, fromStep })
    },
    /** A longer or shorter run, in place: refused while training, and below where it is. */
    setEpochs(r: Req<'set-epochs'>): Promise<ResultOf<'set-epochs'>> {
      // Async, so a refusal rejects the work rather than escaping exclusive's bookkeeping.
      return exclusive(async (s) => {
        try {
          s.setEpochs(r.epochs)
        } catch (err) {
          if (err instanceof RangeError) throw new HostError('bad-message', err.message)
          throw err
        }
        return { step: s.step, totalSteps: s.totalSteps }
      })
    },
    async evaluate(r: Req<'evaluate'>): Promise<ResultOf<'evaluate'>> {
      return onEither(current(), async (s) => s.evaluate(r.split))
    },
    async probe(r: Req<'probe'>): Promise<ResultOf<'probe'>> {
      const s = current()
      const p = prober
      if (!p) throw new HostError('no-session', 'Nothing is loaded: send load first.')
      // Probes run on the CPU prober, with the weights read from either backend.
      const weights = await onEither(s, async (t) => t.weights())
      const spec = r.probe
      if (spec.kind === 'activations') {
        const probe = p.activations(spec.node, spec.split, spec.count, weights)
        return { kind: 'activations', node: spec.node, ...probe }
      }
      if (spec.kind === 'plane') {
        try {
          return { kind: 'plane', ...p.plane(spec.resolution, spec.features, weights) }
        } catch (err) {
          if (err instanceof ProbeRequestError) throw new HostError('bad-message', err.message)
          throw err
        }
      }
      return { kind: 'contributions', ...p.contributions(spec.points, weights) }
    },
    setWeights(r: Req<'set-weights'>): Promise<ResultOf<'set-weights'>> {
      return exclusive((first) => onEither(first, (s) => setWeights(s, r.tensors)))
    },
    /** The weights the model starts from, without a session (nor one replaced). */
    async initialWeights(r: Req<'initial-weights'>): Promise<ResultOf<'initial-weights'>> {
      const { graph, settings } = await prepareLoad(r, deps)
      try {
        return { graph, tensors: initialWeights(graph, settings.seed) }
      } catch (err) {
        if (err instanceof LoweringError)
          throw new HostError('invalid-project', err.message, err.problems)
        throw err
      }
    },
    async weights(): Promise<ResultOf<'weights'>> {
      const out: ResultOf<'weights'> = {}
      for (const [name, t] of Object.entries(await onEither(current(), async (s) => s.weights()))) {
        out[name] = { shape: [...t.shape], data: t.data }
      }
      return out
    },
  }
}

export type TrainingHost = ReturnType<typeof createTrainingHost>

interface Prepared {
  graph: ModelGraph
  dataset: Dataset
  settings: TrainSettings
}

/** What load and initial-weights share: the data recipe checked and made, the graph fitted. */
type LoadSource = Pick<Req<'load'>, 'graph' | 'data' | 'settings' | 'csv'>

async function prepareLoad(r: LoadSource, deps: TrainingDeps): Promise<Prepared> {
  const spec = validateDataSpec(r.data)
  if (!spec.ok) {
    const lines = spec.errors.map((e) => `data.${e.field}: ${e.message}`)
    throw new HostError('invalid-project', lines.join('\n'))
  }
  const sources = {
    ...(await deps.sources(spec.spec)),
    ...(r.csv === undefined ? {} : { csv: r.csv }),
  }
  const made = makeDataset(spec.spec, sources)
  if (!made.ok) {
    throw new HostError('invalid-project', made.errors.map((e) => dataIssueText(e)).join('\n'))
  }
  const graph = withDataShape(r.graph, made.dataset)
  const problems = inspectGraph(graph).problems.filter((p) => p.severity === 'error')
  if (problems.length > 0)
    throw new HostError('invalid-project', 'The graph has problems.', problems)
  return { graph, dataset: made.dataset, settings: r.settings }
}

type Choice = NonNullable<Req<'load'>['backend']>

/**
 * The session on the backend chosen: WebGPU for auto and webgpu when a device is at hand and
 * the model builds there, else the CPU with the reason; the CPU when asked for. Auto passes over
 * an adapter that only emulates a GPU on the CPU (SwiftShader): the CPU backend is faster there.
 */
async function makeSession(
  p: Prepared,
  choice: Choice,
  gpu: () => Promise<GpuDevice>,
  tuning: TunerHooks,
): Promise<{ made: AnySession; backend: LoadBackend }> {
  let reason: string | undefined
  if (choice !== 'cpu') {
    const d = await gpu()
    if (d.ok && d.emulated && choice === 'auto') {
      reason =
        `the WebGPU adapter (${d.adapter}) emulates a GPU on the CPU, ` +
        'where the CPU backend trains faster; choose WebGPU to use it anyway'
    } else if (d.ok) {
      try {
        const replacement = async (): Promise<GPUDevice> => {
          const next = await gpu()
          if (!next.ok) throw new Error(`no new WebGPU device: ${next.reason}`)
          return next.device
        }
        const made = await createGpuSession(p.graph, p.dataset, p.settings, d.device, {
          newDevice: replacement,
          tuning,
        })
        return { made, backend: { name: 'webgpu', adapter: d.adapter } }
      } catch (err) {
        if (err instanceof LoweringError)
          throw new HostError('invalid-project', err.message, err.problems)
        reason = `WebGPU could not build this model (${err instanceof Error ? err.message : String(err)})`
      }
    } else {
      reason = d.reason
    }
  }
  try {
    const made = createSession(p.graph, p.dataset, p.settings)
    return { made, backend: reason === undefined ? { name: 'cpu' } : { name: 'cpu', reason } }
  } catch (err) {
    if (err instanceof LoweringError)
      throw new HostError('invalid-project', err.message, err.problems)
    throw err
  }
}

type LoadBackend = BackendInfo & { reason?: string }

async function defaultGpu(): Promise<GpuDevice> {
  const probe = await probeAdapter()
  if (!probe.ok) return probe
  try {
    const device = await requestDevice(probe.adapter)
    const emulated = isCpuEmulation(probe.adapter.info)
    return { ok: true, device, adapter: probe.name, emulated }
  } catch (err) {
    return { ok: false, reason: `the WebGPU adapter refused a device: ${String(err)}` }
  }
}

/** Saved weights into the session, checked against its graph; its step. */
async function setWeights(
  s: AnySession,
  tensors: Req<'set-weights'>['tensors'],
): Promise<ResultOf<'set-weights'>> {
  try {
    applyWeights(onGpu(s) ? await gpuTarget(s) : s, tensors)
  } catch (err) {
    if (!(err instanceof RangeError)) throw err
    const text = `The weights do not fit this graph:\n${err.message}`
    throw new HostError('invalid-project', text)
  }
  return { step: s.step }
}

/** set-weights on a WebGPU session: the checks and merge of applyWeights over its checkpoint. */
async function gpuTarget(s: GpuSession): Promise<Parameters<typeof applyWeights>[0]> {
  const cp = await s.checkpoint()
  const shapes = await s.weights()
  return {
    weights: () => shapes,
    checkpoint: () => cp,
    restore: (c: Checkpoint) => s.restore(c),
  }
}

function dataIssueText(e: { message: string; row?: number; column?: number; columnName?: string }) {
  const where =
    e.row === undefined
      ? ''
      : `row ${e.row}${e.column === undefined ? '' : `, column ${e.column}`}${e.columnName ? ` (${e.columnName})` : ''}: `
  return `${where}${e.message}`
}

function describeSession(s: AnySession, backend: LoadBackend): ResultOf<'load'> {
  const d = s.dataset
  return {
    backend,
    summary: {
      parameters: s.summary.parameters,
      flopsPerStep: s.summary.flopsPerStep,
      plannedBytes: s.summary.plannedBytes,
      naiveBytes: s.summary.naiveBytes,
      forwardIr: s.summary.forwardIr,
      trainIr: [...s.summary.trainIr],
    },
    stepsPerEpoch: s.stepsPerEpoch,
    totalSteps: s.totalSteps,
    dataset: {
      name: d.name,
      task: d.task,
      inputShape: [...d.inputShape],
      ...(d.classNames ? { classNames: [...d.classNames] } : {}),
      featureNames: [...d.featureNames],
      trainCount: d.train.count,
      testCount: d.test.count,
    },
  }
}
