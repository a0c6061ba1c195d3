// Training requests of whole epochs, about a tenth of a second each.
import { describe, expect, it } from 'vitest'
import { chunkEnd } from './chunks'

const run = { stepsPerEpoch: 25, totalSteps: 7500 }

describe('chunkEnd', () => {
  it('ends the first request at the current epoch without a rate', () => {
    expect(chunkEnd({ ...run, step: 0 }, null)).toBe(25)
    expect(chunkEnd({ ...run, step: 30 }, null)).toBe(50)
  })

  it('asks for about a tenth of a second of whole epochs', () => {
    // 20 k steps/s: 2,000 steps = 80 epochs.
    expect(chunkEnd({ ...run, step: 100 }, 20_000)).toBe(100 + 80 * 25)
  })

  it('never passes the end of the run', () => {
    expect(chunkEnd({ ...run, step: 7400 }, 20_000)).toBe(7500)
  })

  it('trains to the end when one epoch outlasts a chunk', () => {
    expect(chunkEnd({ stepsPerEpoch: 800, totalSteps: 8000, step: 0 }, 300)).toBeNull()
  })
})
