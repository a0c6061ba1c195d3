// Training on the WebGPU backend against the CPU reference in headless Chromium (SwiftShader
// where there is no GPU): training curves follow the CPU's within 1e-3, steps looped in one
// dispatch end where the CPU's do, sessions gather batches on the device, and the loss is read
// back at the readback rate, not the step rate; the engine host trains a sample on WebGPU
// through the protocol as it does on the CPU, honours a forced backend, names a diverging
// layer, carries on past a lost device, and reports and keeps the tuner's timings. The
// primitives themselves are webgpu-vs-cpu.spec.ts. Needs out/webgpu-harness
// (node scripts/build-webgpu-pages.mjs).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import type { CurveReport, HostRunReport, ProjectJson } from './webgpu/api'
import {
  CURVES,
  CURVE_TOLERANCE,
  curveError,
  curveHow,
  curveLine,
  relativeDiff,
  wholeTiles,
} from './webgpu/cases'
import { useHarnessPage } from './webgpu-page'

const harness = useHarnessPage()

for (const [model, steps, options = {}] of CURVES) {
  const how = curveHow(options)
  test(`${model}${how}: ${steps} training steps follow the CPU's loss curve`, async () => {
    test.setTimeout(180_000)
    const r: CurveReport = await harness('trainCurves', model, steps, options)
    if (options.wholeStep === false) expect(r.dispatchesPerStep).toBe(r.kernels)
    if (options.bindingBytes !== undefined) expect(r.pieced).toBeGreaterThan(0)
    if (options.wholeStepLanes !== undefined) expect(r.dispatchesPerStep).toBe(1)
    if (options.splitProducts === true) expect(r.split.length).toBeGreaterThan(0)
    if (wholeTiles(options)) expect(r.depthSums).toBeGreaterThan(0)
    console.log(curveLine(`${model}${how}`, r))
    expect(r.gpu.length).toBe(steps)
    const worst = curveError(r)
    expect(worst.error, worst.at).toBeLessThanOrEqual(CURVE_TOLERANCE)
  })
}

for (const whole of [true, false]) {
  const how = whole ? 'looped inside one dispatch' : 'a dispatch per kernel, reports in the last'
  test(`steps on a fixed batch (${how}) end where the CPU does`, async () => {
    const r = await harness('loopSteps', 50, whole)
    console.log(`loop: ${r.dispatchesPerStep} dispatches a step; loss ${r.loss.join(' / ')}`)
    if (whole) expect(r.dispatchesPerStep).toBe(1)
    else expect(r.dispatchesPerStep).toBeGreaterThan(1)
    near(r.loss[0], r.loss[1], CURVE_TOLERANCE)
    expect(r.checks.length).toBeGreaterThan(0)
    for (const [gpu, cpu] of r.checks) near(gpu, cpu, CURVE_TOLERANCE)
    expect(r.weightError).toBeLessThanOrEqual(CURVE_TOLERANCE)
  })
}

for (const model of ['spiral', 'mnist-mlp'] as const) {
  test(`${model}: a session gathers its batches on the device and trains as the CPU does`, async () => {
    test.setTimeout(120_000)
    const r = await harness('sessionGather', model, 60)
    console.log(
      `${model}: gathered ${r.gathers}; loss ${r.loss.join(' / ')}; weights ±${r.weightError}`,
    )
    expect(r.gathers).toBe(true)
    expect(r.steps).toEqual([60, 60])
    near(r.loss[0], r.loss[1], CURVE_TOLERANCE)
    expect(r.weightError).toBeLessThanOrEqual(CURVE_TOLERANCE)
  })
}

test('the loss comes back at the readback rate, not the step rate', async () => {
  const r = await harness('countMaps', 100, 50)
  expect(r.loss.length).toBe(100)
  expect(r.mapAsyncCalls).toBeLessThanOrEqual(r.reads)
  expect(r.mapAsyncCalls).toBeLessThanOrEqual(2)
})

const spiral = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../assets/examples/spiral.json'), 'utf8'),
) as ProjectJson

const hostRun = (backend: 'auto' | 'webgpu' | 'cpu', steps: number): Promise<HostRunReport> =>
  harness('hostRun', spiral, backend, steps)

const near = (gpu: number | undefined, cpu: number | undefined, tolerance: number): void => {
  expect(gpu, `gpu ${gpu} cpu ${cpu}`).toBeDefined()
  expect(relativeDiff(gpu, cpu), `gpu ${gpu} cpu ${cpu}`).toBeLessThanOrEqual(tolerance)
}

test('the engine host trains the spiral sample on WebGPU as it does on the CPU', async () => {
  test.setTimeout(180_000)
  const gpu = await hostRun('webgpu', 200)
  const cpu = await hostRun('cpu', 200)
  console.log(
    `host on ${gpu.backend.name} (${gpu.backend.adapter ?? '?'}): ${gpu.ms.toFixed(0)} ms, ` +
      `${gpu.stepMapAsyncCalls} mapAsync calls for 200 steps; cpu ${cpu.ms.toFixed(0)} ms; ` +
      `loss ${gpu.stepped.loss.toFixed(5)} / ${cpu.stepped.loss.toFixed(5)}, ` +
      `test ${gpu.test.loss.toFixed(5)} / ${cpu.test.loss.toFixed(5)}`,
  )
  expect(gpu.backend).toEqual({ name: 'webgpu', adapter: expect.stringMatching(/swiftshader/i) })
  expect(cpu.backend).toEqual({ name: 'cpu' })
  for (const r of [gpu, cpu]) {
    expect(r.steppedTo).toBe(200)
    expect(r.trainedTo).toBe(400)
    expect(r.trainReason).toBe('reached')
    expect(r.progressEvents).toBeGreaterThan(0)
    expect(r.weightsFinite).toBe(true)
    expect(r.restoredTest).toEqual(r.test)
  }
  // The mean training metrics of the 200 steps, then evaluation after 200 more (trainLoop).
  near(gpu.stepped.loss, cpu.stepped.loss, CURVE_TOLERANCE)
  expect(Math.abs((gpu.stepped.accuracy ?? NaN) - (cpu.stepped.accuracy ?? NaN))).toBeLessThan(0.01)
  near(gpu.train.loss, cpu.train.loss, CURVE_TOLERANCE)
  near(gpu.test.loss, cpu.test.loss, CURVE_TOLERANCE)
  expect(Math.abs((gpu.test.accuracy ?? NaN) - (cpu.test.accuracy ?? NaN))).toBeLessThan(0.02)
  expect(gpu.plane.length).toBe(cpu.plane.length)
  // Steps are read back once per piece (at most an epoch of 25 steps here), never per step.
  expect(gpu.stepMapAsyncCalls).toBeLessThanOrEqual(200 / 25 + 1)
})

test('forcing the CPU trains on the CPU; auto passes over an emulated GPU, saying why', async () => {
  test.setTimeout(120_000)
  const forced = await hostRun('cpu', 25)
  expect(forced.backend).toEqual({ name: 'cpu' })
  const auto = await hostRun('auto', 25)
  // SwiftShader is a CPU emulation of WebGPU: the CPU backend trains faster, so auto takes it.
  expect(auto.backend).toEqual({
    name: 'cpu',
    reason: expect.stringMatching(/swiftshader.*emulates/),
  })
  expect(auto.stepped).toEqual(forced.stepped)
})

test('a run that diverges on WebGPU names the layer and keeps finite weights', async () => {
  const r = await harness('hostDiverge', 'webgpu')
  expect(r.backend).toBe('webgpu')
  expect(r.divergence).toMatchObject({ node: 'dense1', step: 1 })
  expect(r.divergence?.message).toContain('Training stopped at step 1')
  expect(r.step).toBe(0)
  expect(r.weightsFinite).toBe(true)
})

for (const gather of [true, false]) {
  test(`a session that diverges mid-epoch names the layer as the CPU does (${gather ? 'gathered' : 'uploaded'} batches)`, async () => {
    const r = await harness('sessionDiverge', gather)
    expect(r.gathers).toBe(gather)
    const [gpu, cpu] = r.divergence
    expect(cpu).toMatchObject({ step: 7, node: 'dense2' })
    expect(gpu).toMatchObject({ step: 7, node: 'dense2' })
    expect(gpu?.message).toContain('The weights went back to step 5.')
    expect(r.step).toBe(5)
    expect(r.weightsFinite).toBe(true)
  })
}

test('a lost GPU device: training carries on from the checkpoint on a new one, then on the CPU', async () => {
  test.setTimeout(120_000)
  const r = await harness('hostLoseDevice', spiral, 40)
  console.log(`device lost: ${r.notice ?? 'no notice'}; then: ${r.second.notice ?? 'no notice'}`)
  // 40 steps (an epoch is 25: checkpoint at 25), the loss, then 40 more from that checkpoint.
  expect(r.before).toBe(40)
  expect(r.notice).toMatch(/GPU device was lost \(.+\); training resumed on a new device/)
  expect(r.notice).toContain('from the checkpoint at step 25')
  expect(r.after).toBe(65)
  expect(r.devices).toBe(2)
  expect(Number.isFinite(r.loss)).toBe(true)
  expect(r.weightsFinite).toBe(true)
  // Lost again: on the CPU from the last checkpoint (step 50, an epoch's end), 40 more steps.
  expect(r.second.backend).toBe('cpu')
  expect(r.second.notice).toMatch(
    /GPU device was lost again \(.+\)\. Training continues on the CPU from the checkpoint at step 50\./,
  )
  expect(r.second.step).toBe(90)
  expect(Number.isFinite(r.second.loss)).toBe(true)
  expect(r.second.weightsFinite).toBe(true)
})

test('a load whose products the tuner times tells the studio how far it is', async () => {
  // 1.7 to 2.9 minutes on SwiftShader on this shared machine: a guard against hangs.
  test.setTimeout(360_000)
  const r = await harness('hostTuning')
  console.log(`tuning events: ${JSON.stringify(r.tuning)}, then step ${r.step}, loss ${r.loss}`)
  expect(r.backend.name).toBe('webgpu')
  expect(r.tuning).toEqual([
    [0, 3],
    [1, 3],
    [2, 3],
    [3, 3],
  ])
  expect(r.step).toBe(2)
  expect(Number.isFinite(r.loss)).toBe(true)
})

test("the tuner's choices, kept in IndexedDB, spare another device of the adapter its timings", async () => {
  test.setTimeout(120_000)
  const r = await harness('keptTuning')
  console.log(`kept tuning: timed ${r.timed.join(' then ')} choices`)
  expect(r.timed[0]).toBeGreaterThan(0)
  expect(r.timed[1]).toBe(0)
  expect(r.same).toBe(true)
})
