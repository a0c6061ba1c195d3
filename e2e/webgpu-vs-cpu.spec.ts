// The WebGPU backend against the CPU reference in headless Chromium (SwiftShader where there is
// no GPU): every primitive forward and backward within 1e-4 relative error, in every variant of
// its kernels (matmul's tiles and depth splits among them), and every generated program of a zoo
// of graphs compiles. Training on WebGPU is webgpu-training.spec.ts; the two files run in
// parallel workers. Needs out/webgpu-harness (node scripts/build-webgpu-pages.mjs).
import { expect, test } from '@playwright/test'
import { OP_NAMES } from '../engine/ir'
import type { OpReport } from './webgpu/api'
import { SKIP, opFailures } from './webgpu/cases'
import { useHarnessPage } from './webgpu-page'

const harness = useHarnessPage()

for (const op of OP_NAMES) {
  test(`${op}: forward and backward match the CPU`, async () => {
    test.skip(SKIP[op] !== undefined, SKIP[op] ?? '')
    // matmul runs its cases once per tile and depth split besides the direct and whole-step
    // forms (3.4 to 4.8 minutes on SwiftShader on this shared 2-core machine, a third of it the
    // double-buffered tiles). Timeouts here guard against hangs; they are not speed goals.
    test.setTimeout(op === 'matmul' ? 600_000 : 180_000)
    const report: OpReport = await harness('runOp', op)
    expect(report.cases.length, `${op} has no cases`).toBeGreaterThan(0)
    const whole = report.cases.filter((c) => c.whole).length
    expect(whole, `${op}: no case ran as a whole step`).toBeGreaterThan(0)
    const pieced = report.cases.filter((c) => c.pieced > 0).length
    const refused = report.cases.filter((c) => c.refused !== undefined)
    if (pieced + refused.length > 0) {
      console.log(`${op}: ${pieced} cases bound in pieces, ${refused.length} refused`)
    }
    if (op === 'matmul') {
      // Tiled, whole products make the depth sum the cases add (column-sums.ts).
      const sums = report.cases.filter((c) => c.depthSums > 0)
      expect(sums.length, 'no tiled product made its depth sum').toBeGreaterThan(16)
    }
    expect(opFailures(report)).toEqual([])
  })
}

test('every program of the zoo compiles without errors', async () => {
  test.setTimeout(120_000)
  const reports = await harness('compileZoo')
  const programs = reports.reduce((n, r) => n + r.programs, 0)
  const pieced = reports.reduce((n, r) => n + r.pieced, 0)
  console.log(`compiled ${programs} programs (${pieced} in pieces) for ${reports.length} plans`)
  expect(pieced).toBeGreaterThan(0)
  expect(reports.flatMap((r) => r.problems.map((p) => `${r.graph}: ${p.program}`))).toEqual([])
})
