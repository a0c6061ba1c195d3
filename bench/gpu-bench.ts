// The GPU half of `npm run bench`: builds and opens bench/gpu's page in headless Chromium with
// WebGPU, and runs each GPU contender on each shape there, one at a time, in this run.

import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { openStaticPage } from '../e2e/static-page'
import type { BenchGlobal, GpuContender, GpuResult } from './gpu/api'
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

export type GpuBenchResult =
  | { adapter: { name: string; emulated: boolean }; rows: GpuRow[] }
  | { adapter: null; reason: string }

/** The engine's slowest kernels on `shape`, each timed alone (dispatch and wait included). */
async function printProfile(page: Page, shape: MlpShape): Promise<void> {
  const times = await page.evaluate(async (s) => {
    const bench = (globalThis as BenchGlobal).dendriteBench
    if (!bench) throw new Error('the bench page did not load')
    return bench.profile(s)
  }, shape)
  const total = times.reduce((sum, t) => sum + t.ms, 0)
  console.log(
    `  engine-webgpu ${shape.name}: ${times.length} kernels, ${total.toFixed(1)} ms alone`,
  )
  for (const t of times.slice(0, 8)) console.log(`    ${t.ms.toFixed(2).padStart(9)} ms  ${t.name}`)
}

/** The adapter and a row per shape, or why there is no WebGPU. */
export async function runGpuBench(
  shapes: readonly MlpShape[],
  contenders: readonly GpuContender[],
  profile = false,
): Promise<GpuBenchResult> {
  execFileSync('node', ['scripts/build-webgpu-pages.mjs'], { cwd: repo, stdio: 'ignore' })
  const opened = await openStaticPage(resolve(repo, 'out/bench-gpu'), 'the GPU bench page build')
  try {
    const { page } = opened
    await page.waitForFunction(() => (globalThis as BenchGlobal).dendriteBench !== undefined)
    let adapter: { name: string; emulated: boolean }
    try {
      adapter = await page.evaluate(() => {
        const bench = (globalThis as BenchGlobal).dendriteBench
        if (!bench) throw new Error('the bench page did not load')
        return bench.init()
      })
    } catch (err) {
      return { adapter: null, reason: `no WebGPU in this Chromium: ${String(err)}` }
    }
    const rows: GpuRow[] = []
    for (const shape of shapes) {
      const row: GpuRow = { shape, results: new Map() }
      for (const contender of contenders) {
        const budget = budgetFor(shape)
        const result = await page.evaluate(
          async ([c, s, b]) => {
            const bench = (globalThis as BenchGlobal).dendriteBench
            if (!bench) throw new Error('the bench page did not load')
            return bench.run(c, s, b)
          },
          [contender, shape, budget] as const,
        )
        row.results.set(contender, result)
        const { stepsPerSecond: best, meanPerSecond: mean, bursts } = result.rate
        const line = `${best.toPrecision(4)} steps/s (mean ${mean.toPrecision(4)}, ${bursts} bursts)`
        console.log(`  ${shape.name.padEnd(26)} ${contender.padEnd(13)} ${line}`)
      }
      if (profile) await printProfile(page, shape)
      rows.push(row)
    }
    return { adapter, rows }
  } finally {
    await opened.close()
  }
}
