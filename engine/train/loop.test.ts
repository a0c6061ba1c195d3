// The training loop's chunks on a made-up session whose every step takes a millisecond of a
// made-up clock: about CHUNK_MS of work a chunk, or what the session asks for.
import { describe, expect, it } from 'vitest'
import type { Trainable } from './loop'
import { trainLoop } from './loop'

function session(chunkMs?: number): { s: Trainable; chunks: number[]; clock: () => number } {
  let time = 0
  let step = 0
  const chunks: number[] = []
  const s: Trainable = {
    get step() {
      return step
    },
    get epoch() {
      return Math.floor(step / 1000)
    },
    totalSteps: 3000,
    stepsPerEpoch: 1000,
    learningRate: 0.1,
    train(n) {
      chunks.push(n)
      step += n
      time += n
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
})
