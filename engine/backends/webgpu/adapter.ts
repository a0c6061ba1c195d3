// Finds a WebGPU adapter where the platform offers one. The only place outside the WebGPU
// backend's kernels that touches navigator.gpu; it never throws, it says why there is none.

export type AdapterProbe =
  { ok: true; adapter: GPUAdapter; name: string } | { ok: false; reason: string }

export async function probeAdapter(): Promise<AdapterProbe> {
  const gpu = (globalThis.navigator as Partial<WorkerNavigator> | undefined)?.gpu
  if (!gpu) return { ok: false, reason: 'this platform has no WebGPU (navigator.gpu is missing)' }
  try {
    const adapter = await gpu.requestAdapter()
    if (!adapter) return { ok: false, reason: 'WebGPU is present but offered no adapter' }
    return { ok: true, adapter, name: adapterName(adapter.info) }
  } catch (err) {
    return { ok: false, reason: `requesting a WebGPU adapter failed: ${String(err)}` }
  }
}

/** "google / swiftshader", "nvidia / hopper", or the description when that is all there is. */
export function adapterName(info: GPUAdapterInfo): string {
  const parts = [info.vendor, info.architecture].filter((p) => p !== '')
  if (parts.length > 0) return parts.join(' / ')
  return info.description !== '' ? info.description : 'unnamed adapter'
}

/** SwiftShader and other fallback adapters: a CPU pretending, with a CPU's economics. */
export function isCpuEmulation(info: GPUAdapterInfo | undefined): boolean {
  return info !== undefined && (info.isFallbackAdapter || info.architecture === 'swiftshader')
}
