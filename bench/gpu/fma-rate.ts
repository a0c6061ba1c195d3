// The card's own fp32 rate, measured in the same run as the contenders: a kernel that does
// nothing but fused multiply-adds (eight independent vec4 chains an invocation, a million
// invocations) for about `seconds`. Timed at the bench's start and end, it tells a card that
// runs slowly (clocks held low, another load) from a slow engine: a GPU's rate moves with its
// state, and the engine's share of the datasheet peak moves with it.
/// <reference types="@webgpu/types" />

const WORKGROUP = 256
const WORKGROUPS = 4096
/** Independent vec4 chains an invocation runs: enough that no FMA waits on the one before. */
const CHAINS = 8
const FLOPS_PER_ITERATION = WORKGROUP * WORKGROUPS * CHAINS * 4 * 2

const chains = Array.from({ length: CHAINS }, (_, i) => i)

// b and c come from a uniform, so the compiler cannot fold the chains away.
const SOURCE = `
struct Params { iterations: u32, b: f32, c: f32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let b = vec4<f32>(u.b);
  let c = vec4<f32>(u.c);
  ${chains.map((i) => `var a${i} = vec4<f32>(f32(g.x + ${i}u));`).join('\n  ')}
  for (var i = 0u; i < u.iterations; i = i + 1u) {
    ${chains.map((i) => `a${i} = fma(a${i}, b, c);`).join('\n    ')}
  }
  out[g.x] = ${chains.map((i) => `a${i}`).join(' + ')};
}`

/** FLOP/s of the multiply-add kernel on `device`: the fastest of three timings. */
export async function fmaRate(device: GPUDevice, seconds = 0.05): Promise<number> {
  const module = device.createShaderModule({ code: SOURCE, label: 'fma-rate' })
  const pipeline = await device.createComputePipelineAsync({
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  })
  const params = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  })
  const out = device.createBuffer({
    size: WORKGROUP * WORKGROUPS * 16,
    usage: GPUBufferUsage.STORAGE,
  })
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: params } },
      { binding: 1, resource: { buffer: out } },
    ],
  })
  const time = async (iterations: number): Promise<number> => {
    device.queue.writeBuffer(params, 0, new Uint32Array([iterations]))
    device.queue.writeBuffer(params, 4, new Float32Array([0.999, 1e-3]))
    const encoder = device.createCommandEncoder()
    const pass = encoder.beginComputePass()
    pass.setPipeline(pipeline)
    pass.setBindGroup(0, group)
    pass.dispatchWorkgroups(WORKGROUPS)
    pass.end()
    const start = performance.now()
    device.queue.submit([encoder.finish()])
    await device.queue.onSubmittedWorkDone()
    return (performance.now() - start) / 1000
  }
  try {
    let iterations = 1
    while ((await time(iterations)) < seconds && iterations < 1 << 24) iterations *= 2
    const best = Math.min(await time(iterations), await time(iterations), await time(iterations))
    return (iterations * FLOPS_PER_ITERATION) / best
  } finally {
    params.destroy()
    out.destroy()
  }
}
