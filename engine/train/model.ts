// Compiles a graph into the executables a training session runs: one training step (forward,
// loss with penalties, gradients, optimizer update, finiteness checks per node) and inference
// programs per batch size, all over the same named parameters.
import type { ModelGraph } from '../graph/model-graph'
import { getLayer } from '../graph/registry'
import type { Program } from '../ir'
import { ProgramBuilder } from '../ir'
import type { LoweredGraph } from '../lower/lower-graph'
import { LOSS_OUTPUT, lowerGraph, probeOutput } from '../lower/lower-graph'
import { buildTrainStep } from '../optim/train-step'
import { addPenalty } from '../optim/regularize'
import type { CompiledPlan, PassText } from '../passes'
import { compile, printed } from '../passes'
import type { CpuExecutable } from '../backends/cpu'
import { createCpuExecutable } from '../backends/cpu'
import type { TrainSettings } from './settings'

/** Output holding NaN when any value of a node's output is NaN or infinite. */
export const checkOutput = (node: string): string => `check:${node}`

export interface ModelSummary {
  parameters: number
  /** FLOPs of one training step (forward, backward, update). */
  flopsPerStep: number
  plannedBytes: number
  naiveBytes: number
  /**
   * Printed IR (the symbolic approach, shown): the forward program as the layers lowered to it,
   * then the training step (its gradients and optimizer update added) after every pass.
   */
  forwardIr: PassText
  trainIr: readonly PassText[]
}

/** The training step compiled to a plan, before any backend makes an executable of it. */
export interface ModelPlan {
  readonly lowered: LoweredGraph
  readonly plan: CompiledPlan
  readonly summary: ModelSummary
  /** Nodes in order, each with a finiteness check output in the training step. */
  readonly checkedNodes: readonly string[]
}

export interface CompiledModel extends ModelPlan {
  readonly train: CpuExecutable
}

/** The training step on the CPU backend (the WebGPU session makes its own from the plan). */
export function compileModel(graph: ModelGraph, settings: TrainSettings): CompiledModel {
  const planned = planModel(graph, settings)
  return { ...planned, train: createCpuExecutable(planned.plan) }
}

export function planModel(graph: ModelGraph, settings: TrainSettings): ModelPlan {
  const checked = graph.nodes.filter((n) => !isLossType(graph, n.id)).map((n) => n.id)
  const lowered = lowerGraph(graph, {
    batch: settings.batchSize,
    training: true,
    seed: settings.seed,
    probe: checked,
  })
  const forward = withPenalties(lowered, settings)
  const step = withChecks(
    buildTrainStep(forward, {
      optimizer: settings.optimizer,
      ...(settings.clipNorm === undefined ? {} : { clipNorm: settings.clipNorm }),
    }),
    checked,
  )
  const plan = compile(step)
  return {
    lowered,
    plan,
    checkedNodes: checked.filter((id) =>
      plan.program.outputs.some((o) => o.name === checkOutput(id)),
    ),
    summary: {
      parameters: plan.stats.parameters,
      flopsPerStep: plan.stats.flops,
      plannedBytes: plan.stats.plannedBytes,
      naiveBytes: plan.stats.naiveBytes,
      forwardIr: printed('forward', forward),
      trainIr: plan.trace,
    },
  }
}

/** An inference executable for `batch` examples, optionally returning nodes' outputs. */
export function compileInference(
  graph: ModelGraph,
  batch: number,
  seed: number,
  probe: readonly string[] = [],
): { lowered: LoweredGraph; exe: CpuExecutable } {
  const lowered = lowerGraph(graph, { batch, training: false, seed, probe })
  return { lowered, exe: createCpuExecutable(compile(lowered.program)) }
}

function isLossType(graph: ModelGraph, id: string): boolean {
  const node = graph.nodes.find((n) => n.id === id)
  return node !== undefined && getLayer(node.type)?.family === 'losses'
}

/** loss + Σ per-weight L1/L2 (each layer's own plus the settings' global ones). */
function withPenalties(lowered: LoweredGraph, settings: TrainSettings): Program {
  const b = new ProgramBuilder(lowered.program)
  let loss = b.named(LOSS_OUTPUT)
  for (const slot of lowered.params) {
    if (slot.key !== 'weight') continue
    const l1 = slot.l1 + settings.l1
    const l2 = slot.l2 + settings.l2
    if (l1 > 0 || l2 > 0) loss = addPenalty(b, loss, [b.named(slot.name)], l1, l2)
  }
  b.output(LOSS_OUTPUT, loss)
  return b.build()
}

/** Replaces each probed node output by a scalar that is NaN when any of its values is not finite. */
function withChecks(step: Program, nodes: readonly string[]): Program {
  const b = new ProgramBuilder(step)
  for (const id of nodes) {
    const name = probeOutput(id)
    if (!step.outputs.some((o) => o.name === name)) continue
    const v = b.named(name)
    b.output(
      checkOutput(id),
      b.sum(
        b.mul(v, 0),
        v.shape.map((_, i) => i),
      ),
    )
  }
  const built = b.build()
  return { ...built, outputs: built.outputs.filter((o) => !o.name.startsWith('node:')) }
}
