// Batches gathered on the device: a table of examples (a training split's inputs) lives in a GPU
// buffer, and a step's feed for that input is its batch's row indices, written with the step's
// other feeds into the upload buffer; one small kernel per step copies those rows into the
// input. A piece of 256 MNIST steps then uploads 256 × 128 indices instead of 25 million floats.

import { debugFlag, printProgram } from './debug'
import { FLAT_INDEX, MAIN_PARAMS, WG, flatWorkgroups } from './program'

/** Bytes between per-step uniform blocks (WebGPU's dynamic-offset alignment). */
const SLOT = 256

const WGSL = `struct G {
  rows: u32,
  row_floats: u32,
  src: u32,
  dst: u32,
}
@group(0) @binding(0) var<uniform> g: G;
@group(0) @binding(1) var<storage, read> table: array<f32>;
@group(0) @binding(2) var<storage, read> upload: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;
@compute @workgroup_size(${WG}, 1, 1)
fn main(${MAIN_PARAMS}) {
  let i = ${FLAT_INDEX};
  if (i >= g.rows * g.row_floats) { return; }
  let row = u32(upload[g.src + i / g.row_floats]);
  dst[g.dst + i] = table[row * g.row_floats + i % g.row_floats];
}`

export interface GatherTarget {
  readonly buffer: GPUBuffer
  /** Bytes into the buffer where the input starts. */
  readonly offset: number
  /** Rows of a batch, and floats per row. */
  readonly rows: number
  readonly rowFloats: number
}

export class RowGather {
  private readonly table: GPUBuffer
  private readonly layout: GPUBindGroupLayout
  private readonly pipeline: GPUComputePipeline
  private uniforms: GPUBuffer | null = null
  private bindGroup: GPUBindGroup | null = null
  private boundUpload: GPUBuffer | null = null

  constructor(
    private readonly device: GPUDevice,
    examples: Float32Array,
    private readonly target: GatherTarget,
    readonly name: string,
  ) {
    if (examples.length % target.rowFloats !== 0) {
      throw new RangeError(`webgpu: ${name}'s table is not whole rows of ${target.rowFloats}`)
    }
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST
    const size = Math.max(16, examples.byteLength)
    this.table = device.createBuffer({ size, usage, label: name })
    device.queue.writeBuffer(
      this.table,
      0,
      examples.buffer,
      examples.byteOffset,
      examples.byteLength,
    )
    // Its one program is made here, not by pipelineFor: the debug flag prints it here.
    if (debugFlag('wgsl')) printProgram('gather rows', 'gather rows', WGSL)
    const module = device.createShaderModule({ code: WGSL, label: 'gather rows' })
    const storage = (type: GPUBufferBindingType, binding: number): GPUBindGroupLayoutEntry => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type },
    })
    this.layout = device.createBindGroupLayout({
      label: 'gather rows',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { hasDynamicOffset: true } },
        storage('read-only-storage', 1),
        storage('read-only-storage', 2),
        storage('storage', 3),
      ],
    })
    this.pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [this.layout] }),
      compute: { module, entryPoint: 'main' },
      label: 'gather rows',
    })
  }

  /** Step k (of n) reads its indices at float `at` of `upload`. */
  stage(upload: GPUBuffer, n: number, at: (k: number) => number): void {
    const bytes = Math.max(1, n) * SLOT
    if (this.uniforms === null || this.uniforms.size < bytes) {
      this.uniforms?.destroy()
      this.uniforms = this.device.createBuffer({
        size: bytes,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
        label: `${this.name} gather`,
      })
      this.bindGroup = null
    }
    if (this.boundUpload !== upload) this.bindGroup = null
    const data = new Uint32Array(bytes / 4)
    const { rows, rowFloats, offset } = this.target
    for (let k = 0; k < n; k++) data.set([rows, rowFloats, at(k), offset / 4], (k * SLOT) / 4)
    this.device.queue.writeBuffer(this.uniforms, 0, data)
    this.bindGroup ??= this.device.createBindGroup({
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: this.uniforms, size: 16 } },
        { binding: 1, resource: { buffer: this.table } },
        { binding: 2, resource: { buffer: upload } },
        { binding: 3, resource: { buffer: this.target.buffer } },
      ],
      label: `${this.name} gather`,
    })
    this.boundUpload = upload
  }

  /** Step k's gather, at the start of its compute pass. */
  encode(pass: GPUComputePassEncoder, k: number): void {
    if (this.bindGroup === null) throw new Error(`webgpu: ${this.name}'s gather is not staged`)
    pass.setPipeline(this.pipeline)
    pass.setBindGroup(0, this.bindGroup, [k * SLOT])
    pass.dispatchWorkgroups(...flatWorkgroups(this.target.rows * this.target.rowFloats))
  }

  destroy(): void {
    this.table.destroy()
    this.uniforms?.destroy()
  }
}
