// What one dispatch costs on its own, measured in the same run as the engine's profile: an empty
// kernel dispatched many times in one pass, each reading what the one before wrote, so the
// driver puts a barrier between them as it does between a training step's kernels. Beside the
// profile it says how much of a step is launches and waits rather than arithmetic.
/// <reference types="@webgpu/types" />

/** Dispatches in the shorter of the two timings; the longer has twice as many. */
const COUNT = 500

const SOURCE = `
@group(0) @binding(0) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  v[g.x] = v[g.x] + 1.0;
}`

/** Seconds a dependent dispatch of an empty kernel adds on `device`. */
export async function dispatchCost(device: GPUDevice): Promise<number> {
  const module = device.createShaderModule({ code: SOURCE, label: 'dispatch-cost' })
  const pipeline = await device.createComputePipelineAsync({
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  })
  const buffer = device.createBuffer({ size: 64 * 4, usage: GPUBufferUsage.STORAGE })
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer } }],
  })
  const time = async (n: number): Promise<number> => {
    const encoder = device.createCommandEncoder()
    const pass = encoder.beginComputePass()
    pass.setPipeline(pipeline)
    pass.setBindGroup(0, group)
    for (let i = 0; i < n; i++) pass.dispatchWorkgroups(1)
    pass.end()
    const start = performance.now()
    device.queue.submit([encoder.finish()])
    await device.queue.onSubmittedWorkDone()
    return (performance.now() - start) / 1000
  }
  const best = async (n: number): Promise<number> =>
    Math.min(await time(n), await time(n), await time(n))
  try {
    await time(COUNT)
    // The slope from COUNT to 2 × COUNT dispatches: what a submission costs whatever its
    // length cancels out.
    const [one, two] = [await best(COUNT), await best(2 * COUNT)]
    return Math.max(0, (two - one) / COUNT)
  } finally {
    buffer.destroy()
  }
}
