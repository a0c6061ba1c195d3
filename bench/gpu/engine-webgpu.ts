// This engine's WebGPU backend as a bench contender: the same plan a training session makes
// (planModel over the bench graph), weights initialised as the CPU contender's, the batch
// written once into its device-resident inputs, and steps recorded many per submission, as the
// GPU session records them. A call of run() records one submission and waits for the one
// before it.
/// <reference types="@webgpu/types" />

import { createWebGpuExecutable } from '../../engine/backends/webgpu'
import type { WebGpuExecutable } from '../../engine/backends/webgpu'
import type { EngineChoice } from './api'
import { initialValues } from '../../engine/lower/init'
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT } from '../../engine/lower/lower-graph'
import { hostScalarFeeds } from '../../engine/optim/optimizers'
import { LR_INPUT } from '../../engine/optim/train-step'
import { planModel } from '../../engine/train/model'
import { tileGrid } from '../tile-grid'
import { createRng } from '../../engine/util/rng'
import { engineGraph } from '../engine-graph'
import type { Batch, MlpShape } from '../shapes'

export interface EngineWebGpu {
  run(): Promise<void>
  sync(): Promise<void>
  readonly perCall: number
  loss(): Promise<number>
  readonly kernels: number
  readonly dispatches: number
  readonly flops: number
  /** Milliseconds the executable took to make: on a GPU, the tuner's timings (tune.ts) too. */
  readonly readyMs: number
  /**
   * Milliseconds per kernel of one step, each waited for (where the time goes); a tiled
   * product's name ends with its tile and parts, as the tuner chose them.
   */
  profile(): Promise<{ name: string; ms: number }[]>
  dispose(): void
}

/**
 * Steps per submission: about `seconds` of work, timed here on this device (so a fast GPU is
 * not measured waiting for each step), at most 2048. The trial doubles its steps until they
 * take a tenth of that, so a submission's own cost does not pass for the steps'.
 */
export async function stepsPerSubmission(exe: WebGpuExecutable, seconds = 0.05): Promise<number> {
  exe.steps(1)
  await exe.done()
  for (let n = 1; ; n *= 2) {
    const t0 = performance.now()
    exe.steps(n)
    await exe.done()
    const elapsed = (performance.now() - t0) / 1000
    if (elapsed >= seconds / 10 || n >= MAX_STEPS) {
      return Math.max(1, Math.min(MAX_STEPS, Math.floor((seconds * n) / elapsed)))
    }
  }
}

const MAX_STEPS = 2048

/** A kernel's name, and for a tiled product its form and tile ("NT:0:64x64x16/8x8, 4 parts"). */
function described(exe: WebGpuExecutable, name: string): string {
  const g = exe.programs.find((p) => p.name === name)
  const tile = g?.key.match(/matmul:tiled:([^|]*)/)?.[1]
  if (g === undefined || tile === undefined) return name
  const parts = tile.includes(':parts') ? `, ${g.workgroups[2]} parts` : ''
  return `${name} [${tile.replace(':parts', '')}${parts}]`
}

export async function engineWebGpu(
  device: GPUDevice,
  shape: MlpShape,
  batch: Batch,
  engine: EngineChoice = {},
): Promise<EngineWebGpu> {
  const { graph, settings } = engineGraph(shape)
  const model = planModel(graph, settings)
  const options = {
    ...(engine.wholeStep === true ? { wholeStep: true, tiledMatmul: false } : {}),
    ...(engine.lanes === undefined ? {} : { wholeStepLanes: engine.lanes }),
    ...(engine.grid === true ? { tuning: { tiles: tileGrid() } } : {}),
  }
  const asked = performance.now()
  const exe = await createWebGpuExecutable(model.plan, device, options)
  const readyMs = performance.now() - asked
  const rng = createRng(1)
  for (const slot of [...model.lowered.params, ...model.lowered.state]) {
    exe.write(slot.name, initialValues(slot.init, slot.shape, rng))
  }
  exe.write(DATA_INPUT, batch.x)
  exe.write(TARGET_INPUT, batch.target)
  exe.write(LR_INPUT, [shape.lr])
  const scalars = hostScalarFeeds(settings.optimizer, 1)
  for (const [name, value] of Object.entries(scalars)) exe.write(name, value)
  const perCall = await stepsPerSubmission(exe)
  // One submission queued behind the one running, so the device never waits for the next to
  // be recorded.
  let running: Promise<void> = Promise.resolve()
  return {
    run: async () => {
      const before = running
      exe.steps(perCall)
      running = exe.done()
      await before
    },
    sync: () => exe.done(),
    perCall,
    loss: async () => (await exe.read(LOSS_OUTPUT))[0] ?? NaN,
    kernels: exe.programs.length,
    dispatches: exe.dispatchesPerStep,
    flops: model.plan.stats.flops,
    readyMs,
    profile: async () => (await exe.profile()).map((t) => ({ ...t, name: described(exe, t.name) })),
    dispose: () => exe.dispose(),
  }
}
