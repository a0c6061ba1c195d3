// The CPU Executable: every buffer is allocated once from the memory plan, every kernel is
// prepared once with its buffers bound, and a step is a flat list of closures with no
// allocation. Params and state stay resident; aliased outputs are copied into them per step.

import type { Backend, Eqn, Executable, Feeds, OpName, Program, Shape, TensorInfo } from '../../ir'
import { numel } from '../../ir'
import type { CompiledPlan } from '../../passes'
import { KERNELS } from './kernels'
import type { Buf, Kernel } from './types'

export interface CpuOptions {
  /** float32 (default) or float64 (gradient checks). */
  readonly dtype?: 'float32' | 'float64'
  /** Fill each buffer with NaN when its value dies, to prove the liveness plan (tests). */
  readonly poisonFreed?: boolean
}

export interface CpuExecutable extends Executable {
  /** One step, then live views of every output (valid until the next step). */
  run(feeds?: Feeds): Readonly<Record<string, Buf>>
  /** The live buffer of an input or output, without copying. */
  view(name: string): Buf
}

export function createCpuExecutable(plan: CompiledPlan, options: CpuOptions = {}): CpuExecutable {
  const make = (n: number): Buf =>
    options.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n)
  const p = plan.program
  const { resident, valueOf } = allocate(plan, make)
  const steps = prepareSteps(p, valueOf, make, options.poisonFreed ? plan.memory.freedAfter : null)
  const outputs = new Map(p.outputs.map((o) => [o.name, valueOf(o.id)]))
  const updates = p.outputs.flatMap((o) => {
    const dst = o.updates === undefined ? undefined : resident.get(o.updates)
    return dst === undefined ? [] : [{ src: valueOf(o.id), dst, stage: make(dst.length) }]
  })
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
  const step = (feeds: Feeds = {}): void => {
    for (const name in feeds) {
      const data = feeds[name]
      if (data !== undefined) write(name, data)
    }
    for (const run of steps) run()
    // staged so that an update reading another updated input sees the old value
    for (const u of updates) u.stage.set(u.src)
    for (const u of updates) u.dst.set(u.stage)
  }
  const outputRecord = Object.fromEntries(outputs)
  return {
    ...describe(p),
    write,
    step,
    run: (feeds) => (step(feeds), outputRecord),
    view: lookup,
    read: (name) => Promise.resolve(Float32Array.from(lookup(name))),
    dispose: () => {
      resident.clear()
      outputs.clear()
      steps.length = 0
    },
  }
}

/** Resident buffers per input (initialised from const/state data) and planned value views. */
function allocate(
  plan: CompiledPlan,
  make: (n: number) => Buf,
): { resident: Map<string, Buf>; valueOf: (id: number) => Buf } {
  const { program: p, memory } = plan
  const resident = new Map<string, Buf>()
  const values = new Map<number, Buf>()
  for (const i of p.inputs) {
    const buf = make(numel(i.shape))
    if (i.data) buf.set(i.data)
    resident.set(i.name, buf)
    values.set(i.id, buf)
  }
  const buffers = memory.buffers.map(make)
  p.eqns.forEach((e, i) => {
    const buf = buffers[memory.bufferOf[i] ?? -1]
    if (buf === undefined) throw new Error(`cpu: no planned buffer for %${e.id}`)
    values.set(e.id, buf.subarray(0, numel(e.shape)))
  })
  const valueOf = (id: number): Buf => {
    const v = values.get(id)
    if (v === undefined) throw new Error(`cpu: no buffer for %${id}`)
    return v
  }
  return { resident, valueOf }
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

export const cpuBackend: Backend<CompiledPlan> = {
  name: 'cpu',
  createExecutable: (plan) => createCpuExecutable(plan),
}

function prepareSteps(
  p: Program,
  valueOf: (id: number) => Buf,
  make: (n: number) => Buf,
  poison: readonly (readonly number[])[] | null,
): (() => void)[] {
  const shapeOf = new Map<number, Shape>(p.inputs.map((i) => [i.id, i.shape]))
  const steps: (() => void)[] = []
  p.eqns.forEach((e, i) => {
    const argShapes = e.args.map((a) => shapeOf.get(a) ?? [])
    steps.push(prepare(e, argShapes, valueOf, make))
    shapeOf.set(e.id, e.shape)
    const dead = poison?.[i]?.map(valueOf) ?? []
    if (dead.length > 0) steps.push(() => dead.forEach((b) => b.fill(NaN)))
  })
  return steps
}

function prepare<K extends OpName>(
  e: Eqn<K>,
  argShapes: readonly Shape[],
  valueOf: (id: number) => Buf,
  make: (n: number) => Buf,
): () => void {
  const kernel: Kernel<K> = KERNELS[e.op]
  return kernel({
    attrs: e.attrs,
    argShapes,
    outShape: e.shape,
    out: valueOf(e.id),
    args: e.args.map(valueOf),
    scratch: make,
  })
}
