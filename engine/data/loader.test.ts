// Batching: every row once per epoch, seeded reshuffles, the last partial batch dropped or padded,
// one-hot labels, buffers that are filled in place rather than reallocated, and a loader that
// starts where another is after some batches.
import { describe, expect, it } from 'vitest'
import type { Dataset } from './dataset'
import type { LoaderOptions } from './loader'
import { createLoader } from './loader'

/** Row i holds x = [i, −i] and class i mod 3, so a batch tells which rows it carries. */
function numbered(count: number): Dataset {
  const x = new Float32Array(count * 2)
  const y = new Float32Array(count)
  for (let i = 0; i < count; i++) {
    x[2 * i] = i
    x[2 * i + 1] = -i
    y[i] = i % 3
  }
  const empty = { x: new Float32Array(0), y: new Float32Array(0), count: 0 }
  return {
    name: 'numbered',
    task: 'classification',
    featureNames: ['i', '-i'],
    inputShape: [2],
    classNames: ['a', 'b', 'c'],
    train: { x, y, count },
    test: empty,
  }
}

/** Row ids of each batch of one epoch (real rows only). */
function epochRows(count: number, opts: LoaderOptions): number[][] {
  const loader = createLoader(numbered(count), 'train', opts)
  const out: number[][] = []
  for (let b = 0; b < loader.batchesPerEpoch; b++) {
    const real = loader.next()
    out.push(Array.from({ length: real }, (_, r) => loader.x[2 * r] ?? -1))
  }
  return out
}

describe('batch loader', () => {
  it('covers every row exactly once per epoch and reshuffles each epoch', () => {
    const loader = createLoader(numbered(100), 'train', { batchSize: 10, seed: 1 })
    expect(loader.batchesPerEpoch).toBe(10)
    const epochs: number[][] = []
    for (let e = 0; e < 3; e++) {
      const seen: number[] = []
      for (let b = 0; b < loader.batchesPerEpoch; b++) {
        expect(loader.next()).toBe(10)
        expect([loader.epoch, loader.batchIndex]).toEqual([e, b])
        for (let r = 0; r < 10; r++) {
          expect(loader.x[2 * r + 1]).toBe(-(loader.x[2 * r] ?? 0))
          expect(loader.y[r]).toBe((loader.x[2 * r] ?? 0) % 3)
          seen.push(loader.x[2 * r] ?? -1)
        }
      }
      expect([...seen].sort((a, b) => a - b)).toEqual([...Array(100).keys()])
      epochs.push(seen)
    }
    expect(epochs[0]).not.toEqual(epochs[1])
    expect(epochs[1]).not.toEqual(epochs[2])
  })

  it('is the same sequence for the same seed and another for another seed', () => {
    const a = epochRows(50, { batchSize: 8, seed: 4 })
    expect(epochRows(50, { batchSize: 8, seed: 4 })).toEqual(a)
    expect(epochRows(50, { batchSize: 8, seed: 5 })).not.toEqual(a)
  })

  it('starts after any number of batches where a loader that took them is', () => {
    const opts = { batchSize: 5, seed: 9, partial: 'pad' as const }
    const walked = createLoader(numbered(23), 'train', opts)
    const seen: number[][] = []
    for (let b = 0; b < 17; b++) {
      walked.next()
      seen.push(Array.from(walked.rows))
    }
    for (const start of [0, 1, 4, 5, 11]) {
      const later = createLoader(numbered(23), 'train', { ...opts, start })
      const rows = Array.from({ length: 17 - start }, () => (later.next(), Array.from(later.rows)))
      expect(rows).toEqual(seen.slice(start))
      expect(later.x[0]).toBe(seen.at(-1)?.[0])
    }
  })

  it("'drop' skips the partial batch: 23 rows in batches of 5 give 4 batches", () => {
    const batches = epochRows(23, { batchSize: 5, seed: 2 })
    expect(batches).toHaveLength(4)
    const rows = batches.flat()
    expect(new Set(rows).size).toBe(20)
  })

  it("'pad' fills the last batch with the epoch's first rows and reports the real count", () => {
    const loader = createLoader(numbered(23), 'train', { batchSize: 5, seed: 2, partial: 'pad' })
    expect(loader.batchesPerEpoch).toBe(5)
    const first: number[] = []
    for (let b = 0; b < 4; b++) {
      expect(loader.next()).toBe(5)
      if (b === 0) for (let r = 0; r < 5; r++) first.push(loader.x[2 * r] ?? -1)
    }
    expect(loader.next()).toBe(3)
    expect([loader.x[6], loader.x[8]]).toEqual([first[0], first[1]])
    const rows = epochRows(23, { batchSize: 5, seed: 2, partial: 'pad' }).flat()
    expect([...rows].sort((a, b) => a - b)).toEqual([...Array(23).keys()])
  })

  it('pads a split smaller than one batch, even with drop', () => {
    const loader = createLoader(numbered(3), 'train', { batchSize: 8, seed: 0, shuffle: false })
    expect(loader.batchesPerEpoch).toBe(1)
    expect(loader.next()).toBe(3)
    expect([...loader.x].filter((_, i) => i % 2 === 0)).toEqual([0, 1, 2, 0, 1, 2, 0, 1])
  })

  it('walks stored order without shuffle and fills the same buffers in place', () => {
    const loader = createLoader(numbered(6), 'train', { batchSize: 3, seed: 0, shuffle: false })
    const { x, y } = loader
    loader.next()
    loader.next()
    expect([loader.x[0], loader.x[2], loader.x[4]]).toEqual([3, 4, 5])
    loader.next()
    expect([loader.epoch, loader.batchIndex, loader.x[0]]).toEqual([1, 0, 0])
    expect(loader.x).toBe(x)
    expect(loader.y).toBe(y)
  })

  it("names each slot's row, and leaves x alone for a caller that gathers the rows itself", () => {
    const opts = { batchSize: 7, seed: 3, partial: 'pad' as const }
    const copied = createLoader(numbered(23), 'train', opts)
    const gathered = createLoader(numbered(23), 'train', { ...opts, copyInputs: false })
    for (let b = 0; b < 8; b++) {
      copied.next()
      gathered.next()
      expect(Array.from(gathered.rows)).toEqual(Array.from(copied.x.filter((_, i) => i % 2 === 0)))
      expect(Array.from(gathered.y)).toEqual(Array.from(copied.y))
    }
    expect(gathered.x.every((v) => v === 0)).toBe(true)
  })

  it('one-hot labels', () => {
    const opts = { batchSize: 4, seed: 0, shuffle: false, oneHot: true }
    const loader = createLoader(numbered(8), 'train', opts)
    expect(loader.targetSize).toBe(3)
    loader.next()
    expect([...loader.y]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0])
  })

  it('refuses a zero batch size, an empty split and one-hot regression', () => {
    const d = numbered(4)
    expect(() => createLoader(d, 'train', { batchSize: 0, seed: 0 })).toThrow(RangeError)
    expect(() => createLoader(d, 'test', { batchSize: 2, seed: 0 })).toThrow(/empty/)
    const reg: Dataset = { ...d, task: 'regression' }
    expect(() => createLoader(reg, 'train', { batchSize: 2, seed: 0, oneHot: true })).toThrow()
  })
})
