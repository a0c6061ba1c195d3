// The training loop on a made-up session and a made-up clock: its chunks (about CHUNK_MS of
// work, or what the session asks for) and how often it reports.
import { describe, expect, it } from 'vitest'
import type { Trainable } from './loop'
import { trainLoop } from './loop'

/** A session of `totalSteps` in epochs of `stepsPerEpoch`, each step taking `msPerStep`. */
function session(
  chunkMs?: number,
  { totalSteps = 3000, stepsPerEpoch = 1000, msPerStep = 1 } = {},
): { s: Trainable; chunks: number[]; clock: () => number } {
  let time = 0
  let step = 0
  const chunks: number[] = []
  const s: Trainable = {
    get step() {
      return step
    },
    get epoch() {
      return Math.floor(step / stepsPerEpoch)
    },
    totalSteps,
    stepsPerEpoch,
    learningRate: 0.1,
    train(n) {
      chunks.push(n)
      step += n
      time += n * msPerStep
      return { steps: n, divergence: null }
    },
    takeTrainMetrics: () => ({ loss: 1 }),
    evaluate: () => ({ loss: 1 }),
    ...(chunkMs === undefined ? {} : { chunkMs }),
  }
  return { s, chunks, clock: () => time }
}

describe('trainLoop', () => {
  it('sizes its chunks to about 16 ms of work, or to what the session asks for', async () => {
    for (const [asked, want] of [
      [undefined, 16],
      [100, 100],
    ] as const) {
      const { s, chunks, clock } = session(asked)
      const end = await trainLoop(s, { control: { stop: false }, report: () => {}, now: clock })
      expect(end.reason).toBe('done')
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(3000)
      // Doubling from 1 until a chunk takes its time, then steady but where an epoch's end
      // cuts one short.
      expect(Math.max(...chunks)).toBe(want)
      expect(chunks.filter((n) => n === want).length).toBeGreaterThan(3000 / want - 6)
    }
  })

  it('draws a short run a point per epoch, however fast it goes', async () => {
    // 50 epochs of 25 steps in no time at all (a lesson's run on the CPU takes ~50 ms).
    const { s, clock } = session(undefined, { totalSteps: 1250, stepsPerEpoch: 25, msPerStep: 0 })
    const steps: number[] = []
    await trainLoop(s, { control: { stop: false }, report: (p) => steps.push(p.step), now: clock })
    expect(steps).toEqual(Array.from({ length: 50 }, (_, i) => (i + 1) * 25))
  })

  it('gives a long fast run about a hundred points, not one per epoch', async () => {
    const { s, clock } = session(undefined, {
      totalSteps: 100_000,
      stepsPerEpoch: 10,
      msPerStep: 0,
    })
    const steps: number[] = []
    await trainLoop(s, { control: { stop: false }, report: (p) => steps.push(p.step), now: clock })
    expect(steps.length).toBe(100)
    expect(steps.at(-1)).toBe(100_000)
  })

  it('draws a few long epochs as a curve, with every epoch end, at any speed', async () => {
    // MNIST's lesson: 5 epochs of 125 steps, on the CPU (16 ms chunks) or a GPU (100 ms ones).
    for (const chunkMs of [undefined, 100]) {
      for (const msPerStep of [3, 5, 8, 13, 21]) {
        const run = session(chunkMs, { totalSteps: 625, stepsPerEpoch: 125, msPerStep })
        const steps: number[] = []
        const report = (p: { step: number }) => steps.push(p.step)
        await trainLoop(run.s, { control: { stop: false }, report, now: run.clock })
        const where = `${msPerStep} ms a step, chunks of ${chunkMs ?? 16} ms`
        // A point every 250 ms or so: the run takes 625 × msPerStep ms.
        expect(steps.length, where).toBeGreaterThanOrEqual(Math.min(20, (625 * msPerStep) / 400))
        // Every epoch's end is among them: its test metrics are measured there.
        for (const end of [125, 250, 375, 500, 625]) expect(steps, where).toContain(end)
      }
    }
  })
})
