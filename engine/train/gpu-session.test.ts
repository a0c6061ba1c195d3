// The WebGPU training session on Dawn (SwiftShader where there is no GPU), against the CPU
// session, on devices that allow less than the model's logs and reads would take at once (told
// smaller limits, engine/test/dawn.ts), or refuse a buffer outright; and on devices lost while
// training, while paused, and while the session rebuilds on a new one; and a run made longer.
import { describe, expect, it } from 'vitest'
import type { Dataset } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import { chain } from '../graph/test-graphs'
import { createRng } from '../util/rng'
import type { Tensors } from '../test/expect-close'
import { maxRelative } from '../test/expect-close'
import type { SmallerLimits } from '../test/dawn'
import { dawnAdapter, dawnDevice, runAgainOnSwiftShader } from '../test/dawn'
import { withDataShape } from './data-fit'
import { createGpuSession } from './gpu-session'
import { DeviceLostError } from './gpu-recovery'
import { createSession } from './session'
import type { TrainSettingsInput } from './settings'
import { trainSettings } from './settings'
import { mlp, playground } from './train-fixtures'

const adapter = await dawnAdapter()
const KiB = 1024

/** Points in the plane, each labelled one of `classes` classes at random. */
function manyClasses(classes: number, train: number, test: number): Dataset {
  const rng = createRng(5)
  const split = (n: number) => ({
    x: Float32Array.from({ length: 2 * n }, () => rng.next() * 2 - 1),
    y: Float32Array.from({ length: n }, () => rng.int(classes)),
    count: n,
  })
  return {
    name: 'many classes',
    task: 'classification',
    featureNames: ['a', 'b'],
    inputShape: [2],
    classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
    train: split(train),
    test: split(test),
  }
}

/** A GPU session on `limits` and a CPU session of the same model, data and settings. */
async function pair(
  graph: ModelGraph,
  data: Dataset,
  input: TrainSettingsInput,
  limits?: SmallerLimits,
) {
  const fitted = withDataShape(graph, data)
  const settings = trainSettings(input)
  const device = await dawnDevice(limits)
  const gpu = await createGpuSession(fitted, data, settings, device)
  return { gpu, cpu: createSession(fitted, data, settings), device }
}

describe.skipIf(adapter === null)('the WebGPU session within the device limits', () => {
  it('reads a checkpoint larger than one buffer in pieces (Adam, 128 KiB buffers)', async () => {
    // 17 k parameters with Adam's two moments: 206 KiB resident, each buffer under 128 KiB.
    const graph = mlp('2', [128, 128], 'relu', 2, 'softmax-cross-entropy')
    const small = { maxBufferSize: 128 * KiB, maxStorageBufferBindingSize: 128 * KiB }
    const { gpu, cpu } = await pair(graph, playground('spiral', 3), { batchSize: 25 }, small)
    // 10 steps an epoch: its end reads the checkpoint, then the weights and a checkpoint.
    expect(await gpu.train(12)).toEqual({ steps: 12, divergence: null })
    cpu.train(12)
    expect(maxRelative(cpu.weights(), await gpu.weights())).toBeLessThan(1e-3)
    const cp = await gpu.checkpoint()
    const asTensors = (t: Record<string, Float32Array>): Tensors =>
      Object.fromEntries(Object.entries(t).map(([k, data]) => [k, { data }]))
    expect(maxRelative(asTensors(cpu.checkpoint().tensors), asTensors(cp.tensors))).toBeLessThan(
      1e-3,
    )
    expect((await gpu.evaluate('test')).loss).toBeCloseTo(cpu.evaluate('test').loss, 3)
    gpu.dispose()
  })

  it('logs predictions in pieces as short as one buffer holds, and trains as the CPU does', async () => {
    // 50 × 100 predictions a step (20 KB): 256 steps' log would take 5 MB, the device allows 1 MiB.
    const graph = chain([
      ['input', 'input', { shape: '2' }],
      ['d', 'dense', { units: 100 }],
      ['loss', 'softmax-cross-entropy'],
    ])
    const data = manyClasses(100, 3000, 100)
    const settings = { batchSize: 50, learningRate: 0.05, epochs: 2 }
    const { gpu, cpu } = await pair(graph, data, settings, { maxBufferSize: 1024 * KiB })
    expect(await gpu.train(70)).toEqual({ steps: 70, divergence: null })
    cpu.train(70)
    const [g, c] = [gpu.takeTrainMetrics(), cpu.takeTrainMetrics()]
    expect(g.loss).toBeGreaterThan(0)
    expect(g.loss).toBeCloseTo(c.loss, 4)
    expect(g.accuracy).toBeCloseTo(c.accuracy ?? NaN, 6)
    expect(maxRelative(cpu.weights(), await gpu.weights())).toBeLessThan(1e-3)
    gpu.dispose()
  })

  it('throws when the device refuses a buffer a step needs, never reporting steps that did not run', async () => {
    const graph = mlp('2', [8], 'tanh', 2, 'softmax-cross-entropy')
    const refuse = (d: GPUBufferDescriptor) => d.label === 'feed upload'
    const { gpu } = await pair(graph, playground('xor', 2), { batchSize: 10 }, { refuse })
    await expect(gpu.train(5)).rejects.toThrow(/^webgpu: the device refused 5 steps: .+/)
    expect(gpu.step).toBe(0)
    gpu.dispose()
  })
})

/** The spiral on an 8-8 tanh MLP: 25 steps an epoch, so a checkpoint every 25 steps. */
const spiral = () => {
  const data = playground('spiral', 24)
  const graph = withDataShape(mlp('2', [8, 8], 'tanh', 2, 'softmax-cross-entropy'), data)
  return { data, graph, settings: trainSettings({ batchSize: 10, epochs: 20, seed: 24 }) }
}

describe.skipIf(adapter === null)("a run's length, changed in place", () => {
  it('trains a finished run on to its new end on both backends, never below where it is', async () => {
    const { data, graph, settings } = spiral()
    const short = { ...settings, epochs: 2 }
    const gpu = await createGpuSession(graph, data, short, await dawnDevice())
    const cpu = createSession(graph, data, short)
    for (const s of [cpu, gpu]) {
      await s.train(1000)
      expect(s.step).toBe(50)
      s.setEpochs(4)
      expect([s.totalSteps, s.settings.epochs]).toEqual([100, 4])
      await s.train(1000)
      expect(s.step).toBe(100)
      expect(() => s.setEpochs(3)).toThrow(
        new RangeError('the run is at step 100, past 3 epochs of 25 steps'),
      )
      for (const bad of [0, 2.5, 2_000_000]) expect(() => s.setEpochs(bad)).toThrow(RangeError)
      expect(s.totalSteps).toBe(100)
    }
    // As one run of 4 epochs trains.
    const whole = createSession(graph, data, { ...settings, epochs: 4 })
    whole.train(1000)
    expect(maxRelative(whole.weights(), cpu.weights())).toBe(0)
    expect(maxRelative(whole.weights(), await gpu.weights())).toBeLessThan(1e-4)
    gpu.dispose()
  })
})

describe.skipIf(adapter === null)('a new learning rate mid-run', () => {
  it('says the first step that takes it, past the steps already recorded, as the CPU runs it', async () => {
    const { data, graph, settings } = spiral()
    const gpu = await createGpuSession(graph, data, settings, await dawnDevice())
    const running = gpu.train(200)
    while (gpu.step === 0) await new Promise((r) => setTimeout(r, 1))
    const at = gpu.step
    const from = gpu.setLearningRate(0.05)
    await running
    expect(from).toBeGreaterThanOrEqual(at)
    expect(from).toBeLessThan(200)
    // The CPU session, changing the rate at that step: the same weights (within 1e-3: the
    // larger rate grows rounding; a change a step earlier or later is off by about 1).
    const cpu = createSession(graph, data, settings)
    cpu.train(from)
    expect(cpu.setLearningRate(0.05)).toBe(from)
    cpu.train(200 - from)
    expect(maxRelative(cpu.weights(), await gpu.weights())).toBeLessThan(1e-3)
    gpu.dispose()
  })
})

/** The spiral's session on a device it may lose, a new one then coming from Dawn. */
async function recoverable() {
  const { data, graph, settings } = spiral()
  const first = await dawnDevice()
  const gpu = await createGpuSession(graph, data, settings, first, { newDevice: dawnDevice })
  return { data, graph, settings, first, gpu }
}

/** Destroys `device` and waits until it is lost. */
async function lose(device: GPUDevice): Promise<void> {
  device.destroy()
  await device.lost
}

describe.skipIf(adapter === null)('the WebGPU session on a lost device', () => {
  it('resumes from the checkpoint on the batches that step had: the uninterrupted run', async () => {
    const { data, graph, settings, first, gpu } = await recoverable()
    await gpu.train(40)
    await lose(first)
    // Back to the checkpoint at step 25, then 40 steps: step 65.
    await gpu.train(40)
    expect(gpu.step).toBe(65)
    expect(gpu.takeNotice()).toContain('from the checkpoint at step 25')
    const cpu = createSession(graph, data, settings)
    cpu.train(65)
    expect(maxRelative(cpu.weights(), await gpu.weights())).toBeLessThan(1e-4)
    gpu.dispose()
  })

  it('recovers when lost while paused: reads and writes work, from the checkpoint', async () => {
    const { data, graph, settings, first, gpu } = await recoverable()
    await gpu.train(40)
    const saved = await gpu.checkpoint()
    await lose(first)
    const cpu = createSession(graph, data, settings)
    cpu.train(25)
    expect(maxRelative(cpu.weights(), await gpu.weights())).toBeLessThan(1e-4)
    expect(gpu.step).toBe(25)
    expect(gpu.takeNotice()).toContain('from the checkpoint at step 25')
    expect((await gpu.evaluate('test')).loss).toBeCloseTo(cpu.evaluate('test').loss, 4)
    expect((await gpu.checkpoint()).step).toBe(25)
    gpu.restore(saved)
    expect(await gpu.train(5)).toEqual({ steps: 5, divergence: null })
    expect(gpu.step).toBe(45)
    gpu.dispose()
  })

  it('resets on a device known lost: the new device starts from step 0', async () => {
    const { data, graph, settings, first, gpu } = await recoverable()
    await gpu.train(30)
    await lose(first)
    // Known lost, nothing is written: the recovery writes the checkpoint restored.
    gpu.reset()
    expect(gpu.step).toBe(0)
    expect(await gpu.train(3)).toEqual({ steps: 3, divergence: null })
    const cpu = createSession(graph, data, settings)
    cpu.train(3)
    expect(maxRelative(cpu.weights(), await gpu.weights())).toBeLessThan(1e-4)
    gpu.dispose()
  })

  it('takes a loss while rebuilding, or no new device, as the second: the checkpoint goes with it', async () => {
    const { data, graph, settings } = spiral()
    const shortLived = async (): Promise<GPUDevice> => {
      const d = await dawnDevice()
      setTimeout(() => d.destroy(), 0)
      return d
    }
    const refused = () => Promise.reject(new Error('the adapter refused a device'))
    for (const newDevice of [shortLived, refused]) {
      const first = await dawnDevice()
      const gpu = await createGpuSession(graph, data, settings, first, { newDevice })
      await gpu.train(30)
      await lose(first)
      const err: unknown = await gpu.train(10).then(
        () => gpu.train(10),
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(DeviceLostError)
      expect((err as DeviceLostError).checkpoint.step).toBe(25)
      expect(String(err)).toMatch(/The GPU device was lost/)
      gpu.dispose()
    }
  })
})

runAgainOnSwiftShader(import.meta.filename, adapter)
