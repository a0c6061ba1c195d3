// The GPU half of `npm run bench`: the contenders of bench/gpu run one at a time on each shape,
// in this run, either in headless Chromium (the bench page, built with the WebGPU harness) or,
// with --node, in this process on Dawn (the `webgpu` package): the way to measure a machine
// with a GPU and no browser. Node has no WebGL, so tfjs-webgl runs only in Chromium.

import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { installDawn } from '../engine/backends/webgpu/dawn-node'
import type { BenchGlobal, EngineChoice, GpuBench, GpuContender, GpuResult } from './gpu/api'
import type { MlpShape } from './shapes'
import { budgetFor } from './shapes'

export const GPU_CONTENDERS: readonly GpuContender[] = [
  'engine-webgpu',
  'tfjs-webgpu',
  'tfjs-webgl',
]

export interface GpuRow {
  readonly shape: MlpShape
  readonly results: Map<GpuContender, GpuResult>
}

const repo = resolve(import.meta.dirname, '..')

/** FLOP/s of the card's own multiply-add loop (fma-rate.ts) before and after the contenders. */
export interface CardRate {
  readonly start: number
  readonly end: number
}

export type GpuBenchResult =
  | { adapter: { name: string; emulated: boolean }; rows: GpuRow[]; card: CardRate }
  | { adapter: null; reason: string }

/** The card's rate at one end of the run, printed as it comes. */
async function cardRate(bench: GpuBench, when: string): Promise<number> {
  const rate = await bench.cardRate()
  console.log(`  card, ${when}: fp32 multiply-adds at ${(rate / 1e12).toPrecision(3)} TFLOP/s`)
  return rate
}

/**
 * The engine's slowest kernels on `shape`, each timed alone (back to back where quick), and
 * what as many dependent dispatches of an empty kernel take: the step's launches and waits.
 */
async function printProfile(bench: GpuBench, shape: MlpShape, engine: EngineChoice) {
  const times = await bench.profile(shape, engine)
  const total = times.reduce((sum, t) => sum + t.ms, 0)
  const launch = await bench.dispatchCost()
  console.log(
    `  engine-webgpu ${shape.name}: ${times.length} kernels, ${total.toFixed(1)} ms a step, each kernel timed alone;` +
      ` an empty dependent dispatch takes ${(launch * 1e6).toFixed(1)} µs here,` +
      ` ${times.length} of them ${(launch * times.length * 1e3).toFixed(3)} ms`,
  )
  for (const t of times.slice(0, 8)) console.log(`    ${t.ms.toFixed(2).padStart(9)} ms  ${t.name}`)
}

/** Every contender on every shape through `bench`, printing each rate as it comes. */
async function runRows(
  bench: GpuBench,
  shapes: readonly MlpShape[],
  contenders: readonly GpuContender[],
  profile: boolean,
  engine: EngineChoice,
): Promise<GpuBenchResult> {
  let adapter: { name: string; emulated: boolean }
  try {
    adapter = await bench.init()
  } catch (err) {
    return { adapter: null, reason: `no WebGPU here: ${String(err)}` }
  }
  const start = await cardRate(bench, 'before the contenders')
  const rows: GpuRow[] = []
  for (const shape of shapes) {
    const row: GpuRow = { shape, results: new Map() }
    for (const contender of contenders) {
      const result = await bench.run(contender, shape, budgetFor(shape), engine)
      row.results.set(contender, result)
      const { stepsPerSecond: best, meanPerSecond: mean, bursts } = result.rate
      const ready = result.readyMs === undefined ? '' : `, ready in ${result.readyMs.toFixed(0)} ms`
      const line = `${best.toPrecision(4)} steps/s (mean ${mean.toPrecision(4)}, ${bursts} bursts${ready})`
      console.log(`  ${shape.name.padEnd(26)} ${contender.padEnd(13)} ${line}`)
    }
    if (profile) await printProfile(bench, shape, engine)
    rows.push(row)
  }
  const end = await cardRate(bench, 'after them')
  return { adapter, rows, card: { start, end } }
}

/** In headless Chromium: the bench page, driven through page.evaluate. */
export async function runGpuBench(
  shapes: readonly MlpShape[],
  contenders: readonly GpuContender[],
  profile = false,
  engine: EngineChoice = {},
): Promise<GpuBenchResult> {
  execFileSync('node', ['scripts/build-webgpu-pages.mjs'], { cwd: repo, stdio: 'ignore' })
  // Loaded here, so that --node (on a machine with no browser) needs no Playwright.
  const { openStaticPage } = await import('../e2e/static-page')
  const opened = await openStaticPage(resolve(repo, 'out/bench-gpu'), 'the GPU bench page build')
  try {
    const { page } = opened
    await page.waitForFunction(() => (globalThis as BenchGlobal).dendriteBench !== undefined)
    // Each call runs in the page (page.evaluate sends the function's text, so each one finds
    // the page's bench itself).
    const bench: GpuBench = {
      init: () =>
        page.evaluate(() => {
          const b = (globalThis as BenchGlobal).dendriteBench
          if (!b) throw new Error('the bench page did not load')
          return b.init()
        }),
      cardRate: () =>
        page.evaluate(() => {
          const b = (globalThis as BenchGlobal).dendriteBench
          if (!b) throw new Error('the bench page did not load')
          return b.cardRate()
        }),
      dispatchCost: () =>
        page.evaluate(() => {
          const b = (globalThis as BenchGlobal).dendriteBench
          if (!b) throw new Error('the bench page did not load')
          return b.dispatchCost()
        }),
      profile: (shape, choice) =>
        page.evaluate(
          ([s, e]) => {
            const b = (globalThis as BenchGlobal).dendriteBench
            if (!b) throw new Error('the bench page did not load')
            return b.profile(s, e)
          },
          [shape, choice] as const,
        ),
      run: (contender, shape, budget, choice) =>
        page.evaluate(
          ([c, s, bb, e]) => {
            const b = (globalThis as BenchGlobal).dendriteBench
            if (!b) throw new Error('the bench page did not load')
            return b.run(c, s, bb, e)
          },
          [contender, shape, budget, choice] as const,
        ),
    }
    return await runRows(bench, shapes, contenders, profile, engine)
  } finally {
    await opened.close()
  }
}

/**
 * In this process, on Dawn's WebGPU (the `webgpu` package): whatever adapter the machine's
 * Vulkan (or Metal, D3D12) offers. tfjs-webgl is left out: Node has no WebGL.
 */
export async function runGpuBenchInNode(
  shapes: readonly MlpShape[],
  contenders: readonly GpuContender[],
  profile = false,
  engine: EngineChoice = {},
): Promise<GpuBenchResult> {
  await installDawn()
  const { gpuBench } = await import('./gpu/contenders')
  const inNode = contenders.filter((c) => c !== 'tfjs-webgl')
  if (inNode.length < contenders.length)
    console.log('  (tfjs-webgl: not in Node, which has no WebGL)')
  return runRows(gpuBench, shapes, inNode, profile, engine)
}
