// The compile-only test: every program the backend generates for the zoo's training steps (and
// their inference programs), with either matmul variant, products split along their depth and
// values bound in pieces,
// becomes a shader module and a pipeline, and its compilation messages are collected; a clean
// zoo has none. Nothing runs.

import { TILES, compileProblems, planWebGpu, splitEveryProduct } from '../../engine/backends/webgpu'
import type { WgslProgram } from '../../engine/backends/webgpu'
import type { CompiledPlan } from '../../engine/passes'
import { compile } from '../../engine/passes'
import { compileModel } from '../../engine/train/model'
import { lowerGraph } from '../../engine/lower/lower-graph'
import type { ZooReport } from './api'
import { zooModels } from './models'

/** Floats of a piece in the pieced variant: small, so the zoo's larger layers take several. */
const PIECE = 64 * 1024

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
      // Both matmul variants: tiles for real GPUs, direct reads for CPU emulations; tiles with
      // every product's depth split; and tiles with values over 256 KiB bound in pieces (only
      // the programs that bind some).
      const products = splitEveryProduct(plan.program, TILES.square8)
      const split = planWebGpu(plan, { maxBindings, products }).programs
      const programs = [
        ...[true, false].flatMap(
          (tiledMatmul) => planWebGpu(plan, { maxBindings, tiledMatmul }).programs,
        ),
        ...split,
        ...piecedPrograms(plan, maxBindings),
      ]
      const problems = await compileProblems(device, programs)
      const pieced = programs.filter((g) => g.pieces !== undefined).length
      reports.push({ graph: `${m.name}: ${what}`, programs: programs.length, pieced, problems })
    }
  }
  return reports
}

/**
 * The programs binding a value in pieces, or none where a kernel would need more bindings than
 * the device has (the plan says so, as a session would be told).
 */
function piecedPrograms(plan: CompiledPlan, maxBindings: number): WgslProgram[] {
  try {
    return planWebGpu(plan, { maxBindings, pieceFloats: PIECE }).programs.filter((g) => g.pieces)
  } catch (err) {
    if (String(err).includes('takes one per piece')) return []
    throw err
  }
}
