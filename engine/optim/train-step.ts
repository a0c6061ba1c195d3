// Builds a whole training step as one Program: forward + loss (+ penalties) → gradients
// (+ clipping) → optimizer updates. Updated params and optimizer state are outputs marked
// `updates`, so a backend stores them in place; the learning rate is the scalar input `lr`.
// There is no step counter in the program: no update reads one (Adam's bias corrections are
// host scalars, fed each step), and the sessions count steps on the host, so a counter would
// only cost a kernel a step.

import { addGradients } from '../autodiff'
import type { Program, Value } from '../ir'
import { assertValid, ProgramBuilder } from '../ir'
import type { OptimizerSpec } from './optimizers'
import { createOptimizer } from './optimizers'
import { addPenalty, clipByGlobalNorm } from './regularize'

export interface TrainStepOptions {
  readonly optimizer: OptimizerSpec
  /** Scalar output to minimise (default 'loss'); the step's 'loss' output includes penalties. */
  readonly loss?: string
  /** Params to train (default: every param input). */
  readonly params?: readonly string[]
  /** Clip gradients to this global norm; adds a `grad_norm` output. */
  readonly clipNorm?: number
  readonly l1?: number
  readonly l2?: number
}

/** Reserved input name of a training step. */
export const LR_INPUT = 'lr'

/**
 * Inputs added: `lr` (input, scalar) and one state per optimizer slot and param, named
 * `<slot>:<param>`. Outputs added: `next:<param>` and `next:<slot>:<param>`, each updating its
 * input.
 */
export function buildTrainStep(forward: Program, opts: TrainStepOptions): Program {
  const b = new ProgramBuilder(forward)
  const lossName = opts.loss ?? 'loss'
  const names = opts.params ?? forward.inputs.filter((i) => i.kind === 'param').map((i) => i.name)
  const params = names.map((n) => b.named(n))
  if (opts.l1 || opts.l2) {
    b.output(lossName, addPenalty(b, b.named(lossName), params, opts.l1 ?? 0, opts.l2 ?? 0))
  }
  const lr = b.input(LR_INPUT, [])
  let grads: readonly Value[] = addGradients(b, b.build(), lossName, names)
  if (opts.clipNorm !== undefined) {
    const clipped = clipByGlobalNorm(b, grads, opts.clipNorm)
    grads = clipped.grads
    b.output('grad_norm', clipped.norm)
  }
  const optimizer = createOptimizer(opts.optimizer)
  const scalars = new Map<string, Value>()
  const host = (name: string): Value => {
    let v = scalars.get(name)
    if (!v) {
      v = b.input(name, [])
      scalars.set(name, v)
    }
    return v
  }
  params.forEach((param, i) => {
    const name = names[i] ?? ''
    const grad = grads[i] ?? b.zeros(param.shape)
    const slots = optimizer.slots.map((s) => b.state(`${s}:${name}`, param.shape))
    const next = optimizer.update(b, { param, grad, slots, lr, host })
    b.output(`next:${name}`, next.param, name)
    next.slots.forEach((v, k) => {
      const slotName = `${optimizer.slots[k] ?? k}:${name}`
      b.output(`next:${slotName}`, v, slotName)
    })
  })
  return assertValid(b.build())
}
