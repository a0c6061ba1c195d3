// `npm run bench:tiles`: each tiled-matmul block (engine/backends/webgpu/tiled.ts) timed on every
// matrix product of the bench's training steps, in Node on Dawn (the `webgpu` package), so the
// per-product choice (pickTile) can be checked against measurements on a real GPU. Prints
// GFLOP/s per product and tile, the best, what pickTile chooses, and the largest difference of
// any tile's result from the CPU backend's (relative to the result's largest magnitude), so a
// driver that miscompiles a tile shows here.
// Options: --shapes=0,1 (indices into SHAPES, default the largest); --ms=50 (burst length).

import { installDawn } from '../engine/backends/webgpu/dawn-node'
import { matmulDims } from '../engine/backends/webgpu/matmul'
import type { MatmulTile, TileName } from '../engine/backends/webgpu'
import {
  TILES,
  createWebGpuExecutable,
  pickTile,
  probeAdapter,
  requestDevice,
} from '../engine/backends/webgpu'
import { createCpuExecutable } from '../engine/backends/cpu'
import { ProgramBuilder } from '../engine/ir'
import { compile } from '../engine/passes'
import { planModel } from '../engine/train/model'
import { engineGraph } from './engine-graph'
import { stepsPerSubmission } from './gpu/engine-webgpu'
import { measure } from './measure'
import { pad } from './format'
import { SHAPES } from './shapes'

interface Product {
  readonly M: number
  readonly N: number
  readonly K: number
  readonly tA: boolean
  readonly tB: boolean
}

const label = (p: Product): string =>
  `${p.M}×${p.K}${p.tA ? 'ᵀ' : ''} · ${p.K}×${p.N}${p.tB ? 'ᵀ' : ''}`

function option(name: string): string | null {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  return arg === undefined ? null : (arg.split('=')[1] ?? '')
}

/** The distinct 2-D products of a bench shape's training step, as its plan has them. */
function productsOf(shapeIndex: number): Product[] {
  const shape = SHAPES[shapeIndex]
  if (shape === undefined) throw new Error(`no bench shape ${shapeIndex}`)
  const { graph, settings } = engineGraph(shape)
  const { program } = planModel(graph, settings).plan
  const shapes = new Map([...program.inputs, ...program.eqns].map((v) => [v.id, v.shape]))
  const seen = new Map<string, Product>()
  for (const e of program.eqns) {
    if (e.op !== 'matmul') continue
    const p = matmulDims(e, shapes.get(e.args[0] ?? -1) ?? [])
    seen.set(label(p), p)
  }
  return [...seen.values()]
}

/** The product as a program, its operands, and the CPU backend's result. */
function productProgram(p: Product) {
  const b = new ProgramBuilder()
  const a = b.input('a', p.tA ? [p.K, p.M] : [p.M, p.K])
  const bb = b.input('b', p.tB ? [p.N, p.K] : [p.K, p.N])
  b.output('y', b.matmul(a, bb, { transposeA: p.tA, transposeB: p.tB }))
  const plan = compile(b.build())
  const feeds = {
    a: Float32Array.from({ length: p.M * p.K }, (_, i) => Math.sin(i)),
    b: Float32Array.from({ length: p.K * p.N }, (_, i) => Math.cos(i)),
  }
  const cpu = createCpuExecutable(plan)
  cpu.step(feeds)
  return { plan, feeds, want: Float32Array.from(cpu.view('y')) }
}

/** Largest |got − want| over the largest |want|. */
function error(got: Float32Array, want: Float32Array): number {
  let [worst, scale] = [0, 1e-30]
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) || 0)
    if (Number.isNaN(got[i])) worst = Infinity
    scale = Math.max(scale, Math.abs(want[i] ?? 0))
  }
  return got.length === want.length ? worst / scale : Infinity
}

/**
 * GFLOP/s of `p` with `tile` (the fastest burst of about `ms`, over 3 × `ms`) and its result's
 * error against the CPU's.
 */
async function time(
  device: GPUDevice,
  p: Product,
  ref: ReturnType<typeof productProgram>,
  tile: MatmulTile,
  ms: number,
): Promise<{ gflops: number; error: number }> {
  const exe = await createWebGpuExecutable(ref.plan, device, {
    tiledMatmul: true,
    wholeStep: false,
    matmulTile: tile,
  })
  try {
    exe.step(ref.feeds)
    const err = error(await exe.read('y'), ref.want)
    const n = await stepsPerSubmission(exe, ms / 1000)
    const budget = { warm: 0, minWarm: 1, seconds: (3 * ms) / 1000, burst: 0 }
    const rate = await measure(
      () => exe.steps(n),
      budget,
      () => exe.done(),
      n,
    )
    return { gflops: (2 * p.M * p.N * p.K * rate.stepsPerSecond) / 1e9, error: err }
  } finally {
    exe.dispose()
  }
}

async function main(): Promise<void> {
  await installDawn()
  const probe = await probeAdapter()
  if (!probe.ok) throw new Error(`no WebGPU adapter: ${probe.reason}`)
  const device = await requestDevice(probe.adapter)
  const shapes = (option('shapes') ?? String(SHAPES.length - 1)).split(',').map(Number)
  const ms = Number(option('ms') ?? 50)
  const names = Object.keys(TILES) as TileName[]
  console.log(`Tiled matmuls, GFLOP/s (adapter: ${probe.name}); the fastest burst of ~${ms} ms`)
  const widths = [28, ...names.map(() => 8), 8, 8, 9]
  console.log(pad(['product', ...names, 'best', 'picked', 'error'], widths))
  for (const s of shapes) {
    for (const p of productsOf(s)) {
      const ref = productProgram(p)
      const rates: number[] = []
      let worst = 0
      for (const name of names) {
        const r = await time(device, p, ref, TILES[name], ms)
        rates.push(r.gflops)
        worst = Math.max(worst, r.error)
      }
      const best = names[rates.indexOf(Math.max(...rates))] ?? '?'
      const chosen = pickTile(p.M, p.N)
      const picked = names.find((n) => TILES[n] === chosen) ?? '?'
      const cells = [label(p), ...rates.map((r) => r.toPrecision(3)), best, picked]
      console.log(pad([...cells, worst.toExponential(1)], widths))
    }
  }
  device.destroy()
}

await main()
process.exit(0)
