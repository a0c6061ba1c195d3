// The tuner's memory (tune-memory.ts) as tune.ts uses it, with a made-up timer and devices that
// only name their adapter: what is timed, what is recalled, and what is refused; and the progress
// the tuner tells, which counts only what it times. IndexedDB itself is tested in Chromium
// (e2e/webgpu-training.spec.ts, keptTuning).

import { describe, expect, it, vi } from 'vitest'
import type { ProductChoice } from './split-products'
import { productKey } from './split-products'
import { TILES } from './tiled'
import type { TuneMemory } from './tune-memory'
import { memoryKey } from './tune-memory'
import { productProgram, tuneProducts } from './tune'
import { ProgramBuilder } from '../../ir'

const device = (description: string, workgroupBytes = 32768): GPUDevice =>
  ({
    adapterInfo: { vendor: 'v', architecture: 'a', device: 'd', description },
    limits: { maxComputeWorkgroupStorageSize: workgroupBytes },
  }) as unknown as GPUDevice

/** A memory in a Map, as IndexedDB would keep it. */
function mapMemory(): TuneMemory & { readonly kept: Map<string, unknown> } {
  const kept = new Map<string, unknown>()
  return {
    kept,
    read: (key) => Promise.resolve(kept.get(key)),
    write: (key, value) => {
      kept.set(key, value)
      return Promise.resolve()
    },
  }
}

const p = { M: 256, N: 512, K: 1024, tA: false, tB: true }
const program = productProgram(p)
/** A made-up GPU where 8×8 blocks split in 4 are fastest. */
const timer = () => {
  const calls: ProductChoice[] = []
  const time = (_: unknown, c: ProductChoice): Promise<number> => {
    calls.push(c)
    return Promise.resolve(c.tile === TILES.square8 && c.parts === 4 ? 1 : 2)
  }
  return { calls, time }
}

describe("the tuner's memory", () => {
  it('keeps a choice per adapter, and recalls it on another device of that adapter', async () => {
    const memory = mapMemory()
    const first = timer()
    const chosen = await tuneProducts(device('gpu'), program, { memory, time: first.time })
    expect(chosen.get(productKey(p))).toEqual({ tile: TILES.square8, parts: 4 })
    expect(first.calls.length).toBeGreaterThan(0)
    expect([...memory.kept.values()]).toEqual([{ tile: 'square8', parts: 4 }])
    const again = timer()
    const recalled = await tuneProducts(device('gpu'), program, { memory, time: again.time })
    expect(recalled).toEqual(chosen)
    expect(again.calls).toEqual([])
    const other = timer()
    await tuneProducts(device('another gpu'), program, { memory, time: other.time })
    expect(other.calls.length).toBe(first.calls.length)
    expect(memory.kept.size).toBe(2)
  })

  it('times again where what it kept is not a choice for the product, and keeps the new one', async () => {
    const key = memoryKey(device('gpu'), productKey(p))
    for (const bad of [
      { tile: 'huge', parts: 1 },
      { tile: 'square8', parts: 3 },
      { tile: 'square8', parts: 16 }, // 1024 / 16 is 64 of depth a part: too little
      { tile: 'square8', parts: 1.5 },
      'square8',
      null,
    ]) {
      const memory = mapMemory()
      memory.kept.set(key, bad)
      const t = timer()
      const chosen = await tuneProducts(device('gpu'), program, { memory, time: t.time })
      expect(chosen.get(productKey(p)), JSON.stringify(bad)).toEqual({
        tile: TILES.square8,
        parts: 4,
      })
      expect(t.calls.length).toBeGreaterThan(0)
      expect(memory.kept.get(key)).toEqual({ tile: 'square8', parts: 4 })
    }
  })

  it('times again where what it kept needs more workgroup memory than the device offers', async () => {
    const small = device('gpu', 16384)
    const memory = mapMemory()
    memory.kept.set(memoryKey(small, productKey(p)), { tile: 'large8x2', parts: 1 })
    const t = timer()
    const chosen = await tuneProducts(small, program, { memory, time: t.time })
    expect(chosen.get(productKey(p))).toEqual({ tile: TILES.square8, parts: 4 })
    expect(t.calls.length).toBeGreaterThan(0)
  })

  it('tunes on when its memory fails to read or to keep, at once or later, saying so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const broken: TuneMemory = {
      read: () => Promise.reject(new Error('no disk')),
      write: () => Promise.reject(new Error('quota')),
    }
    const t = timer()
    const chosen = await tuneProducts(device('gpu'), program, { memory: broken, time: t.time })
    expect(chosen.get(productKey(p))).toEqual({ tile: TILES.square8, parts: 4 })
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining('could not be read: Error: no disk'),
      expect.stringContaining('could not be kept: Error: quota'),
    ])
    const throwing: TuneMemory = {
      read: () => {
        throw new Error('refused')
      },
      write: () => {
        throw new Error('refused')
      },
    }
    const again = await tuneProducts(device('gpu'), program, { memory: throwing, time: t.time })
    expect(again).toEqual(chosen)
    expect(warn).toHaveBeenCalledTimes(4)
    warn.mockRestore()
  })

  it('keeps no choice the device refused every timing of, and times it in the next run', async () => {
    const memory = mapMemory()
    const refused = (): Promise<number> => Promise.resolve(Infinity)
    const chosen = await tuneProducts(device('gpu'), program, { memory, time: refused })
    // pickTile's tile, whole, for this plan only.
    expect(chosen.get(productKey(p))).toEqual({ tile: TILES.square, parts: 1 })
    expect(memory.kept.size).toBe(0)
    const next = timer()
    const later = await tuneProducts(device('gpu'), program, { memory, time: next.time })
    expect(next.calls.length).toBeGreaterThan(0)
    expect(later.get(productKey(p))).toEqual({ tile: TILES.square8, parts: 4 })
  })

  it('tells its progress over the products it times, not those it recalls', async () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [256, 1024])
    const w = b.input('w', [1024, 512])
    const v = b.input('v', [512, 2048])
    b.output('y', b.matmul(b.matmul(x, w), v))
    const two = b.build()
    const memory = mapMemory()
    const heard: [number, number][] = []
    const progress = (done: number, total: number): void => {
      heard.push([done, total])
    }
    // The memory knows the first product from a one-product program; the second is new.
    await tuneProducts(device('gpu'), productProgram({ ...p, N: 512, tB: false }), {
      memory,
      time: timer().time,
    })
    const t = timer()
    await tuneProducts(device('gpu'), two, { memory, time: t.time, progress })
    expect(heard).toEqual([
      [0, 1],
      [1, 1],
    ])
    expect(t.calls.length).toBeGreaterThan(0)
    heard.length = 0
    const again = timer()
    await tuneProducts(device('gpu'), two, { memory, time: again.time, progress })
    expect(again.calls).toEqual([])
    expect(heard).toEqual([])
    heard.length = 0
    await tuneProducts(device('another gpu'), two, { time: timer().time, progress })
    expect(heard).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ])
  })
})
