// Device memory for a kernel schedule: buffer liveness over the kernels as they run (fusion
// changes when values are made and last read, so the plan's per-equation liveness is redone per
// kernel with the same best-fit policy), and the device limits checked before anything is
// allocated, with messages that name the tensor and the sizes.

import { bestFit } from '../../passes'

export interface KernelIo {
  readonly reads: readonly number[]
  readonly writes: readonly number[]
}

export interface BufferPlan {
  /** Floats of each pooled buffer. */
  readonly sizes: readonly number[]
  /** The pooled buffer of every value a kernel writes. */
  readonly bufferOf: ReadonlyMap<number, number>
}

/**
 * For each value a kernel writes, the index of the last kernel that reads it (its writer's when
 * none does; Infinity for `keep`, the program outputs).
 */
export function lastReads(
  kernels: readonly KernelIo[],
  keep: ReadonlySet<number>,
): Map<number, number> {
  const last = new Map<number, number>()
  kernels.forEach((k, i) => {
    for (const id of k.writes) last.set(id, keep.has(id) ? Infinity : i)
    for (const id of k.reads) if (last.has(id) && last.get(id) !== Infinity) last.set(id, i)
  })
  return last
}

/**
 * Each kernel's writes take a free buffer (the smallest that fits without wasting more than
 * half) or a new one; a value's buffer is freed after the last kernel that reads it, never
 * before its own kernel ends, so no kernel reads and writes one buffer. `keep` (program
 * outputs) is never freed; `elsewhere` (updates written into their inputs) gets no buffer here.
 * A value of more than `pieceFloats` (bound in pieces) has a buffer of its own, so every other
 * value's buffer can be bound whole.
 */
export function planBuffers(
  kernels: readonly KernelIo[],
  floats: (id: number) => number,
  keep: ReadonlySet<number>,
  elsewhere: ReadonlySet<number> = new Set(),
  pieceFloats = Infinity,
): BufferPlan {
  const last = lastReads(kernels, keep)
  const sizes: number[] = []
  const free: number[] = []
  const bufferOf = new Map<number, number>()
  kernels.forEach((k, i) => {
    for (const id of k.writes) {
      if (elsewhere.has(id)) continue
      const need = Math.max(1, floats(id))
      const fit = need > pieceFloats ? undefined : bestFit(free, sizes, need)
      if (fit !== undefined) free.splice(free.indexOf(fit), 1)
      bufferOf.set(id, fit ?? sizes.push(need) - 1)
    }
    for (const [id, at] of last) {
      const b = bufferOf.get(id)
      if (at === i && b !== undefined && (sizes[b] ?? 0) <= pieceFloats) free.push(b)
    }
  })
  return { sizes, bufferOf }
}

export interface Allocation {
  /** What the buffer holds, for people: "param dense1.weight [784,128]". */
  readonly what: string
  readonly bytes: number
  /** Bound to kernels as a storage buffer (else only copied). */
  readonly storage: boolean
}

export interface DeviceLimits {
  readonly maxBufferSize: number
  readonly maxStorageBufferBindingSize: number
}

/**
 * The most a model may hold on the device in all: WebGPU does not tell a device's memory, so
 * this many of its largest buffers stands in for a sensible share of it.
 */
const SHARE_OF_BUFFERS = 4

/** A model over what the device allows: a fact about the model and the GPU, not a fault. */
export class DeviceLimitError extends Error {}

/** Throws before allocation when a buffer, or all of them, exceed what the device allows. */
export function checkLimits(allocs: readonly Allocation[], limits: DeviceLimits): void {
  const total = allocs.reduce((n, a) => n + a.bytes, 0)
  const budget = SHARE_OF_BUFFERS * limits.maxBufferSize
  if (total > budget) {
    const largest = allocs.reduce((m, a) => (a.bytes > m.bytes ? a : m))
    const [need, most] = sizes(total, budget)
    throw new DeviceLimitError(
      `webgpu: this model needs ${need} on the device, more than the ${most} ` +
        `it may take here (${SHARE_OF_BUFFERS} × maxBufferSize); the largest part is ` +
        `${largest.what} (${size(largest.bytes)}). Use a smaller batch or layer.`,
    )
  }
  for (const a of allocs) {
    if (a.bytes > limits.maxBufferSize) {
      const [need, most] = sizes(a.bytes, limits.maxBufferSize)
      throw new DeviceLimitError(
        `webgpu: ${a.what} needs ${need} in one buffer; this device allows ` +
          `${most} (maxBufferSize). Use a smaller batch or layer.`,
      )
    }
    if (a.storage && a.bytes > limits.maxStorageBufferBindingSize) {
      const [need, most] = sizes(a.bytes, limits.maxStorageBufferBindingSize)
      throw new DeviceLimitError(
        `webgpu: ${a.what} needs ${need} bound at once; this device binds at most ` +
          `${most} (maxStorageBufferBindingSize). ` +
          'Use a smaller batch or layer.',
      )
    }
  }
}

/**
 * Two sizes for people, with the digits it takes to tell them apart when they differ ("needs
 * 1.01 GiB; allows 1.00 GiB", not 1.0 and 1.0), and their bytes when even 3 decimals do not.
 */
function sizes(a: number, b: number): [string, string] {
  for (let digits = 1; digits <= 3; digits++) {
    const pair: [string, string] = [size(a, digits), size(b, digits)]
    if (pair[0] !== pair[1] || a === b) return pair
  }
  const exact = (n: number) => `${size(n, 3)} (${n.toLocaleString('en-US')} bytes)`
  return [exact(a), exact(b)]
}

function size(bytes: number, digits = 1): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB']
  let n = bytes
  let u = 0
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024
    u++
  }
  return u === 0 ? `${n} bytes` : `${n.toFixed(digits)} ${units[u] ?? ''}`
}
