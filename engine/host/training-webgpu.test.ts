// The engine host training on WebGPU through Dawn (SwiftShader where there is no GPU), as the
// studio drives it: devices lost while training and while paused, a move to the CPU after the
// second loss, and pausing a run, each against the CPU host trained straight to the same step.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dawnAdapter, dawnDevice, runAgainOnSwiftShader } from '../test/dawn'
import type { Tensors } from '../test/expect-close'
import { maxRelative } from '../test/expect-close'
import { createTrainingHost } from './training'

const adapter = await dawnAdapter()

const project = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../assets/examples/spiral.json'), 'utf8'),
) as { graph: unknown; data: unknown; training: Record<string, unknown> }

type Host = ReturnType<typeof createTrainingHost>
type Load = Parameters<Host['load']>[0]

/** A host whose devices come from Dawn (at most `most.devices`), kept in `devices`. */
function dawnHost(most: { devices?: number } = {}) {
  const devices: GPUDevice[] = []
  const host = createTrainingHost({
    sources: () => Promise.resolve({}),
    emit: () => undefined,
    gpu: async () => {
      if (devices.length >= (most.devices ?? Infinity)) {
        return { ok: false, reason: 'the adapter refused a device' }
      }
      const device = await dawnDevice()
      devices.push(device)
      return { ok: true, device, adapter: 'dawn', emulated: false }
    },
  })
  /** Loses the device the session trains on. */
  const lose = async (): Promise<void> => {
    const device = devices.at(-1)
    device?.destroy()
    await device?.lost
  }
  return { host, devices, lose }
}

const load = (backend: 'webgpu' | 'cpu'): Load =>
  ({
    v: 1,
    kind: 'request',
    id: 1,
    type: 'load',
    graph: project.graph,
    data: project.data,
    settings: project.training,
    backend,
  }) as Load

const stepReq = (count: number) =>
  ({ v: 1, kind: 'request', id: 2, type: 'step', count }) as Parameters<Host['step']>[0]

/** The CPU host's weights after `steps` steps straight. */
async function cpuWeights(steps: number): Promise<Tensors> {
  const { host } = dawnHost()
  await host.load(load('cpu'))
  await host.step(stepReq(steps))
  return (await host.weights()) as Tensors
}

describe.skipIf(adapter === null)('engine host on WebGPU (Dawn)', () => {
  it('serves evaluate, weights, probes and set-weights after a loss while paused', async () => {
    const { host, lose } = dawnHost()
    await host.load(load('webgpu'))
    await host.step(stepReq(40))
    await lose()
    const req = { v: 1, kind: 'request', id: 3 } as const
    expect((await host.evaluate({ ...req, type: 'evaluate', split: 'test' })).loss).toBeGreaterThan(
      0,
    )
    const weights = (await host.weights()) as Tensors
    expect(maxRelative(await cpuWeights(25), weights)).toBeLessThan(1e-4)
    const probe = { kind: 'plane' as const, resolution: 4, features: [0, 1] as [number, number] }
    expect(await host.probe({ ...req, type: 'probe', probe })).toMatchObject({ kind: 'plane' })
    const tensors = Object.fromEntries(
      Object.entries(await host.weights()).map(([k, t]) => [
        k,
        { shape: t.shape, data: Float32Array.from(t.data) },
      ]),
    )
    expect(await host.setWeights({ ...req, type: 'set-weights', tensors })).toEqual({ step: 25 })
    expect(await host.step(stepReq(10))).toMatchObject({
      step: 35,
      notice: expect.stringContaining('step 25') as string,
    })
  })

  it('goes on on the CPU when no new device comes after a loss', async () => {
    const { host, lose } = dawnHost({ devices: 1 })
    await host.load(load('webgpu'))
    await host.step(stepReq(40))
    await lose()
    const moved = await host.step(stepReq(10))
    expect(moved).toMatchObject({ step: 35, backend: { name: 'cpu' } })
    expect(moved.notice).toMatch(/no new device could take over/)
    expect(maxRelative(await cpuWeights(35), (await host.weights()) as Tensors)).toBeLessThan(1e-4)
  })

  it('answers a pause with the step the run stops at', async () => {
    const { host } = dawnHost()
    await host.load(load('webgpu'))
    for (const ms of [150, 260]) {
      const run = host.train({ v: 1, kind: 'request', id: 4, type: 'train' })
      await new Promise((r) => setTimeout(r, ms))
      const paused = await host.pause()
      const ended = await run
      expect(ended.reason).toBe('stopped')
      expect(paused.step).toBe(ended.step)
    }
  })

  it('goes on on the CPU after a second loss, on the batches the checkpoint had', async () => {
    const { host, lose } = dawnHost()
    expect((await host.load(load('webgpu'))).backend.name).toBe('webgpu')
    await host.step(stepReq(40))
    await lose()
    // Recovered on a new device from step 25 (an epoch's end), 10 steps: 35.
    expect(await host.step(stepReq(10))).toMatchObject({ step: 35 })
    await lose()
    // The second loss: the CPU from the same checkpoint, 10 steps.
    const moved = await host.step(stepReq(10))
    expect(moved).toMatchObject({ step: 35, backend: { name: 'cpu' } })
    const gpu = (await host.weights()) as Tensors
    expect(maxRelative(await cpuWeights(35), gpu)).toBeLessThan(1e-4)
  })
})

runAgainOnSwiftShader(import.meta.filename, adapter)
