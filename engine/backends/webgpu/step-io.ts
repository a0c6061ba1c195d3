// What moves around a step besides the kernels: feeds going in (written straight into their
// input for one step; for n recorded steps, written once into an upload buffer and copied into
// place before each step) and updates going out (outputs copied into the params and state they
// replace, staged when an update's value is itself a resident buffer).

import type { Feeds } from '../../ir'
import { numel } from '../../ir'
import type { GpuPlan } from './gpu-plan'
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

  constructor(
    private readonly device: GPUDevice,
    private readonly res: Resources,
  ) {}

  /** Copies values into a resident input now (ordered before later submissions). */
  writeNow(name: string, data: ArrayLike<number>): void {
    const r = this.resident(name, data)
    this.device.queue.writeBuffer(r.buffer, r.offset, asFloat32(data))
  }

  /** Prepares the feeds of the next n recorded steps. */
  stage(n: number, feedsAt?: (k: number) => Feeds | undefined): void {
    this.perStep = []
    if (feedsAt === undefined) return
    if (n === 1) {
      for (const [name, data] of entries(feedsAt(0))) this.writeNow(name, data)
      return
    }
    const items = Array.from({ length: n }, (_, k) => entries(feedsAt(k)))
    const total = items.reduce((s, list) => s + list.reduce((t, [, d]) => t + d.length, 0), 0)
    const host = new Float32Array(total)
    let at = 0
    this.perStep = items.map((list) =>
      list.map(([name, data]) => {
        const r = this.resident(name, data)
        host.set(asFloat32(data), at)
        const copy = { offset: at * 4, dst: r.buffer, dstOffset: r.offset, bytes: data.length * 4 }
        at += data.length
        return copy
      }),
    )
    if (total > 0) this.device.queue.writeBuffer(this.ensure(total * 4), 0, host)
  }

  /** Copies step k's staged feeds into their inputs. */
  encode(encoder: GPUCommandEncoder, k: number): void {
    const upload = this.upload
    if (upload === null) return
    for (const c of this.perStep[k] ?? []) {
      if (c.bytes > 0) encoder.copyBufferToBuffer(upload, c.offset, c.dst, c.dstOffset, c.bytes)
    }
  }

  destroy(): void {
    this.upload?.destroy()
  }

  private resident(name: string, data: ArrayLike<number>): { buffer: GPUBuffer; offset: number } {
    const r = this.res.residents.get(name)
    if (r === undefined) throw new Error(`webgpu: no input named ${name}`)
    if (data.length !== r.floats) {
      throw new Error(`webgpu: ${name} takes ${r.floats} values, got ${data.length}`)
    }
    return r
  }

  private ensure(bytes: number): GPUBuffer {
    if (this.upload !== null && this.upload.size >= bytes) return this.upload
    this.upload?.destroy()
    this.upload = this.device.createBuffer({
      size: Math.max(16, 2 ** Math.ceil(Math.log2(bytes))),
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
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
