// The WGSL debug flag on Dawn (SwiftShader where there is no GPU): every program a WebGPU
// session runs is printed with its name, the row gather's too, and again for a model loaded a
// second time on the same device, whose pipelines are cached.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createWebGpuExecutable } from './executable'
import { dawnAdapter, dawnDevice, runAgainOnSwiftShader } from '../../test/dawn'
import { withDataShape } from '../../train/data-fit'
import { createGpuSession } from '../../train/gpu-session'
import { planModel } from '../../train/model'
import { trainSettings } from '../../train/settings'
import { mlp, playground } from '../../train/train-fixtures'

const adapter = await dawnAdapter()
const global = globalThis as { DENDRITE_DEBUG?: unknown }

afterEach(() => {
  delete global.DENDRITE_DEBUG
  vi.restoreAllMocks()
})

/** The names of the programs printed while `work` runs. */
async function printedBy(work: () => Promise<void>): Promise<string[]> {
  const names: string[] = []
  vi.spyOn(console, 'log').mockImplementation((text: unknown) => {
    const name = /^\/\/ ── (.*) ──\n/.exec(String(text))?.[1]
    if (name !== undefined) names.push(name)
  })
  await work()
  return names
}

describe.skipIf(adapter === null)('DENDRITE_DEBUG=wgsl', () => {
  const data = playground('spiral', 3)
  const graph = withDataShape(mlp('2', [8], 'tanh', 2, 'softmax-cross-entropy'), data)
  const settings = trainSettings({ batchSize: 10 })

  it('prints the programs of a session, its row gather too, and again when loaded again', async () => {
    global.DENDRITE_DEBUG = 'wgsl'
    const device = await dawnDevice()
    const load = () =>
      printedBy(async () => {
        const session = await createGpuSession(graph, data, settings, device)
        expect(session.gathers).toBe(true)
        await session.train(3)
        session.dispose()
      })
    const first = await load()
    expect(first).toContain('gather rows')
    expect(first.length).toBeGreaterThan(1)
    // Its pipelines are cached on the device now: printed all the same.
    expect(await load()).toEqual(first)
    device.destroy()
  })

  it('prints every kernel of an executable by name, compiled or cached', async () => {
    global.DENDRITE_DEBUG = 'wgsl'
    const device = await dawnDevice()
    const { plan } = planModel(graph, settings)
    for (const time of ['compiled', 'cached']) {
      let names: string[] = []
      const printed = await printedBy(async () => {
        const exe = await createWebGpuExecutable(plan, device, { wholeStep: false })
        names = exe.programs.map((p) => p.name)
        exe.dispose()
      })
      expect(names.length, time).toBeGreaterThan(5)
      expect(printed, time).toEqual(expect.arrayContaining(names))
    }
    device.destroy()
  })

  it('prints nothing when it is not set', async () => {
    const device = await dawnDevice()
    const printed = await printedBy(async () => {
      const session = await createGpuSession(graph, data, settings, device)
      // A step's read waits for what the device said of the uploads (their error scopes).
      await session.train(1)
      session.dispose()
    })
    expect(printed).toEqual([])
    device.destroy()
  })
})

runAgainOnSwiftShader(import.meta.filename, adapter)
