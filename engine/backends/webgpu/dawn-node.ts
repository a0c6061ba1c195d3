// WebGPU in Node through Dawn (the `webgpu` package's dawn.node): the CLI's --backend webgpu.
// Dawn reaches the GPU through the system's Vulkan (Metal, D3D12): without a driver it finds no
// adapter, and the caller says so. Node-only, hence the file name.

import { adapterName, isCpuEmulation } from './adapter'
import { requestDevice } from './device'

export interface NodeGpu {
  readonly device: GPUDevice
  readonly adapter: string
  readonly emulated: boolean
  /** Another device on the same adapter (after a lost one). */
  readonly again: () => Promise<GPUDevice>
}

/** Dawn's instance: held for the process's life (collected, it takes its devices with it). */
let instance: GPU | null = null

/** A device from Dawn, or the reason there is none. */
export async function nodeWebGpu(): Promise<NodeGpu | { reason: string }> {
  const dawn = await import('webgpu')
  // The engine's WebGPU code names GPUBufferUsage and the like as globals, as in a browser.
  Object.assign(globalThis, dawn.globals)
  instance ??= dawn.create([])
  const adapter = await instance.requestAdapter()
  if (adapter === null) {
    return {
      reason:
        'Dawn found no WebGPU adapter (no Vulkan driver? VK_ICD_FILENAMES can point at one, ' +
        'and LD_LIBRARY_PATH at a libvulkan.so.1)',
    }
  }
  return {
    device: await requestDevice(adapter),
    adapter: adapterName(adapter.info),
    emulated: isCpuEmulation(adapter.info),
    again: () => requestDevice(adapter),
  }
}
