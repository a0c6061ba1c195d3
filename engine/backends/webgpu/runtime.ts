// A running WebGPU Executable. A step encodes every kernel into one compute pass, then the
// copies that store updates into their params and state and the step logs, and submits without
// waiting; steps(n) records n such steps into one submission, where kernels that make only what
// nobody can read (a report not logged, of a step before the last) are left out. Reads map
// staging buffers asynchronously. Device loss is reported by the next call; so is a submission
// the device found invalid or a buffer it could not make (an error scope covers each), so that
// steps that did not run are never read as steps that did.

import type { Executable, Feeds, Program, Shape, TensorInfo } from '../../ir'
import { numel } from '../../ir'
import type { WebGpuExecutable } from './executable'
import type { GpuPlan } from './gpu-plan'
import { checkLimits } from './buffers'
import type { Segment, StepLog } from './readback'
import { DeviceStepLog, StagingPool, scoped } from './readback'
import type { Resources } from './resources'
import { destroyAll } from './resources'
import { updatingKernels } from './schedule'
import type { UpdateCopy } from './step-io'
import { FeedUploader, updateCopies } from './step-io'

export interface Dispatch {
  readonly pipeline: GPUComputePipeline
  /** One, or one per range of a kernel run over its values' pieces in turn (pieces.ts). */
  readonly passes: readonly DispatchPass[]
  readonly label: string
}

export interface DispatchPass {
  readonly bindGroup: GPUBindGroup
  readonly workgroups: readonly [number, number, number]
  /** The pass's uniform block, written once (the whole step rewrites its step count). */
  readonly uniforms: GPUBuffer
}

/** profile(): each kernel runs back to back for about this long, at most PROFILE_RUNS times. */
const PROFILE_MS = 20
const PROFILE_RUNS = 50

export class WebGpuRuntime implements WebGpuExecutable {
  readonly backend = 'webgpu'
  readonly inputs: readonly TensorInfo[]
  readonly outputs: readonly TensorInfo[]
  readonly programs: WebGpuExecutable['programs']
  readonly dispatchesPerStep: number
  private readonly staging: StagingPool
  private readonly updates: readonly UpdateCopy[]
  private readonly uploader: FeedUploader
  private readonly logs: DeviceStepLog[] = []
  /** The values the logs copy each step. */
  private readonly logged: number[] = []
  /** everyStep()'s answer, until a log is added. */
  private every: ReadonlySet<number> | null | undefined
  private lost: string | null = null
  /** What failed on the device (steps recorded, a log made), once known; pending checks. */
  private failed: string | null = null
  private checks: Promise<void>[] = []

  constructor(
    readonly device: GPUDevice,
    private readonly gpu: GpuPlan,
    private readonly res: Resources,
    private readonly dispatches: readonly Dispatch[],
    /**
     * The whole step (whole-step.ts), also dispatches[0]: its uniform block starts with how
     * many steps one dispatch runs, 1 unless a loop of steps is recorded.
     */
    private readonly loop: Dispatch | null = null,
  ) {
    const info = describe(gpu.program, gpu.shapeOf)
    this.inputs = info.inputs
    this.outputs = info.outputs
    this.programs = gpu.programs
    this.dispatchesPerStep = dispatches.length
    this.staging = new StagingPool(device)
    this.updates = updateCopies(device, gpu, res)
    this.uploader = new FeedUploader(device, res)
    void device.lost.then((info) => (this.lost = info.message || info.reason))
  }

  gatherRows(name: string, table: Float32Array): void {
    this.alive()
    const failed = scoped(this.device)
    try {
      this.uploader.gatherRows(name, table)
    } finally {
      this.watch(failed(), `the training split's examples for ${name} (${table.byteLength} bytes)`)
    }
  }

  write(name: string, data: ArrayLike<number>): void {
    this.alive()
    const failed = scoped(this.device)
    try {
      this.uploader.writeNow(name, data)
    } finally {
      this.watch(failed(), `the values written into ${name}`)
    }
  }

  step(feeds?: Feeds): void {
    this.steps(1, feeds === undefined ? undefined : () => feeds)
  }

  steps(n: number, feedsAt?: (k: number) => Feeds | undefined): void {
    this.alive()
    const failed = scoped(this.device)
    try {
      this.record(n, feedsAt)
    } finally {
      this.watch(failed(), `${n} steps`)
    }
  }

  private record(n: number, feedsAt?: (k: number) => Feeds | undefined): void {
    const encoder = this.device.createCommandEncoder({ label: `${n} steps` })
    if (this.loop !== null && feedsAt === undefined && this.logs.length === 0) {
      // Nothing changes between these steps from outside: loop inside one dispatch.
      this.stepsPerDispatch(n)
      const pass = encoder.beginComputePass()
      encodeDispatch(pass, this.loop)
      pass.end()
    } else {
      this.stepsPerDispatch(1)
      this.uploader.stage(n, feedsAt)
      const every = this.everyStep()
      for (let k = 0; k < n; k++) this.encodeStep(encoder, k, k === n - 1 ? null : every)
    }
    this.device.queue.submit([encoder.finish()])
  }

  async read(name: string): Promise<Float32Array> {
    this.alive()
    const { buffer, offset, floats } = this.lookup(name)
    const out = this.staging.read([{ src: buffer, offset, bytes: floats * 4 }])
    await this.ok()
    return out
  }

  async readMany(items: readonly (StepLog | string)[]): Promise<Float32Array[]> {
    this.alive()
    const checked = this.ok()
    const parts = items.map((item): Segment[] => {
      if (typeof item === 'string') {
        const { buffer, offset, floats } = this.lookup(item)
        return [{ src: buffer, offset, bytes: floats * 4 }]
      }
      if (!(item instanceof DeviceStepLog) || !this.logs.includes(item)) {
        throw new Error('webgpu: readMany takes logs of this executable')
      }
      return item.take()
    })
    const reading = this.staging.read(parts.flat())
    reading.catch(() => undefined)
    await checked
    const all = await reading
    let at = 0
    return parts.map((segments) => {
      const floats = segments.reduce((n, s) => n + s.bytes, 0) / 4
      at += floats
      return all.slice(at - floats, at)
    })
  }

  /**
   * A log of at most `capacity` steps: fewer when its ring would not fit one buffer, or the
   * device's share with the executable's buffers and the logs made before (buffers.ts).
   */
  log(name: string, capacity: number): StepLog {
    const { id, buffer, offset, floats } = this.lookup(name)
    const limits = this.device.limits
    const stepBytes = Math.max(4, floats * 4)
    const shape = `f32[${this.gpu.shapeOf(id).join(',')}]`
    const ring = (steps: number) => ({
      what: `the log of output ${name} (${steps} steps of ${shape})`,
      bytes: steps * stepBytes,
      storage: false,
    })
    const made = [
      ...this.res.all.map((b) => ({ what: b.label || 'a buffer', bytes: b.size, storage: false })),
      ...this.logs.map((l) => ({ what: 'a step log', bytes: l.bytes, storage: false })),
    ]
    const fits = (steps: number): boolean => {
      try {
        checkLimits([...made, ring(steps)], limits)
        return true
      } catch {
        return false
      }
    }
    let steps = Math.max(1, Math.min(capacity, Math.floor(limits.maxBufferSize / stepBytes)))
    while (steps > 1 && !fits(steps)) steps = Math.floor(steps / 2)
    checkLimits([...made, ring(steps)], limits)
    const failed = scoped(this.device)
    try {
      const log = new DeviceStepLog(this.device, buffer, offset, floats, steps, this.staging)
      this.logs.push(log)
      this.logged.push(id)
      this.every = undefined
      return log
    } finally {
      this.watch(failed(), ring(steps).what)
    }
  }

  done(): Promise<void> {
    return this.device.queue.onSubmittedWorkDone()
  }

  async profile(): Promise<{ name: string; ms: number }[]> {
    await this.done()
    this.stepsPerDispatch(1)
    const times: { name: string; ms: number }[] = []
    for (const d of this.dispatches) {
      // Once alone, then (when that was quick) back to back in one submission, so the wait
      // for the device is spread over the runs: a fast GPU's kernels take microseconds.
      const once = await this.timeRuns(d, 1)
      const runs = Math.min(PROFILE_RUNS, Math.max(1, Math.floor(PROFILE_MS / once)))
      const ms = runs > 1 ? (await this.timeRuns(d, runs)) / runs : once
      times.push({ name: d.label, ms })
    }
    return times
  }

  /** Milliseconds for `runs` back-to-back runs of one kernel, submitted and waited for. */
  private async timeRuns(d: Dispatch, runs: number): Promise<number> {
    const start = performance.now()
    const encoder = this.device.createCommandEncoder()
    const pass = encoder.beginComputePass()
    for (let r = 0; r < runs; r++) encodeDispatch(pass, d)
    pass.end()
    this.device.queue.submit([encoder.finish()])
    await this.done()
    return performance.now() - start
  }

  dispose(): void {
    for (const log of this.logs) log.destroy()
    this.staging.destroy()
    this.uploader.destroy()
    for (const u of this.updates) u.stage?.destroy()
    for (const d of this.dispatches) for (const p of d.passes) p.uniforms.destroy()
    destroyAll(this.res)
  }

  /**
   * Encodes step k: every kernel, or (`only`) the kernels of those indices. The dispatches are
   * the kernels', in order, unless the whole step is one (then `only` is not asked).
   */
  private encodeStep(
    encoder: GPUCommandEncoder,
    k: number,
    only: ReadonlySet<number> | null,
  ): void {
    this.uploader.encode(encoder, k)
    const pass = encoder.beginComputePass()
    this.uploader.encodeGathers(pass, k)
    this.dispatches.forEach((d, i) => {
      if (only === null || only.has(i)) encodeDispatch(pass, d)
    })
    pass.end()
    for (const u of this.updates) {
      if (u.stage) encoder.copyBufferToBuffer(u.src, u.srcOffset, u.stage, 0, u.bytes)
    }
    for (const u of this.updates) {
      const [src, at] = u.stage ? [u.stage, 0] : [u.src, u.srcOffset]
      encoder.copyBufferToBuffer(src, at, u.dst, u.dstOffset, u.bytes)
    }
    for (const log of this.logs) log.append(encoder)
  }

  /**
   * The kernels a step runs when a later step in its submission follows: those reaching an
   * update or a logged output. Null when the whole step is one dispatch.
   */
  private everyStep(): ReadonlySet<number> | null {
    if (this.loop !== null) return null
    const resolve = (id: number): number => this.gpu.aliases.get(id) ?? id
    const { kernels, program } = this.gpu
    this.every ??= updatingKernels(kernels, program, resolve, this.logged.map(resolve))
    return this.every
  }

  private loopSteps = 1

  /** Sets the whole step's count (written before the submission that reads it). */
  private stepsPerDispatch(n: number): void {
    if (this.loop === null || this.loopSteps === n) return
    const uniforms = this.loop.passes[0]?.uniforms
    if (uniforms !== undefined) this.device.queue.writeBuffer(uniforms, 0, Uint32Array.of(n))
    this.loopSteps = n
  }

  private lookup(name: string): { id: number; buffer: GPUBuffer; offset: number; floats: number } {
    const out = this.gpu.program.outputs.find((o) => o.name === name)
    const id = out?.id ?? this.res.residents.get(name)?.id
    if (id === undefined) throw new Error(`webgpu: no input or output named ${name}`)
    const floats = numel(this.gpu.shapeOf(id))
    return { id, buffer: this.res.bufferOf(id), offset: this.res.offsetOf(id), floats }
  }

  private alive(): void {
    if (this.lost !== null) throw new Error(`webgpu: the device was lost (${this.lost})`)
    if (this.failed !== null) throw new Error(this.failed)
  }

  /** Keeps what the device says of work just recorded, for the next read to check. */
  private watch(failure: Promise<string | null>, what: string): void {
    const check = failure.then((why) => {
      if (why !== null) this.failed ??= `webgpu: the device refused ${what}: ${why}`
    })
    this.checks.push(check.catch(() => undefined))
  }

  /** Throws what failed on the device in the work recorded so far. */
  private async ok(): Promise<void> {
    const checks = this.checks
    this.checks = []
    await Promise.all(checks)
    if (this.lost !== null) throw new Error(`webgpu: the device was lost (${this.lost})`)
    if (this.failed !== null) throw new Error(this.failed)
  }
}

function encodeDispatch(pass: GPUComputePassEncoder, d: Dispatch): void {
  for (const p of d.passes) {
    if (p.workgroups.includes(0)) continue
    pass.setPipeline(d.pipeline)
    pass.setBindGroup(0, p.bindGroup)
    pass.dispatchWorkgroups(...p.workgroups)
  }
}

function describe(
  p: Program,
  shapeOf: (id: number) => Shape,
): Pick<Executable, 'inputs' | 'outputs'> {
  return {
    inputs: p.inputs.map((i): TensorInfo => ({ name: i.name, shape: i.shape, kind: i.kind })),
    outputs: p.outputs.map((o): TensorInfo => ({
      name: o.name,
      shape: shapeOf(o.id),
      ...(o.updates === undefined ? {} : { updates: o.updates }),
    })),
  }
}
