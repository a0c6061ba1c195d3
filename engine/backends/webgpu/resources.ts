// Device buffers of one executable: a resident buffer per input (params, state, consts and fed
// data live on the device), a constant buffer per `full` an anchor reads, and the pooled
// buffers of the liveness plan. Sizes are checked against the device limits first.

import type { Program } from '../../ir'
import { fmtType, numel } from '../../ir'
import type { Allocation } from './buffers'
import { checkLimits } from './buffers'
import type { Arena } from './whole-step'
import type { GpuPlan } from './gpu-plan'

export interface Resources {
  /** The buffer holding a value (input, constant or pooled). */
  readonly bufferOf: (id: number) => GPUBuffer
  /** Where in that buffer the value starts, in bytes (0 but in an arena). */
  readonly offsetOf: (id: number) => number
  /** Resident input buffers by input name. */
  readonly residents: ReadonlyMap<string, Resident>
  readonly all: readonly GPUBuffer[]
}

export interface Resident {
  readonly id: number
  readonly buffer: GPUBuffer
  /** Bytes into the buffer. */
  readonly offset: number
  readonly floats: number
  /** Its leading axis (a batch's rows, for a fed input). */
  readonly rows: number
}

const bytesOf = (floats: number): number => Math.max(4, floats * 4)

export function allocate(device: GPUDevice, plan: GpuPlan): Resources {
  const p = plan.program
  checkLimits(allocations(plan), device.limits)
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST
  const make = (floats: number, label: string): GPUBuffer =>
    device.createBuffer({ size: bytesOf(floats), usage, label })
  const byId = new Map<number, GPUBuffer>()
  const residents = new Map<string, Resident>()
  for (const input of p.inputs) {
    const floats = numel(input.shape)
    const buffer = make(floats, input.name)
    if (input.data !== undefined) device.queue.writeBuffer(buffer, 0, Float32Array.from(input.data))
    byId.set(input.id, buffer)
    const rows = input.shape[0] ?? 1
    residents.set(input.name, { id: input.id, buffer, offset: 0, floats, rows })
  }
  for (const [id, value] of plan.constants) {
    const n = numel(plan.shapeOf(id))
    const buffer = make(n, `const %${id}`)
    device.queue.writeBuffer(buffer, 0, new Float32Array(Math.max(1, n)).fill(value))
    byId.set(id, buffer)
  }
  const pooled = plan.buffers.sizes.map((n, b) => make(n, `pool ${b}`))
  for (const [id, b] of plan.buffers.bufferOf) {
    const buffer = pooled[b]
    if (buffer !== undefined) byId.set(id, buffer)
  }
  for (const [input, output] of plan.inPlace) {
    const buffer = byId.get(input)
    if (buffer !== undefined) byId.set(output, buffer)
  }
  for (const [view, source] of plan.aliases) {
    const buffer = byId.get(source)
    if (buffer !== undefined) byId.set(view, buffer)
  }
  const bufferOf = (id: number): GPUBuffer => {
    const b = byId.get(id)
    if (b === undefined) throw new Error(`webgpu: no buffer holds %${id}`)
    return b
  }
  return { bufferOf, offsetOf: () => 0, residents, all: [...new Set(byId.values())] }
}

/** One buffer for everything, each value at its arena slot (whole-step.ts). */
export function allocateArena(device: GPUDevice, plan: GpuPlan, arena: Arena): Resources {
  const bytes = bytesOf(arena.floats)
  checkLimits([{ what: "the whole step's arena", bytes, storage: true }], device.limits)
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST
  const buffer = device.createBuffer({ size: bytes, usage, label: 'arena' })
  const offsetOf = (id: number): number => {
    const at = arena.offsetOf.get(id)
    if (at === undefined) throw new Error(`webgpu: no arena slot holds %${id}`)
    return at * 4
  }
  const residents = new Map<string, Resident>()
  for (const input of plan.program.inputs) {
    const floats = numel(input.shape)
    const offset = offsetOf(input.id)
    if (input.data !== undefined) {
      device.queue.writeBuffer(buffer, offset, Float32Array.from(input.data))
    }
    const rows = input.shape[0] ?? 1
    residents.set(input.name, { id: input.id, buffer, offset, floats, rows })
  }
  for (const [id, value] of plan.constants) {
    const n = Math.max(1, numel(plan.shapeOf(id)))
    device.queue.writeBuffer(buffer, offsetOf(id), new Float32Array(n).fill(value))
  }
  return { bufferOf: () => buffer, offsetOf, residents, all: [buffer] }
}

/**
 * Every buffer about to be made, named for people. None must be bound whole: a value larger than
 * a binding is bound in pieces (pieces.ts).
 */
export function allocations(plan: GpuPlan): Allocation[] {
  const p = plan.program
  const out: Allocation[] = p.inputs.map((i) => ({
    what: `${i.kind} ${i.name} ${fmtType(i.shape)}`,
    bytes: bytesOf(numel(i.shape)),
    storage: false,
  }))
  const holders = new Map<number, number[]>()
  for (const [id, b] of plan.buffers.bufferOf) holders.set(b, [...(holders.get(b) ?? []), id])
  plan.buffers.sizes.forEach((n, b) => {
    const ids = holders.get(b) ?? []
    const size = (id: number): number => numel(plan.shapeOf(id))
    const biggest = ids.reduce((m, id) => (size(id) > size(m) ? id : m), ids[0] ?? -1)
    // Described only when read (a refusal): finding the layer walks the program.
    out.push({
      get what() {
        return describeValue(p, biggest)
      },
      bytes: bytesOf(n),
      storage: false,
    })
  })
  return out
}

function describeValue(p: Program, id: number): string {
  const e = p.eqns.find((q) => q.id === id)
  const output = p.outputs.find((o) => o.id === id)
  const name = output ? `output ${output.name}` : `value %${id}`
  const param = updatedBy(p, id)
  const layer = param === null ? layerOf(p, id) : null
  const of =
    param !== null ? `, for the update of ${param}` : layer !== null ? ` of layer ${layer}` : ''
  return e ? `${name} (${e.op} ${fmtType(e.shape)})${of}` : name
}

/** The parameter a value of its shape is a step toward updating (a gradient), if any. */
function updatedBy(p: Program, id: number): string | null {
  const shape = fmtType(p.eqns.find((e) => e.id === id)?.shape ?? [])
  let frontier = [id]
  for (let depth = 0; depth < 12 && frontier.length > 0; depth++) {
    for (const v of frontier) {
      const out = p.outputs.find((o) => o.id === v && o.updates !== undefined)
      const input = p.inputs.find((i) => i.name === out?.updates)
      if (out?.updates !== undefined && input?.kind === 'param' && fmtType(input.shape) === shape) {
        return out.updates
      }
    }
    const next = new Set(frontier)
    frontier = p.eqns.filter((e) => e.args.some((a) => next.has(a))).map((e) => e.id)
  }
  return null
}

/**
 * The layer a value belongs to, for people: the graph node of the nearest parameter it is
 * computed from (parameters are named `<node>.<param>`), or null.
 */
function layerOf(p: Program, id: number): string | null {
  const eqns = new Map(p.eqns.map((e) => [e.id, e]))
  const params = new Map(p.inputs.flatMap((i) => (i.kind === 'param' ? [[i.id, i.name]] : [])))
  const seen = new Set<number>()
  let frontier = [id]
  while (frontier.length > 0) {
    for (const v of frontier) {
      const name = params.get(v)
      if (name !== undefined) return name.split('.')[0] ?? name
    }
    frontier = frontier.flatMap((v) => eqns.get(v)?.args ?? []).filter((v) => !seen.has(v))
    for (const v of frontier) seen.add(v)
  }
  return null
}

export function destroyAll(res: Resources): void {
  for (const b of res.all) b.destroy()
}
