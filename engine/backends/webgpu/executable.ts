// Making a WebGPU Executable: the device-free plan (kernels, programs, buffer plan), then every
// buffer, pipeline, uniform block and bind group once, with validation errors and compile
// errors caught here rather than at a step. The running side is runtime.ts.

import type { Executable, Feeds } from '../../ir'
import type { CompiledPlan } from '../../passes'
import { isCpuEmulation } from './adapter'
import type { GpuPlan } from './gpu-plan'
import { planWebGpu } from './gpu-plan'
import type { Pipeline } from './pipelines'
import { pipelineFor } from './pipelines'
import type { WgslProgram } from './program'
import { pieceFloats, slotBindings } from './pieces'
import { flatWorkgroups, packUniforms } from './program'
import type { StepLog } from './readback'
import type { Resources } from './resources'
import { allocate, allocateArena, destroyAll } from './resources'
import type { Dispatch, DispatchPass } from './runtime'
import { WebGpuRuntime } from './runtime'
import { SPLIT_FROM, SPLIT_ON_GPU } from './split-reduce'
import type { ProductChoice } from './split-products'
import type { MatmulTile } from './tiled'
import { tuneProducts } from './tune'
import type { TunerHooks } from './tune'
import { arenaOf, wholeStep, wholeStepRefusal } from './whole-step'

export interface WebGpuExecutable extends Executable {
  readonly device: GPUDevice
  /** The generated programs, one per kernel in step order. */
  readonly programs: readonly WgslProgram[]
  /** Dispatches a step takes: the kernels', or 1 when the whole step runs as one (whole-step.ts). */
  readonly dispatchesPerStep: number
  /**
   * Records n steps into one submission. Step k is fed feedsAt(k) (inputs not fed keep their
   * value); nothing waits for the device.
   */
  steps(n: number, feedsAt?: (k: number) => Feeds | undefined): void
  /**
   * Keeps `table` (whole examples of input `name`, row after row) on the device: that input's
   * feed is then its batch's row indices, gathered on the device each step.
   */
  gatherRows(name: string, table: Float32Array): void
  /** Keeps output `name` of every step on the device (the latest `capacity`) until read. */
  log(name: string, capacity: number): StepLog
  /**
   * Reads logs (each drained, as its read() would) and the current values of named inputs or
   * outputs in one submission and one mapping, in the order asked.
   */
  readMany(items: readonly (StepLog | string)[]): Promise<Float32Array[]>
  /** Resolves when the device has finished everything submitted so far. */
  done(): Promise<void>
  /**
   * Runs one step a kernel at a time (a quick kernel several times back to back), waiting for
   * each: milliseconds per run of each kernel (debugging; the state it updates moves on).
   */
  profile(): Promise<{ name: string; ms: number }[]>
}

export interface WebGpuOptions {
  /** Matmuls through workgroup-memory tiles; default: yes, except on CPU emulations. */
  readonly tiledMatmul?: boolean
  /** One block for every tiled matmul (tiled.ts); default: chosen per product. */
  readonly matmulTile?: MatmulTile | undefined
  /**
   * Tiles and depth splits for products, by productKey (split-products.ts). Default, for tiled
   * matmuls on a GPU: measured there by the tuner (tune.ts); on CPU emulations: none.
   */
  readonly products?: ReadonlyMap<string, ProductChoice> | undefined
  /**
   * Whether the tuner measures products where `products` is not given (default: on GPUs, unless
   * `matmulTile` names the tile).
   */
  readonly tune?: boolean
  /**
   * Where the tuner keeps its choices between runs of the app (tune-memory.ts), and who hears
   * how far its timings are.
   */
  readonly tuning?: TunerHooks
  /**
   * The step as one dispatch (whole-step.ts); default: on CPU emulations, and on GPUs for steps
   * of at most WHOLE_STEP_FLOPS.
   */
  readonly wholeStep?: boolean
  /**
   * Invocations running the whole step's kernels where none shares workgroup memory (default
   * 4, SwiftShader's SIMD width; whole-step.ts). For measuring other widths on real GPUs.
   */
  readonly wholeStepLanes?: number
  /**
   * Bytes one binding may hold, when less than the device's maxStorageBufferBindingSize: larger
   * values are bound in pieces (pieces.ts). Tests use it to bind small models in pieces.
   */
  readonly bindingBytes?: number
}

/**
 * Steps this small run as one dispatch on a real GPU too: on an H100 (Dawn, Vulkan) a 2-8-8-2
 * step ran 12× faster so than as its 42 dispatches, while a 784-256-128-10 step (77 MFLOP),
 * confined to one workgroup, ran a little slower than as 46.
 */
const WHOLE_STEP_FLOPS = 2e6

export async function createWebGpuExecutable(
  plan: CompiledPlan,
  device: GPUDevice,
  options: WebGpuOptions = {},
): Promise<WebGpuExecutable> {
  // adapterInfo is absent in older browsers.
  const emulated = isCpuEmulation(device.adapterInfo as GPUAdapterInfo | undefined)
  const wholeStep = options.wholeStep ?? (emulated || plan.stats.flops <= WHOLE_STEP_FLOPS)
  const limits = device.limits
  const bindingBytes = Math.min(
    options.bindingBytes ?? Infinity,
    limits.maxStorageBufferBindingSize,
  )
  // The whole step's kernels take the direct forms (tiles would need their own workgroups).
  const tiledMatmul = options.tiledMatmul ?? !(emulated || wholeStep)
  const products = tiledMatmul ? await productChoices(device, plan, options, emulated) : undefined
  const gpu = planWebGpu(plan, {
    maxBindings: limits.maxStorageBuffersPerShaderStage,
    pieceFloats: pieceFloats({
      maxStorageBufferBindingSize: bindingBytes,
      minStorageBufferOffsetAlignment: limits.minStorageBufferOffsetAlignment,
    }),
    tiledMatmul,
    matmulTile: options.matmulTile,
    products,
    workgroupBytes: limits.maxComputeWorkgroupStorageSize,
    splitReductionsFrom: emulated ? SPLIT_FROM : SPLIT_ON_GPU,
  })
  if (wholeStep) {
    const whole = await wholeStepExecutable(device, gpu, options.wholeStepLanes)
    if (whole !== null) return whole
  }
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

/** The options' tiles and splits for products, else the tuner's where it runs (on GPUs). */
async function productChoices(
  device: GPUDevice,
  plan: CompiledPlan,
  options: WebGpuOptions,
  emulated: boolean,
): Promise<ReadonlyMap<string, ProductChoice> | undefined> {
  if (options.products !== undefined) return options.products
  const tune = options.tune ?? (!emulated && options.matmulTile === undefined)
  return tune ? tuneProducts(device, plan.program, options.tuning) : undefined
}

/** The whole step as one dispatch, or null where the plan or the compiler refuses it. */
async function wholeStepExecutable(
  device: GPUDevice,
  gpu: GpuPlan,
  lanes?: number,
): Promise<WebGpuRuntime | null> {
  if (wholeStepRefusal(gpu) !== null) return null
  const arena = arenaOf(gpu)
  if (arena.floats * 4 > device.limits.maxStorageBufferBindingSize) return null
  const whole = wholeStep(gpu, arena, lanes)
  const program = whole.program
  // A module the compiler refuses is not an error: the kernels run one dispatch each instead.
  device.pushErrorScope('validation')
  const made = await pipelineFor(device, program).catch(() => null)
  const refused = await device.popErrorScope()
  if (made === null || refused !== null) return null
  device.pushErrorScope('validation')
  const res = allocateArena(device, gpu, arena)
  // Its one binding besides the uniforms is the arena (every id's buffer).
  const step = prepare(device, program, made, res, whole.uniforms(1))
  const failure = await device.popErrorScope()
  if (failure !== null) {
    destroyAll(res)
    return null
  }
  return new WebGpuRuntime(device, gpu, res, [step], step)
}

/**
 * A kernel's uniform buffer (its uniforms, unless `data` is given) and bind group, or one of
 * each per range for a kernel run over its values' pieces in turn (pieces.ts).
 */
function prepare(
  device: GPUDevice,
  g: WgslProgram,
  made: Pipeline | undefined,
  res: Resources,
  data: ArrayBuffer = packUniforms(g.uniforms),
): Dispatch {
  if (made === undefined) throw new Error(`webgpu: no pipeline for ${g.name}`)
  const ranged = g.pieces?.ranged
  const piece = g.pieces?.floats ?? 0
  if (ranged === undefined) {
    return { pipeline: made.pipeline, label: g.name, passes: [pass(device, g, made, res, data)] }
  }
  const passes: DispatchPass[] = []
  for (let base = 0; base < ranged.count; base += piece) {
    const uniforms = g.uniforms.map((u) => (u.name === 'base' ? { ...u, value: base } : u))
    const range = { base, floats: Math.min(piece, ranged.count - base), count: ranged.count }
    const part = pass(device, g, made, res, packUniforms(uniforms), range)
    passes.push({ ...part, workgroups: flatWorkgroups(range.floats) })
  }
  return { pipeline: made.pipeline, label: g.name, passes }
}

/** One pass's uniforms and bind group; `range`: the slots of `count` floats bind that range. */
function pass(
  device: GPUDevice,
  g: WgslProgram,
  made: Pipeline,
  res: Resources,
  data: ArrayBuffer,
  range?: { base: number; floats: number; count: number },
): DispatchPass {
  const uniforms = device.createBuffer({
    size: data.byteLength,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    label: `${g.name} uniforms`,
  })
  device.queue.writeBuffer(uniforms, 0, data)
  const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniforms } }]
  const counts = slotBindings(g)
  ;[...g.reads, ...g.writes].forEach((id, i) => {
    const buffer = res.bufferOf(id)
    const [floats, piece] = [g.pieces?.slots[i] ?? 0, g.pieces?.floats ?? 0]
    if (range !== undefined && floats === range.count) {
      const offset = res.offsetOf(id) + range.base * 4
      entries.push({
        binding: entries.length,
        resource: { buffer, offset, size: range.floats * 4 },
      })
    } else if ((counts[i] ?? 1) === 1) {
      entries.push({ binding: entries.length, resource: { buffer } })
    } else {
      // A value in pieces read through accessors: consecutive ranges of its buffer.
      for (let at = 0; at < floats; at += piece) {
        const size = Math.min(piece, floats - at) * 4
        entries.push({
          binding: entries.length,
          resource: { buffer, offset: res.offsetOf(id) + at * 4, size },
        })
      }
    }
  })
  const bindGroup = device.createBindGroup({ layout: made.layout, entries, label: g.name })
  return { bindGroup, workgroups: g.workgroups, uniforms }
}
