// The engine host in the page, as the studio drives it: serve() on a MessageChannel, a load
// that asks for a backend, then steps, a training run, evaluation and weights over the
// protocol. Runs on either backend so the spec can compare them. Also the host losing devices,
// diverging, and telling the tuner's progress during a load.

import { probeAdapter, requestDevice } from '../../engine/backends/webgpu'
import { detectBackends } from '../../engine/host/backends'
import type { HostDeps } from '../../engine/host/serve'
import { serve } from '../../engine/host/serve'
import { trainSettings } from '../../engine/train/settings'
import { mlp } from '../../engine/train/train-fixtures'
import type {
  DeviceLossReport,
  DivergeReport,
  HostRunReport,
  HostTuningReport,
  ProjectJson,
} from './api'
import { mapAsyncCalls } from './train-run'

interface Reply {
  kind: string
  id?: number
  type?: string
  result?: unknown
  code?: string
  message?: string
  done?: number
  total?: number
}

interface Metrics {
  loss: number
  accuracy?: number
  rmse?: number
}

/** A protocol client over port1 of a channel whose port2 the host serves. */
function connect(gpu?: HostDeps['gpu']) {
  const channel = new MessageChannel()
  const stop = serve(channel.port2, {
    hello: detectBackends,
    sources: () => Promise.resolve({}),
    ...(gpu === undefined ? {} : { gpu }),
  })
  const waiting = new Map<number, (r: Reply) => void>()
  const events: Reply[] = []
  channel.port1.onmessage = (e: MessageEvent<Reply>) => {
    const m = e.data
    if (m.kind === 'event') events.push(m)
    else if (m.id !== undefined && m.id !== null) waiting.get(m.id)?.(m)
  }
  let id = 0
  const call = async <T>(type: string, body: Record<string, unknown> = {}): Promise<T> => {
    const mine = ++id
    const reply = new Promise<Reply>((done) => waiting.set(mine, done))
    channel.port1.postMessage({ v: 1, kind: 'request', id: mine, type, ...body })
    const r = await reply
    waiting.delete(mine)
    if (r.kind !== 'response') throw new Error(`${type}: ${r.code ?? '?'}: ${r.message ?? ''}`)
    return r.result as T
  }
  const close = (): void => {
    stop()
    channel.port1.close()
    channel.port2.close()
  }
  return { call, close, events }
}

const finite = (tensors: Record<string, { data: Float32Array }>): boolean =>
  Object.values(tensors).every((t) => t.data.every((v) => Number.isFinite(v)))

/** Loads the project on `backend`, steps `steps` steps, trains `steps` more, evaluates. */
export async function hostRun(
  project: ProjectJson,
  backend: 'auto' | 'webgpu' | 'cpu',
  steps: number,
): Promise<HostRunReport> {
  const host = connect()
  try {
    const started = performance.now()
    const loaded = await host.call<{ backend: HostRunReport['backend'] }>('load', {
      graph: project.graph,
      data: project.data,
      settings: project.training,
      backend,
    })
    const maps = mapAsyncCalls()
    const stepped = await host.call<{ step: number; train: Metrics }>('step', { count: steps })
    const stepMaps = mapAsyncCalls() - maps
    const trained = await host.call<{ reason: string; step: number }>('train', {
      untilStep: 2 * steps,
    })
    const train = await host.call<Metrics>('evaluate', { split: 'train' })
    const test = await host.call<Metrics>('evaluate', { split: 'test' })
    const weights = await host.call<Record<string, { data: Float32Array }>>('weights')
    const plane = await host.call<{ prediction: { data: Float32Array } }>('probe', {
      probe: { kind: 'plane', resolution: 8, features: [0, 1] },
    })
    // Saved weights written back after a reset give the same model again.
    await host.call('reset')
    await host.call('set-weights', { tensors: weights })
    const restored = await host.call<Metrics>('evaluate', { split: 'test' })
    return {
      backend: loaded.backend,
      restoredTest: restored,
      stepped: stepped.train,
      steppedTo: stepped.step,
      stepMapAsyncCalls: stepMaps,
      trainReason: trained.reason,
      trainedTo: trained.step,
      progressEvents: host.events.filter((e) => e.type === 'progress').length,
      train,
      test,
      weightsFinite: finite(weights),
      plane: Array.from(plane.prediction.data),
      ms: performance.now() - started,
    }
  } finally {
    host.close()
  }
}

/** A run that overflows at its first step (features near float32's limit), on `backend`. */
export async function hostDiverge(backend: 'webgpu' | 'cpu'): Promise<DivergeReport> {
  const host = connect()
  try {
    const rows = Array.from({ length: 40 }, (_, i) => `${Array(12).fill(3e38).join(',')},${i % 2}`)
    const csv = [`${'abcdefghijkl'.split('').join(',')},y`, ...rows].join('\n')
    const data = {
      kind: 'csv',
      name: 'huge.csv',
      target: 'y',
      task: 'regression',
      standardize: false,
      trainRatio: 0.5,
      seed: 1,
    }
    const loaded = await host.call<{ backend: { name: string } }>('load', {
      graph: mlp('12', [8], 'relu', 1, 'mse'),
      data,
      csv,
      settings: trainSettings({ batchSize: 4, epochs: 2 }),
      backend,
    })
    const r = await host.call<{ step: number; divergence?: HostDivergence }>('step', { count: 5 })
    const weights = await host.call<Record<string, { data: Float32Array }>>('weights')
    return {
      backend: loaded.backend.name,
      step: r.step,
      divergence: r.divergence ?? null,
      weightsFinite: finite(weights),
    }
  } finally {
    host.close()
  }
}

interface HostDivergence {
  step: number
  node: string | null
  message: string
}

/**
 * Loads `project` on WebGPU with devices this page can destroy, steps, destroys the device,
 * steps again (the session should carry on on a new device and say so), then loses that one
 * too (the host should go on on the CPU from the last checkpoint, and say so).
 */
export async function hostLoseDevice(
  project: ProjectJson,
  steps: number,
): Promise<DeviceLossReport> {
  const devices: GPUDevice[] = []
  const host = connect(async () => {
    const probe = await probeAdapter()
    if (!probe.ok) return probe
    const device = await requestDevice(probe.adapter)
    devices.push(device)
    return { ok: true, device, adapter: probe.name, emulated: true }
  })
  const lose = async (): Promise<void> => {
    const device = devices.at(-1)
    device?.destroy()
    await device?.lost
  }
  try {
    await host.call('load', {
      graph: project.graph,
      data: project.data,
      settings: project.training,
      backend: 'webgpu',
    })
    type Stepped = { step: number; train: Metrics; notice?: string }
    const before = await host.call<Stepped>('step', { count: steps })
    await lose()
    const after = await host.call<Stepped>('step', { count: steps })
    const weights = await host.call<Record<string, { data: Float32Array }>>('weights')
    await lose()
    const again = await host.call<Stepped & { backend?: { name: string } }>('step', {
      count: steps,
    })
    const onCpu = await host.call<Record<string, { data: Float32Array }>>('weights')
    return {
      before: before.step,
      after: after.step,
      notice: after.notice ?? null,
      loss: after.train.loss,
      weightsFinite: finite(weights),
      devices: devices.length,
      second: {
        step: again.step,
        notice: again.notice ?? null,
        backend: again.backend?.name ?? null,
        loss: again.train.loss,
        weightsFinite: finite(onCpu),
      },
    }
  } finally {
    host.close()
  }
}

/**
 * `device` with the adapter info of a GPU that is not an emulation, so that the backend treats
 * it as one: tiled products, each large one timed by the tuner. Everything else is the device's.
 */
function presentedAsGpu(device: GPUDevice): GPUDevice {
  const info = {
    ...device.adapterInfo,
    architecture: 'presented-as-a-gpu',
    isFallbackAdapter: false,
  }
  return new Proxy(device, {
    get(target, key) {
      if (key === 'adapterInfo') return info
      const value: unknown = Reflect.get(target, key, target)
      // WebGPU's methods must be called on the device itself, not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * A load on WebGPU of a model with three products the tuner times (a batch of 16 through two
 * 1024-wide layers: 2²⁴ multiply-adds each), on a device taken for a GPU's: the tuning events
 * the host sent during the load, and a few steps after it.
 */
export async function hostTuning(): Promise<HostTuningReport> {
  const host = connect(async () => {
    const probe = await probeAdapter()
    if (!probe.ok) return probe
    const device = presentedAsGpu(await requestDevice(probe.adapter))
    return { ok: true, device, adapter: `${probe.name}, presented as a GPU`, emulated: false }
  })
  try {
    const loaded = await host.call<{ backend: HostRunReport['backend'] }>('load', {
      graph: mlp('2', [1024, 1024], 'relu', 2, 'softmax-cross-entropy'),
      data: { kind: 'builtin', name: 'spiral', noise: 0, size: 64, trainRatio: 0.5, seed: 1 },
      settings: trainSettings({ batchSize: 16, epochs: 1 }),
      backend: 'webgpu',
    })
    const tuning = host.events
      .filter((e) => e.type === 'tuning')
      .map((e) => [e.done ?? NaN, e.total ?? NaN])
    const stepped = await host.call<{ step: number; train: Metrics }>('step', { count: 2 })
    return {
      backend: loaded.backend,
      tuning,
      step: stepped.step,
      loss: stepped.train.loss,
    }
  } finally {
    host.close()
  }
}
