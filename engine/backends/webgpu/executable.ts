// Making a WebGPU Executable: the device-free plan (kernels, programs, buffer plan), then every
// buffer, pipeline, uniform block and bind group once, with validation errors and compile
// errors caught here rather than at a step. The running side is runtime.ts.

import type { Executable, Feeds } from '../../ir'
import type { CompiledPlan } from '../../passes'
import { isCpuEmulation } from './adapter'
import { planWebGpu } from './gpu-plan'
import type { Pipeline } from './pipelines'
import { pipelineFor } from './pipelines'
import type { WgslProgram } from './program'
import { packUniforms } from './program'
import type { StepLog } from './readback'
import type { Resources } from './resources'
import { allocate, destroyAll } from './resources'
import type { Dispatch } from './runtime'
import { WebGpuRuntime } from './runtime'

export interface WebGpuExecutable extends Executable {
  readonly device: GPUDevice
  /** The generated programs, one per kernel in step order. */
  readonly programs: readonly WgslProgram[]
  /**
   * Records n steps into one submission. Step k is fed feedsAt(k) (inputs not fed keep their
   * value); nothing waits for the device.
   */
  steps(n: number, feedsAt?: (k: number) => Feeds | undefined): void
  /** Keeps output `name` of every step on the device (the latest `capacity`) until read. */
  log(name: string, capacity: number): StepLog
  /**
   * Reads logs (each drained, as its read() would) and the current values of named inputs or
   * outputs in one submission and one mapping, in the order asked.
   */
  readMany(items: readonly (StepLog | string)[]): Promise<Float32Array[]>
  /** Resolves when the device has finished everything submitted so far. */
  done(): Promise<void>
  /** Runs one step a kernel at a time, waiting for each: milliseconds per kernel (debugging). */
  profile(): Promise<{ name: string; ms: number }[]>
}

export interface WebGpuOptions {
  /** Matmuls through workgroup-memory tiles; default: yes, except on CPU emulations. */
  readonly tiledMatmul?: boolean
}

export async function createWebGpuExecutable(
  plan: CompiledPlan,
  device: GPUDevice,
  options: WebGpuOptions = {},
): Promise<WebGpuExecutable> {
  const gpu = planWebGpu(plan, {
    maxBindings: device.limits.maxStorageBuffersPerShaderStage,
    // adapterInfo is absent in older browsers.
    tiledMatmul:
      options.tiledMatmul ?? !isCpuEmulation(device.adapterInfo as GPUAdapterInfo | undefined),
  })
  const pipelines = Promise.all(gpu.programs.map((g) => pipelineFor(device, g)))
  device.pushErrorScope('validation')
  const res = allocate(device, gpu)
  const dispatches = await pipelines.then(
    (made) => gpu.programs.map((g, i) => prepare(device, g, made[i], res)),
    (err: unknown) => {
      destroyAll(res)
      throw err
    },
  )
  const failure = await device.popErrorScope()
  if (failure !== null) {
    destroyAll(res)
    throw new Error(`webgpu: preparing the kernels failed: ${failure.message}`)
  }
  return new WebGpuRuntime(device, gpu, res, dispatches)
}

function prepare(
  device: GPUDevice,
  g: WgslProgram,
  made: Pipeline | undefined,
  res: Resources,
): Dispatch {
  if (made === undefined) throw new Error(`webgpu: no pipeline for ${g.name}`)
  const { pipeline, layout } = made
  const data = packUniforms(g.uniforms)
  const uniforms = device.createBuffer({
    size: data.byteLength,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    label: `${g.name} uniforms`,
  })
  device.queue.writeBuffer(uniforms, 0, data)
  const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniforms } }]
  ;[...g.reads, ...g.writes].forEach((id, i) => {
    entries.push({ binding: i + 1, resource: { buffer: res.bufferOf(id) } })
  })
  const bindGroup = device.createBindGroup({ layout, entries, label: g.name })
  return { pipeline, bindGroup, workgroups: g.workgroups, label: g.name, uniforms }
}
