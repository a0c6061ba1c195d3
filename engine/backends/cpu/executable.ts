// The CPU Executable: storage is planned once (storage.ts) and cut from one block of memory
// (arena.ts), every kernel is prepared once with its buffers bound, constants are computed
// once, and a step is a flat array of closures: no allocation, no lookups, no copies beyond
// the updates that could not be computed in place.

import type { Backend, Eqn, Executable, Feeds, OpName, Program, Shape, TensorInfo } from '../../ir'
import { numel } from '../../ir'
import type { CompiledPlan } from '../../passes'
import { createArena } from './arena'
import { findFusions, fusedStep } from './fusion'
import type { Fusions } from './fusion'
import { KERNELS } from './kernels'
import { wantsSimd } from './matmul'
import type { Storage } from './storage'
import { planStorage } from './storage'
import type { Buf, Kernel, WasmContext } from './types'
import { preloadCpuKernels, wasmAvailable } from './wasm/runtime'

export interface CpuOptions {
  /** float32 (default) or float64 (gradient checks). */
  readonly dtype?: 'float32' | 'float64'
  /** Fill each buffer with NaN when its value dies, to prove the storage plan (tests). */
  readonly poisonFreed?: boolean
  /** Use the WebAssembly SIMD kernels where they apply (default true). */
  readonly wasm?: boolean
  /** Start a helper thread for big matmuls where setCpuThreads() enabled them (default true). */
  readonly threads?: boolean
  /** Adds each kernel's time per step, in ms, under its op's name (profiling). */
  readonly profile?: Map<string, number>
}

export interface CpuExecutable extends Executable {
  /** One step, then live views of every output (valid until the next step). */
  run(feeds?: Feeds): Readonly<Record<string, Buf>>
  /** The live buffer of an input or output, without copying. */
  view(name: string): Buf
  /**
   * The live buffer of an `input`-kind input: fill it, then call step() with no feeds. This is
   * the allocation-free way to feed every step.
   */
  input(name: string): Buf
  /** Whether the WebAssembly SIMD kernels are in use. */
  readonly simd: boolean
  /** Threads that big matmuls run on now: 2 once a helper has started (setCpuThreads), else 1. */
  threads(): number
}

type Step = () => void

export function createCpuExecutable(plan: CompiledPlan, options: CpuOptions = {}): CpuExecutable {
  const p = plan.program
  const dtype = options.dtype ?? 'float32'
  const simd = (options.wasm ?? true) && dtype === 'float32' && hasBigMatmul(p) && wasmAvailable()
  const fusions = findFusions(p)
  const storage = planStorage(p, fusions)
  const arena = createArena(storage.slots, { dtype, wasm: simd, threads: options.threads ?? true })
  const valueOf = (id: number): Buf => {
    const view = arena.views[storage.slotOf.get(id) ?? -1]
    if (view === undefined) throw new Error(`cpu: no buffer for %${id}`)
    return view.subarray(0, numel(shapeOf(p, id)))
  }
  const resident = new Map(p.inputs.map((i) => [i.name, valueOf(i.id)]))
  for (const i of p.inputs) if (i.data) resident.get(i.name)?.set(i.data)
  const make = (n: number): Buf => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n))
  const steps = prepareSteps(p, storage, { valueOf, make, wasm: arena.wasm, fusions }, options)
  const outputs = new Map(p.outputs.map((o) => [o.name, valueOf(o.id)]))
  const copy = updateCopies(storage, resident, valueOf, make)
  const lookup = (name: string): Buf => {
    const b = outputs.get(name) ?? resident.get(name)
    if (b === undefined) throw new Error(`cpu: no input or output named ${name}`)
    return b
  }
  const write = (name: string, data: ArrayLike<number>): void => {
    const dst = resident.get(name)
    if (dst === undefined) throw new Error(`cpu: no input named ${name}`)
    if (data.length !== dst.length) {
      throw new Error(`cpu: ${name} takes ${dst.length} values, got ${data.length}`)
    }
    dst.set(data)
  }
  const step = (feeds?: Feeds): void => {
    if (feeds !== undefined) {
      for (const name in feeds) {
        const data = feeds[name]
        if (data !== undefined) write(name, data)
      }
    }
    for (let i = 0; i < steps.length; i++) (steps[i] as Step)()
    copy()
  }
  const outputRecord = Object.fromEntries(outputs)
  const inputKinds = new Map(p.inputs.map((i) => [i.name, i.kind]))
  return {
    ...describe(p),
    simd: arena.wasm !== null,
    threads: () => (arena.wasm?.team?.ready() === true ? 2 : 1),
    write,
    step,
    run: (feeds) => (step(feeds), outputRecord),
    view: lookup,
    input: (name) => {
      if (inputKinds.get(name) !== 'input') throw new Error(`cpu: no input named ${name}`)
      return lookup(name)
    },
    read: (name) => Promise.resolve(Float32Array.from(lookup(name))),
    dispose: () => {
      arena.wasm?.team?.terminate()
      resident.clear()
      outputs.clear()
      steps.length = 0
    },
  }
}

function shapeOf(p: Program, id: number): Shape {
  return p.eqns.find((e) => e.id === id)?.shape ?? p.inputs.find((i) => i.id === id)?.shape ?? []
}

/** Whether any matmul is big enough for the SIMD gemm (the reason to live in wasm memory). */
function hasBigMatmul(p: Program): boolean {
  const shapes = new Map<number, Shape>(p.inputs.map((i) => [i.id, i.shape]))
  return p.eqns.some((e) => {
    shapes.set(e.id, e.shape)
    if (e.op !== 'matmul') return false
    const a = shapes.get(e.args[0] ?? -1) ?? []
    return wantsSimd(e.shape, (e.attrs.transposeA ? a.at(-2) : a.at(-1)) ?? 1)
  })
}

/**
 * Copies of updates that were not computed in place, staged when one reads a resident input
 * (so an update reading another updated input sees the old value).
 */
function updateCopies(
  storage: Storage,
  resident: ReadonlyMap<string, Buf>,
  valueOf: (id: number) => Buf,
  make: (n: number) => Buf,
): Step {
  const pairs = storage.copies.flatMap((c) => {
    const dst = resident.get(c.to)
    return dst === undefined ? [] : [{ src: valueOf(c.from), dst }]
  })
  const residentSlots = new Set(storage.residentSlot.values())
  const staged = storage.copies.some((c) => residentSlots.has(storage.slotOf.get(c.from) ?? -1))
  if (pairs.length === 0) return () => undefined
  if (!staged) {
    return () => {
      for (let i = 0; i < pairs.length; i++) pairs[i]?.dst.set(pairs[i]?.src ?? [])
    }
  }
  const stages = pairs.map((u) => ({ ...u, stage: make(u.dst.length) }))
  return () => {
    for (const u of stages) u.stage.set(u.src)
    for (const u of stages) u.dst.set(u.stage)
  }
}

function describe(p: Program): Pick<Executable, 'backend' | 'inputs' | 'outputs'> {
  const shapes = new Map<number, Shape>([...p.inputs, ...p.eqns].map((v) => [v.id, v.shape]))
  return {
    backend: 'cpu',
    inputs: p.inputs.map((i): TensorInfo => ({ name: i.name, shape: i.shape, kind: i.kind })),
    outputs: p.outputs.map((o): TensorInfo => ({
      name: o.name,
      shape: shapes.get(o.id) ?? [],
      ...(o.updates === undefined ? {} : { updates: o.updates }),
    })),
  }
}

/** The CPU Backend; it compiles the SIMD kernels asynchronously first (see preloadCpuKernels). */
export const cpuBackend: Backend<CompiledPlan> = {
  name: 'cpu',
  createExecutable: async (plan) => {
    await preloadCpuKernels()
    return createCpuExecutable(plan)
  },
}

interface Binding {
  readonly valueOf: (id: number) => Buf
  readonly make: (n: number) => Buf
  readonly wasm: WasmContext | null
  readonly fusions: Fusions
}

/** Prepares every kernel; runs the constant ones now and returns the per-step ones. */
function prepareSteps(p: Program, storage: Storage, bind: Binding, options: CpuOptions): Step[] {
  const shapes = new Map<number, Shape>(p.inputs.map((i) => [i.id, i.shape]))
  const steps: Step[] = []
  p.eqns.forEach((e, i) => {
    const argShapes = e.args.map((a) => shapes.get(a) ?? [])
    shapes.set(e.id, e.shape)
    const mode = storage.mode[i]
    if (mode === 'skip') return
    const fused = bind.fusions.fused.get(i)
    const out = bind.valueOf(e.id)
    const run = fused ? fusedStep(fused, bind.valueOf, out, bind.wasm) : prepare(e, argShapes, bind)
    if (mode === 'once') run()
    else steps.push(options.profile ? timed(run, e.op, options.profile) : run)
    const dead = options.poisonFreed ? (storage.freedAfter[i] ?? []) : []
    if (dead.length > 0) steps.push(poison(p, storage, bind, dead))
  })
  return steps
}

function timed(run: Step, name: string, into: Map<string, number>): Step {
  return () => {
    const t = performance.now()
    run()
    into.set(name, (into.get(name) ?? 0) + performance.now() - t)
  }
}

function poison(p: Program, storage: Storage, bind: Binding, slots: readonly number[]): Step {
  const ids = p.eqns.filter((e) => slots.includes(storage.slotOf.get(e.id) ?? -1))
  const views = slots.map((s) => ids.find((e) => storage.slotOf.get(e.id) === s))
  const bufs = views.flatMap((e) => (e === undefined ? [] : [bind.valueOf(e.id)]))
  return () => bufs.forEach((b) => b.fill(NaN))
}

function prepare<K extends OpName>(e: Eqn<K>, argShapes: readonly Shape[], bind: Binding): Step {
  const kernel: Kernel<K> = KERNELS[e.op]
  return kernel({
    attrs: e.attrs,
    argShapes,
    outShape: e.shape,
    out: bind.valueOf(e.id),
    args: e.args.map(bind.valueOf),
    scratch: bind.make,
    wasm: bind.wasm,
  })
}
