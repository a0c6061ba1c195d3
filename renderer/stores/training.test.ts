// The training store against a real engine host (CPU backend) in Node, as the studio talks to
// it. Between them sits a relay that, as a load passes, sends the tuning events a host on a GPU
// sends while its tuner times a model's products (there is no GPU here; the host's own events
// are tested in Chromium, e2e/webgpu-training.spec.ts): the train bar's busy text follows them.
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { watch } from 'vue'
import { serve } from '../../engine/host/serve'
import type { PortLike } from '../../engine/protocol/port'
import { mlp } from '../../engine/train/train-fixtures'
import { useEngineStore } from './engine'
import { useProjectStore } from './project'
import { useTrainingStore } from './training'

const ports: MessagePort[] = []
beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  for (const p of ports.splice(0)) p.close()
})

const tuning = (done: number, total: number) => ({
  v: 1,
  kind: 'event',
  type: 'tuning',
  done,
  total,
})

/**
 * The studio's end of a port to a real host, through a relay that tunes as a load passes and
 * answers requests of the type `refuse` with an error itself, as a failing engine would.
 */
function engineBehindRelay(refuse?: string): { port: PortLike; send: (m: unknown) => void } {
  const studio = new MessageChannel()
  const host = new MessageChannel()
  ports.push(studio.port1, studio.port2, host.port1, host.port2)
  serve(host.port2, {
    hello: () =>
      Promise.resolve({ engineVersion: '0.1.0', protocol: 1, backends: [{ name: 'cpu' }] }),
    sources: () => Promise.resolve({}),
  })
  host.port1.onmessage = (e: MessageEvent) => studio.port2.postMessage(e.data)
  studio.port2.onmessage = (e: MessageEvent<{ type?: string; id?: number }>) => {
    if (e.data.type === refuse) {
      const error = { v: 1, kind: 'error', id: e.data.id, code: 'internal', message: 'refused' }
      studio.port2.postMessage(error)
      return
    }
    if (e.data.type === 'load') {
      for (const done of [0, 1, 2]) studio.port2.postMessage(tuning(done, 2))
    }
    host.port1.postMessage(e.data)
  }
  return {
    port: studio.port1,
    send: (m) => studio.port2.postMessage(m),
  }
}

describe('the training store while the engine tunes', () => {
  it('says how far the tuner is during a load, and nothing of tuning after it', async () => {
    const relay = engineBehindRelay()
    const engine = useEngineStore()
    await engine.connect(Promise.resolve(relay.port))
    expect(engine.state).toBe('ready')
    const training = useTrainingStore()
    const seen: (string | null)[] = []
    watch(
      () => training.busy,
      (b) => seen.push(b),
      { flush: 'sync' },
    )
    useProjectStore().open(mlp('2', [4], 'tanh', 2, 'softmax-cross-entropy'), { name: 'tiny' })
    expect(await training.load()).toBe(true)
    expect(seen).toEqual([
      'Loading',
      'Tuning for this GPU (1 of 2)',
      'Tuning for this GPU (2 of 2)',
      'Loading',
      null,
    ])
    // A tuning event outside a load (a new device after a lost one) leaves the bar as it is.
    relay.send(tuning(0, 1))
    await new Promise((r) => setTimeout(r, 50))
    expect(training.busy).toBeNull()
  })
})

/** The store with a tiny model loaded for `epochs`; its steps an epoch. */
async function loadedTiny(epochs: number, refuse?: string) {
  const engine = useEngineStore()
  await engine.connect(Promise.resolve(engineBehindRelay(refuse).port))
  const training = useTrainingStore()
  useProjectStore().open(mlp('2', [4], 'tanh', 2, 'softmax-cross-entropy'), { name: 'tiny' })
  training.settings = { ...training.settings, epochs }
  expect(await training.load()).toBe(true)
  return { training, perEpoch: training.progress?.stepsPerEpoch ?? NaN }
}

describe("the training store changing a run's length", () => {
  it('lets a finished run train on to more epochs, as one run; fewer than it has gone starts anew', async () => {
    const { training, perEpoch } = await loadedTiny(2)
    await training.train()
    expect(training.state).toBe('done')
    expect(training.progress?.step).toBe(2 * perEpoch)

    await training.setEpochs(3)
    expect(training.state).toBe('paused')
    expect(training.stale).toBe(false)
    expect(training.progress?.totalSteps).toBe(3 * perEpoch)
    expect(training.current?.settings.epochs).toBe(3)
    await training.train()
    expect(training.state).toBe('done')
    expect(training.progress?.step).toBe(3 * perEpoch)
    expect(training.runs).toHaveLength(1)

    // Fewer epochs than the run has had: the setting waits for a new run.
    await training.setEpochs(1)
    expect(training.stale).toBe(true)
    expect(training.progress?.totalSteps).toBe(3 * perEpoch)
    await training.train()
    expect(training.runs).toHaveLength(2)
    expect(training.progress?.totalSteps).toBe(perEpoch)
    expect(training.current?.settings.epochs).toBe(1)
  })

  it('keeps the run as it was when the engine refuses the new length, and says so', async () => {
    const { training, perEpoch } = await loadedTiny(2, 'set-epochs')
    await training.train()
    await training.setEpochs(3)
    expect(training.failure?.title).toMatch(/could not change its length/)
    expect(training.state).toBe('done')
    // Train neither starts a new run nor trains past the old end.
    await training.train()
    expect(training.runs).toHaveLength(1)
    expect(training.progress?.step).toBe(2 * perEpoch)
  })

  it('pauses a training run for its new length, and goes on', async () => {
    const { training, perEpoch } = await loadedTiny(100_000)
    void training.train()
    await new Promise((r) => setTimeout(r, 100))
    await training.setEpochs(200_000)
    expect(training.state).toBe('training')
    expect(training.progress?.totalSteps).toBe(200_000 * perEpoch)
    expect(training.runs).toHaveLength(1)
    await training.pause()
    expect(training.state).toBe('paused')
  })
})
