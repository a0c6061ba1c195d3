// What moves around a step besides the kernels: feeds going in (written straight into their
// input for one step; for n recorded steps, written once into an upload buffer and copied into
// place before each step) and updates going out (outputs copied into the params and state they
// replace, staged when an update's value is itself a resident buffer).

import type { Feeds } from '../../ir'
import { numel } from '../../ir'
import type { GpuPlan } from './gpu-plan'
import { RowGather } from './gather'
import type { Resources } from './resources'

interface Copy {
  readonly offset: number
  readonly dst: GPUBuffer
  readonly dstOffset: number
  readonly bytes: number
}

export class FeedUploader {
  private upload: GPUBuffer | null = null
  private perStep: Copy[][] = []
  private readonly gathers = new Map<string, RowGather>()
  private gathered: RowGather[] = []

  constructor(
    private readonly device: GPUDevice,
    private readonly res: Resources,
  ) {}

  /**
   * Keeps `table` (whole examples of input `name`) on the device; from now on that input's feed
   * is its batch's row indices, gathered there (gather.ts).
   */
  gatherRows(name: string, table: Float32Array): void {
    const r = this.res.residents.get(name)
    if (r === undefined) throw new Error(`webgpu: no input named ${name}`)
    this.gathers.get(name)?.destroy()
    const target = {
      buffer: r.buffer,
      offset: r.offset,
      rows: r.rows,
      rowFloats: r.floats / r.rows,
    }
    this.gathers.set(name, new RowGather(this.device, table, target, name))
  }

  /** Copies values into a resident input now (ordered before later submissions). */
  writeNow(name: string, data: ArrayLike<number>): void {
    const r = this.resident(name, data)
    this.device.queue.writeBuffer(r.buffer, r.offset, asFloat32(data))
  }

  /** Prepares the feeds of the next n recorded steps. */
  stage(n: number, feedsAt?: (k: number) => Feeds | undefined): void {
    this.perStep = []
    this.gathered = []
    if (feedsAt === undefined) return
    const items = Array.from({ length: n }, (_, k) => entries(feedsAt(k)))
    if (n === 1 && !items[0]?.some(([name]) => this.gathers.has(name))) {
      for (const [name, data] of items[0] ?? []) this.writeNow(name, data)
      return
    }
    const total = items.reduce((s, list) => s + list.reduce((t, [, d]) => t + d.length, 0), 0)
    const host = new Float32Array(total)
    const starts = new Map<string, number[]>()
    let at = 0
    this.perStep = items.map((list) =>
      list.flatMap(([name, data]) => {
        const r = this.resident(name, data)
        host.set(asFloat32(data), at)
        const copy = { offset: at * 4, dst: r.buffer, dstOffset: r.offset, bytes: data.length * 4 }
        if (this.gathers.has(name)) starts.set(name, [...(starts.get(name) ?? []), at])
        at += data.length
        return this.gathers.has(name) ? [] : [copy]
      }),
    )
    if (total === 0) return
    const upload = this.ensure(total * 4)
    this.device.queue.writeBuffer(upload, 0, host)
    for (const [name, at] of starts) {
      const g = this.gathers.get(name)
      if (g === undefined || at.length !== n) {
        throw new Error(`webgpu: ${name} is gathered: every step's feeds need its row indices`)
      }
      g.stage(upload, n, (k) => at[k] ?? 0)
      this.gathered.push(g)
    }
  }

  /** Copies step k's staged feeds into their inputs. */
  encode(encoder: GPUCommandEncoder, k: number): void {
    const upload = this.upload
    if (upload === null) return
    for (const c of this.perStep[k] ?? []) {
      if (c.bytes > 0) encoder.copyBufferToBuffer(upload, c.offset, c.dst, c.dstOffset, c.bytes)
    }
  }

  /** Step k's gathers, first in its compute pass. */
  encodeGathers(pass: GPUComputePassEncoder, k: number): void {
    for (const g of this.gathered) g.encode(pass, k)
  }

  destroy(): void {
    this.upload?.destroy()
    for (const g of this.gathers.values()) g.destroy()
  }

  private resident(name: string, data: ArrayLike<number>): { buffer: GPUBuffer; offset: number } {
    const r = this.res.residents.get(name)
    if (r === undefined) throw new Error(`webgpu: no input named ${name}`)
    const want = this.gathers.has(name) ? r.rows : r.floats
    if (data.length !== want) {
      const what = this.gathers.has(name) ? 'row indices' : 'values'
      throw new Error(`webgpu: ${name} takes ${want} ${what}, got ${data.length}`)
    }
    return r
  }

  private ensure(bytes: number): GPUBuffer {
    if (this.upload !== null && this.upload.size >= bytes) return this.upload
    this.upload?.destroy()
    // A power of two, unless that is more than the device allows in one buffer.
    const most = Math.max(bytes, this.device.limits.maxBufferSize)
    this.upload = this.device.createBuffer({
      size: Math.min(most, Math.max(16, 2 ** Math.ceil(Math.log2(bytes)))),
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | GPUBufferUsage.STORAGE,
      label: 'feed upload',
    })
    return this.upload
  }
}

function entries(feeds: Feeds | undefined): [string, ArrayLike<number>][] {
  if (feeds === undefined) return []
  return Object.entries(feeds).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]]))
}

/** writeBuffer wants float32 over a plain ArrayBuffer; other arrays are copied. */
function asFloat32(data: ArrayLike<number>): Float32Array<ArrayBuffer> {
  if (data instanceof Float32Array && data.buffer instanceof ArrayBuffer) {
    return data as Float32Array<ArrayBuffer> // narrowed by the instanceof check just above
  }
  return Float32Array.from(data)
}

export interface UpdateCopy {
  readonly src: GPUBuffer
  readonly srcOffset: number
  readonly dst: GPUBuffer
  readonly dstOffset: number
  readonly bytes: number
  /** Where a resident source is copied first, so updates that read each other stay old. */
  readonly stage?: GPUBuffer
}

export function updateCopies(device: GPUDevice, gpu: GpuPlan, res: Resources): UpdateCopy[] {
  return gpu.program.outputs.flatMap((o) => {
    const target = o.updates === undefined ? undefined : res.residents.get(o.updates)
    if (target === undefined) return []
    const [dst, dstOffset] = [target.buffer, target.offset]
    const [src, srcOffset] = [res.bufferOf(o.id), res.offsetOf(o.id)]
    const bytes = numel(gpu.shapeOf(o.id)) * 4
    if (bytes === 0 || (src === dst && srcOffset === dstOffset)) return []
    const copy = { src, srcOffset, dst, dstOffset, bytes }
    if (gpu.buffers.bufferOf.has(o.id)) return [copy]
    const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST
    return [{ ...copy, stage: device.createBuffer({ size: bytes, usage }) }]
  })
}
