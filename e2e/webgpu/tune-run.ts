// The tuner's choices kept in the page's IndexedDB (tune-memory.ts): a product timed on one
// device is not timed again on another device of the same adapter, through a memory opened
// afresh, as a later run of the app opens it.
/// <reference types="@webgpu/types" />

import type { ProductDims } from '../../engine/backends/webgpu'
import {
  indexedDbMemory,
  probeAdapter,
  requestDevice,
  timeProduct,
  tuneProducts,
} from '../../engine/backends/webgpu'
import { productProgram } from '../../engine/backends/webgpu/tune'
import type { KeptTuningReport } from './api'

export async function keptTuning(): Promise<KeptTuningReport> {
  // A product no earlier call in this browser kept: the rows differ from run to run.
  const p: ProductDims = { M: 16 + (Date.now() % 240), N: 64, K: 256, tA: false, tB: true }
  const program = productProgram(p)
  const run = async (): Promise<{ timed: number; choices: string }> => {
    const memory = indexedDbMemory()
    if (memory === null) throw new Error('no IndexedDB in this page')
    // An adapter makes one device; the second device comes from a second adapter.
    const probe = await probeAdapter()
    if (!probe.ok) throw new Error(probe.reason)
    const device = await requestDevice(probe.adapter)
    let timed = 0
    const time = (q: ProductDims, c: Parameters<typeof timeProduct>[2]) => {
      timed++
      return timeProduct(device, q, c, 0.001)
    }
    try {
      const choices = await tuneProducts(device, program, { from: 0, memory, time })
      return { timed, choices: JSON.stringify([...choices]) }
    } finally {
      device.destroy()
    }
  }
  const first = await run()
  const second = await run()
  return { timed: [first.timed, second.timed], same: first.choices === second.choices }
}
