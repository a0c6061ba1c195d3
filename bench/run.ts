// `npm run bench`: MLP training steps per second for this engine's CPU backend beside
// TensorFlow.js (cpu and wasm backends) and a hand-written loop MLP in Node, then for its WebGPU
// backend beside tfjs-webgpu and tfjs-webgl in headless Chromium; all measured in this run,
// shape by shape, with the ratios, peak GPU memory, and the issues' goals marked PASS or MISS.
// 'engine' may split big matmuls across two threads (worker_threads); 'engine-1t' may not.
// Options: --shapes=0,1 (indices into SHAPES); --only=engine,engine-1t,hand,tfjs-cpu,tfjs-wasm,
// engine-webgpu,tfjs-webgpu,tfjs-webgl; --profile (the WebGPU engine's slowest kernels);
// --node (the WebGPU half in this process on Dawn, for a machine with a GPU and no browser);
// --whole-step (the WebGPU engine runs each step as one dispatch with direct matmuls, the form
// it takes on CPU emulations, whatever the adapter); --lanes=N (invocations running a whole
// step's kernels: 4 suits SwiftShader, a GPU's best is unmeasured); --peak-tflops=N (the card's
// fp32 peak, for the real-GPU goal on the largest shape: an H100 SXM's is 67); --tiles=grid (the
// tuner chooses each product's tile from the grid of 112 in bench/tile-grid.ts, not from TILES:
// what better tiles would give, in the same run).

import { cpus } from 'node:os'
import { engineMlp } from './engine-mlp'
import { GPU_CONTENDERS, runGpuBench, runGpuBenchInNode } from './gpu-bench'
import type { GpuContender } from './gpu/api'
import { printGpuReport } from './gpu-report'
import { handwrittenMlp } from './handwritten-mlp'
import type { Rate } from './measure'
import { bytesPerStep } from './allocations'
import { measure } from './measure'
import { printReport } from './report'
import type { Contender, Row } from './report'
import { SHAPES, budgetFor, makeBatch } from './shapes'
import type { MlpShape } from './shapes'
import { tfjsMlp } from './tfjs-mlp'
import { useTfjs } from './tfjs-node'

const CONTENDERS: readonly Contender[] = ['engine', 'engine-1t', 'hand', 'tfjs-cpu', 'tfjs-wasm']

function option(name: string): string[] | null {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  return arg === undefined ? null : (arg.split('=')[1] ?? '').split(',')
}

/** Heap growth per step over about a second's worth of steps (not for the slowest shapes). */
function allocations(step: () => void, stepsPerSecond: number): number | null {
  return stepsPerSecond < 20
    ? null
    : bytesPerStep(step, Math.min(5000, Math.ceil(stepsPerSecond / 3)))
}

async function runOne(contender: Contender, shape: MlpShape, notes: Map<string, string>) {
  const batch = makeBatch(shape)
  const budget = budgetFor(shape)
  if (contender === 'engine' || contender === 'engine-1t') {
    const m = engineMlp(shape, batch, contender === 'engine')
    const threads = await m.threads()
    const kernels = m.simd ? `WebAssembly SIMD, ${threads} thread${threads > 1 ? 's' : ''}` : 'JS'
    notes.set(`${contender} ${shape.name}`, kernels)
    const rate = await measure(m.step, budget)
    const bytes = allocations(m.step, rate.stepsPerSecond)
    const result = { rate, loss: m.loss(), bytes, flops: m.flopsPerStep }
    m.dispose()
    return result
  }
  if (contender === 'hand') {
    const m = handwrittenMlp(shape)
    m.x.set(batch.x)
    m.target.set(batch.target)
    let loss = NaN
    const rate = await measure(() => void (loss = m.step()), budget)
    return { rate, loss, bytes: allocations(() => void m.step(), rate.stepsPerSecond) }
  }
  const backend = contender === 'tfjs-cpu' ? 'cpu' : 'wasm'
  notes.set(contender, await useTfjs(backend))
  const m = tfjsMlp(shape, batch)
  const rate: Rate = await measure(m.step, budget, () => void m.loss())
  const loss = m.loss()
  m.dispose()
  return { rate, loss, bytes: null }
}

async function main(): Promise<void> {
  const only = option('only')
  const picked = option('shapes')?.map(Number) ?? null
  const shapes = SHAPES.filter((_, i) => picked === null || picked.includes(i))
  const contenders = CONTENDERS.filter((c) => only === null || only.includes(c))
  const gpuContenders = GPU_CONTENDERS.filter((c) => only === null || only.includes(c))
  const notes = new Map<string, string>()
  const rows: Row[] = []
  console.log(`Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`)
  for (const shape of shapes) {
    const row: Row = { shape, results: new Map() }
    for (const c of contenders) {
      const r = await runOne(c, shape, notes)
      row.results.set(c, r)
      const { stepsPerSecond: best, meanPerSecond: mean, bursts } = r.rate
      const line = `${best.toPrecision(4)} steps/s (mean ${mean.toPrecision(4)}, ${bursts} bursts)`
      console.log(`  ${shape.name.padEnd(26)} ${c.padEnd(10)} ${line}`)
    }
    rows.push(row)
  }
  if (contenders.length > 0) printReport(rows, notes)
  if (gpuContenders.length > 0) await gpuHalf(shapes, gpuContenders)
}

/** --peak-tflops=N: the card's fp32 peak (WebGPU does not tell), for the real-GPU goal. */
function peakTflops(): number | null {
  const [value] = option('peak-tflops') ?? []
  const n = Number(value)
  if (value === undefined) return null
  if (!(n > 0))
    throw new Error(`--peak-tflops: expected a positive number of TFLOP/s, got "${value}"`)
  return n
}

/** --lanes=N: invocations running a whole step's kernels (1 to 64; the engine's default: 4). */
function wholeStepLanes(): number | null {
  const [value] = option('lanes') ?? []
  const n = Number(value)
  if (value === undefined) return null
  if (!(Number.isInteger(n) && n >= 1 && n <= 64))
    throw new Error(`--lanes: expected a whole number from 1 to 64, got "${value}"`)
  return n
}

/** --tiles=grid: the tuner's tiles (default TILES). */
function tileSet(): 'grid' | 'default' {
  const [value] = option('tiles') ?? []
  if (value === undefined) return 'default'
  if (value !== 'grid') throw new Error(`--tiles: expected "grid", got "${value}"`)
  return 'grid'
}

/** The WebGPU contenders, in headless Chromium or (--node) in this process on Dawn. */
async function gpuHalf(shapes: readonly MlpShape[], contenders: readonly GpuContender[]) {
  const inNode = process.argv.includes('--node')
  const profile = process.argv.includes('--profile')
  const lanes = wholeStepLanes()
  const engine = {
    wholeStep: process.argv.includes('--whole-step'),
    ...(lanes === null ? {} : { lanes }),
    ...(tileSet() === 'grid' ? { grid: true } : {}),
  }
  const where = inNode ? 'in Node, on Dawn' : 'in Chromium'
  const tiles = engine.grid === true ? ', the tuner choosing tiles from the grid of 112' : ''
  console.log(`\nWebGPU contenders ${where}${tiles}:`)
  const gpu = inNode
    ? await runGpuBenchInNode(shapes, contenders, profile, engine)
    : await runGpuBench(shapes, contenders, profile, engine)
  if (gpu.adapter === null) console.log(`WebGPU: not measured (${gpu.reason})`)
  else {
    const { name, emulated } = gpu.adapter
    printGpuReport(where, name, emulated, gpu.rows, gpu.card, peakTflops())
  }
}

await main()
// tfjs may leave timers or workers behind; the report is printed, so leave now.
process.exit(0)
