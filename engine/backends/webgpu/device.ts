// A device with the limits this backend uses raised to what the adapter offers (more storage
// buffers per kernel lets larger groups fuse; larger buffers let larger layers fit; more
// workgroup memory lets matmul tiles hold two slices of each operand: tiled.ts), and the
// Backend that makes WebGPU executables on it.

import type { Backend } from '../../ir'
import type { CompiledPlan } from '../../passes'
import type { WebGpuExecutable } from './executable'
import { createWebGpuExecutable } from './executable'

const RAISED = [
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
] as const

export async function requestDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {}
  for (const name of RAISED) requiredLimits[name] = adapter.limits[name]
  return adapter.requestDevice({ requiredLimits, label: 'dendrite' })
}

export function webgpuBackend(device: GPUDevice): Backend<CompiledPlan> & {
  createExecutable(plan: CompiledPlan): Promise<WebGpuExecutable>
} {
  return { name: 'webgpu', createExecutable: (plan) => createWebGpuExecutable(plan, device) }
}
