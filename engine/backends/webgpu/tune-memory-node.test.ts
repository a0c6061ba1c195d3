// The tuner's memory in a JSON file (tune-memory-node.ts), on real files in a temporary folder:
// what one run keeps, a later run reads; a file that is not the memory's is reported, never
// overwritten; and the tuner through it times a product once per adapter across runs.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fileMemory, tuningFile } from './tune-memory-node'
import { productProgram, tuneProducts } from './tune'

let folder = ''
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'dendrite-tuning-'))
})
afterEach(() => {
  rmSync(folder, { recursive: true, force: true })
})

/** A device that only names its adapter; each call is another device object, as in another run. */
const gpu = (): GPUDevice =>
  ({
    adapterInfo: { vendor: 'v', architecture: 'a', device: 'd', description: 'gpu' },
    limits: { maxComputeWorkgroupStorageSize: 16384 },
  }) as unknown as GPUDevice

describe('the tuner’s memory in a file', () => {
  it('keeps what one run writes for the next, in a folder it makes', async () => {
    const path = join(folder, 'cache', 'dendrite', 'webgpu-tuning.json')
    const first = fileMemory(path)
    expect(await first.read('k')).toBeUndefined()
    await first.write('k', { tile: 'square', parts: 2 })
    await first.write('j', { tile: 'small', parts: 1 })
    const next = fileMemory(path)
    expect(await next.read('k')).toEqual({ tile: 'square', parts: 2 })
    expect(await next.read('j')).toEqual({ tile: 'small', parts: 1 })
    // No temporary file is left beside it.
    expect(readdirSync(join(folder, 'cache', 'dendrite'))).toEqual(['webgpu-tuning.json'])
  })

  it('reports a file that is not its own, naming it, and leaves it as it is', async () => {
    for (const text of ['{"k": ', '[1, 2]', 'null']) {
      const path = join(folder, 'webgpu-tuning.json')
      writeFileSync(path, text)
      const memory = fileMemory(path)
      await expect(memory.read('k')).rejects.toThrow(`${path} `)
      await expect(memory.write('k', { tile: 'square', parts: 1 })).rejects.toThrow('left as it is')
      expect(readFileSync(path, 'utf8')).toBe(text)
    }
  })

  it('spares a later run of the tuner its timings', async () => {
    const path = join(folder, 'webgpu-tuning.json')
    const p = { M: 256, N: 512, K: 1024, tA: false, tB: true }
    let timed = 0
    const time = (): Promise<number> => {
      timed++
      return Promise.resolve(1)
    }
    const program = productProgram(p)
    const first = await tuneProducts(gpu(), program, { memory: fileMemory(path), time })
    expect(timed).toBeGreaterThan(0)
    timed = 0
    const second = await tuneProducts(gpu(), program, { memory: fileMemory(path), time })
    expect(timed).toBe(0)
    expect(second).toEqual(first)
  })

  it('tunes on, saying why, where the file cannot be read', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const path = join(folder, 'webgpu-tuning.json')
    writeFileSync(path, 'not json')
    const p = { M: 256, N: 512, K: 1024, tA: false, tB: true }
    const chosen = await tuneProducts(gpu(), productProgram(p), {
      memory: fileMemory(path),
      time: () => Promise.resolve(1),
    })
    expect(chosen.size).toBe(1)
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining(`could not be read: Error: ${path} is not JSON`),
      expect.stringContaining(`could not be kept: Error: ${path} is not JSON`),
    ])
    expect(readFileSync(path, 'utf8')).toBe('not json')
    warn.mockRestore()
  })

  it('lives in the platform’s cache folder', () => {
    expect(tuningFile({ XDG_CACHE_HOME: '/c' }, 'linux')).toBe('/c/dendrite/webgpu-tuning.json')
    expect(tuningFile({}, 'linux')).toMatch(/\/\.cache\/dendrite\/webgpu-tuning\.json$/)
    expect(tuningFile({}, 'darwin')).toMatch(/\/Library\/Caches\/dendrite\/webgpu-tuning\.json$/)
    expect(tuningFile({ LOCALAPPDATA: 'C:\\L' }, 'win32')).toMatch(
      /^C:\\L.dendrite.webgpu-tuning\.json$/,
    )
  })
})
