// WebGPU in Node through Dawn (the `webgpu` package's dawn.node): the CLI's --backend webgpu and
// the bench's --node. Dawn reaches the GPU through the system's Vulkan (Metal, D3D12): without a
// driver it finds no adapter, and the caller says so. Node-only, hence the file name.

import { adapterName, isCpuEmulation } from './adapter'
import { requestDevice } from './device'

export interface NodeGpu {
  readonly device: GPUDevice
  readonly adapter: string
  readonly emulated: boolean
  /**
   * A device on a fresh adapter, after a lost one: an adapter makes one device in its life
   * (asked again, Dawn says it is "consumed"), so each device comes from a new adapter, as the
   * studio's host gets one from probeAdapter each time.
   */
  readonly again: () => Promise<GPUDevice>
}

/** Dawn's instance: held for the process's life (collected, it takes its devices with it). */
let instance: GPU | null = null

/**
 * Dawn as this process's WebGPU, as a browser has it: GPUBufferUsage and the like as globals,
 * and navigator.gpu (which probeAdapter and TensorFlow.js's webgpu backend look for); and the
 * DENDRITE_DEBUG environment variable as the backend's debug switch (debug.ts), unless set.
 */
export async function installDawn(): Promise<GPU> {
  if (instance !== null) return instance
  const debug = process.env.DENDRITE_DEBUG
  const global = globalThis as { DENDRITE_DEBUG?: unknown }
  if (debug !== undefined && debug !== '' && global.DENDRITE_DEBUG === undefined) {
    global.DENDRITE_DEBUG = debug
  }
  const dawn = await import('webgpu')
  Object.assign(globalThis, dawn.globals)
  const gpu = dawn.create([])
  instance = gpu
  const nav = (globalThis as { navigator?: object }).navigator
  if (nav === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu } })
  else Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true })
  return gpu
}

const NO_ADAPTER =
  'Dawn found no WebGPU adapter (no Vulkan driver? VK_ICD_FILENAMES can point at one, ' +
  'and LD_LIBRARY_PATH at a libvulkan.so.1)'

/** A device from Dawn, or the reason there is none. */
export async function nodeWebGpu(): Promise<NodeGpu | { reason: string }> {
  const adapter = await (await installDawn()).requestAdapter()
  if (adapter === null) return { reason: NO_ADAPTER }
  const name = adapterName(adapter.info)
  let device: GPUDevice
  try {
    device = await requestDevice(adapter)
  } catch (err) {
    return { reason: `the WebGPU adapter (${name}) refused a device: ${String(err)}` }
  }
  return {
    device,
    adapter: name,
    emulated: isCpuEmulation(adapter.info),
    again: async () => {
      const fresh = await (await installDawn()).requestAdapter()
      if (fresh === null) throw new Error(NO_ADAPTER)
      return requestDevice(fresh)
    },
  }
}
