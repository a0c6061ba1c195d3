// The compile-only test: every program the backend generates for the zoo's training steps (and
// their inference programs), with either matmul variant, becomes a shader module and a
// pipeline, and its compilation messages are collected; a clean zoo has none. Nothing runs.

import { compileProblems, planWebGpu } from '../../engine/backends/webgpu'
import { compile } from '../../engine/passes'
import { compileModel } from '../../engine/train/model'
import { lowerGraph } from '../../engine/lower/lower-graph'
import type { ZooReport } from './api'
import { zooModels } from './models'

export async function compileZoo(device: GPUDevice): Promise<ZooReport[]> {
  const maxBindings = device.limits.maxStorageBuffersPerShaderStage
  const reports: ZooReport[] = []
  for (const m of zooModels()) {
    const train = compileModel(m.graph, m.settings).plan
    const infer = compile(lowerGraph(m.graph, { batch: 7, training: false, seed: 1 }).program)
    for (const [what, plan] of [
      ['training step', train],
      ['inference, batch 7', infer],
    ] as const) {
      // Both matmul variants: tiles for real GPUs, direct reads for CPU emulations.
      const programs = [true, false].flatMap(
        (tiledMatmul) => planWebGpu(plan, { maxBindings, tiledMatmul }).programs,
      )
      const problems = await compileProblems(device, programs)
      reports.push({ graph: `${m.name}: ${what}`, programs: programs.length, problems })
    }
  }
  return reports
}
