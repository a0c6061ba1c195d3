// Counts the GPU memory a page's WebGPU code holds: every createBuffer adds its size, every
// first destroy() takes it away; peak() is the most held at once since reset(), above what was
// held at the reset (so one contender's leftovers do not count against the next).
/// <reference types="@webgpu/types" />

let live = 0
let base = 0
let most = 0
const sizes = new WeakMap<GPUBuffer, number>()

function watch(): void {
  const create = GPUDevice.prototype.createBuffer
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, desc: GPUBufferDescriptor) {
    const buffer = create.call(this, desc)
    sizes.set(buffer, desc.size)
    live += desc.size
    most = Math.max(most, live)
    return buffer
  }
  const destroy = GPUBuffer.prototype.destroy
  GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    live -= sizes.get(this) ?? 0
    sizes.delete(this)
    destroy.call(this)
  }
}

export const gpuMemory = {
  watch,
  reset(): void {
    base = live
    most = live
  },
  peak: (): number => most - base,
}
