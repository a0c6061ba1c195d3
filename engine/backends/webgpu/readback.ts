// Reading results back without stalling the queue: staging buffers (MAP_READ) are pooled by
// size and mapped asynchronously; a step log keeps one output of every step in a device ring,
// so a loss curve comes back in one mapping however many steps ran since the last read.

export interface Segment {
  readonly src: GPUBuffer
  readonly offset: number
  readonly bytes: number
}

export class StagingPool {
  private readonly free = new Map<number, GPUBuffer[]>()
  private readonly made: GPUBuffer[] = []

  constructor(private readonly device: GPUDevice) {}

  /** Copies the segments, one after another, and maps the copy: one submission, one mapAsync. */
  async read(segments: readonly Segment[]): Promise<Float32Array> {
    const bytes = segments.reduce((n, s) => n + s.bytes, 0)
    if (bytes === 0) return new Float32Array(0)
    const staging = this.take(bytes)
    const encoder = this.device.createCommandEncoder({ label: 'readback' })
    let at = 0
    for (const s of segments) {
      if (s.bytes === 0) continue
      encoder.copyBufferToBuffer(s.src, s.offset, staging, at, s.bytes)
      at += s.bytes
    }
    this.device.queue.submit([encoder.finish()])
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, bytes)
      const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0))
      staging.unmap()
      return out
    } finally {
      this.give(staging)
    }
  }

  destroy(): void {
    for (const b of this.made) b.destroy()
    this.free.clear()
  }

  private take(bytes: number): GPUBuffer {
    const size = Math.max(16, 2 ** Math.ceil(Math.log2(bytes)))
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

/** One output of every step, kept on the device until read. */
export interface StepLog {
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
    private readonly capacity: number,
    private readonly staging: StagingPool,
  ) {
    this.ring = device.createBuffer({
      size: Math.max(4, floats * capacity * 4),
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: 'step log',
    })
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
