// Reading results back without stalling the queue: staging buffers (MAP_READ) are pooled by
// size and mapped asynchronously; a step log keeps one output of every step in a device ring,
// so a loss curve comes back in one mapping however many steps ran since the last read.
// Whatever fails on the device (a buffer it refused, a submission it found invalid) is caught
// in an error scope and thrown as an Error saying what failed, never read as zeros.

export interface Segment {
  readonly src: GPUBuffer
  readonly offset: number
  readonly bytes: number
}

export class StagingPool {
  private readonly free = new Map<number, GPUBuffer[]>()
  private readonly made: GPUBuffer[] = []

  constructor(private readonly device: GPUDevice) {}

  /**
   * Copies the segments, one after another, and maps the copy: one submission, and one mapAsync
   * per staging buffer, each at most maxBufferSize (a large read takes several).
   */
  async read(segments: readonly Segment[]): Promise<Float32Array> {
    const bytes = segments.reduce((n, s) => n + s.bytes, 0)
    if (bytes === 0) return new Float32Array(0)
    const failed = scoped(this.device)
    const groups = pack(segments, Math.max(4, Math.floor(this.device.limits.maxBufferSize / 4) * 4))
    const encoder = this.device.createCommandEncoder({ label: 'readback' })
    const staged = groups.map((group) => {
      const size = group.reduce((n, s) => n + s.bytes, 0)
      const staging = this.take(size)
      let at = 0
      for (const s of group) {
        encoder.copyBufferToBuffer(s.src, s.offset, staging, at, s.bytes)
        at += s.bytes
      }
      return { staging, size }
    })
    this.device.queue.submit([encoder.finish()])
    const failure = failed()
    const mapped = staged.map(({ staging, size }) => staging.mapAsync(GPUMapMode.READ, 0, size))
    for (const m of mapped) m.catch(() => undefined)
    try {
      const why = await failure
      if (why !== null) throw new Error(`webgpu: reading back ${bytes} bytes failed: ${why}`)
      await Promise.all(mapped)
      const out = new Float32Array(bytes / 4)
      let at = 0
      for (const { staging, size } of staged) {
        out.set(new Float32Array(staging.getMappedRange(0, size)), at)
        staging.unmap()
        at += size / 4
      }
      return out
    } finally {
      for (const { staging } of staged) this.give(staging)
    }
  }

  destroy(): void {
    for (const b of this.made) b.destroy()
    this.free.clear()
  }

  /** A staging buffer of at least `bytes`: a power of two, or the most the device allows. */
  private take(bytes: number): GPUBuffer {
    const most = Math.max(bytes, this.device.limits.maxBufferSize)
    const size = Math.min(most, Math.max(16, 2 ** Math.ceil(Math.log2(bytes))))
    const buffer =
      this.free.get(size)?.pop() ??
      this.device.createBuffer({
        size,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        label: `staging ${size}`,
      })
    if (!this.made.includes(buffer)) this.made.push(buffer)
    return buffer
  }

  private give(buffer: GPUBuffer): void {
    if (buffer.mapState !== 'unmapped') return
    this.free.set(buffer.size, [...(this.free.get(buffer.size) ?? []), buffer])
  }
}

/**
 * The segments in groups of at most `most` bytes each, in order, a segment larger than that
 * split across groups.
 */
function pack(segments: readonly Segment[], most: number): Segment[][] {
  const groups: Segment[][] = [[]]
  let room = most
  for (const s of segments) {
    for (let at = 0; at < s.bytes;) {
      if (room === 0) {
        groups.push([])
        room = most
      }
      const bytes = Math.min(room, s.bytes - at)
      groups[groups.length - 1]?.push({ src: s.src, offset: s.offset + at, bytes })
      at += bytes
      room -= bytes
    }
  }
  return groups.filter((g) => g.length > 0)
}

/**
 * Opens validation and out-of-memory error scopes around what follows; the function it returns
 * closes them and resolves to the first error's message, or null when the device took it all.
 */
export function scoped(device: GPUDevice): () => Promise<string | null> {
  device.pushErrorScope('out-of-memory')
  device.pushErrorScope('validation')
  return async () => {
    const [invalid, memory] = await Promise.all([device.popErrorScope(), device.popErrorScope()])
    const error = invalid ?? memory
    return error === null ? null : error.message.split('\n')[0] || 'unknown error'
  }
}

/** One output of every step, kept on the device until read. */
export interface StepLog {
  /** Steps it keeps: fewer than asked for when as many would not fit the device. */
  readonly capacity: number
  /** Values logged since the last read (the latest `capacity` steps), step-major. */
  read(): Promise<Float32Array>
}

export class DeviceStepLog implements StepLog {
  private readonly ring: GPUBuffer
  private count = 0
  private start = 0

  constructor(
    device: GPUDevice,
    private readonly source: GPUBuffer,
    private readonly sourceOffset: number,
    private readonly floats: number,
    readonly capacity: number,
    private readonly staging: StagingPool,
  ) {
    this.ring = device.createBuffer({
      size: Math.max(4, floats * capacity * 4),
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: 'step log',
    })
  }

  /** Bytes its ring takes on the device. */
  get bytes(): number {
    return this.ring.size
  }

  /** Records the copy of this step's value into the ring. */
  append(encoder: GPUCommandEncoder): void {
    const slot = (this.start + this.count) % this.capacity
    const bytes = this.floats * 4
    encoder.copyBufferToBuffer(this.source, this.sourceOffset, this.ring, slot * bytes, bytes)
    if (this.count < this.capacity) this.count++
    else this.start = (this.start + 1) % this.capacity
  }

  async read(): Promise<Float32Array> {
    return this.staging.read(this.take())
  }

  /** The ring's unread part as segments in step order, marked read. */
  take(): Segment[] {
    const bytes = this.floats * 4
    const [start, count] = [this.start, this.count]
    this.start = (start + count) % this.capacity
    this.count = 0
    const first = Math.min(count, this.capacity - start)
    return [
      { src: this.ring, offset: start * bytes, bytes: first * bytes },
      { src: this.ring, offset: 0, bytes: (count - first) * bytes },
    ]
  }

  destroy(): void {
    this.ring.destroy()
  }
}
