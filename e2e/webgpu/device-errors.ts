// Work on a WebGPU device that fails with whatever the device reported meanwhile (validation
// errors, out of memory): a refused program must fail its check, not leave a stale answer.
/// <reference types="@webgpu/types" />

export type OnDevice = <T>(f: (d: GPUDevice) => Promise<T>) => Promise<T>

export function failingOnErrors(device: GPUDevice): OnDevice {
  const errors: string[] = []
  device.addEventListener('uncapturederror', (e) => errors.push(e.error.message))
  return async (f) => {
    errors.length = 0
    const out = await f(device)
    await device.queue.onSubmittedWorkDone()
    if (errors.length > 0) throw new Error(`device errors:\n${errors.join('\n')}`)
    return out
  }
}
