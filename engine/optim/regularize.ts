// Regularisation as IR: L1/L2 penalties added to the loss before differentiation, and gradient
// clipping by global norm applied to the gradients after it.

import type { ProgramBuilder, Value } from '../ir'

const allAxes = (v: Value): number[] => v.shape.map((_, i) => i)

/** loss + l1·Σ|w| + (l2/2)·Σw² over the given parameters. */
export function addPenalty(
  ir: ProgramBuilder,
  loss: Value,
  params: readonly Value[],
  l1: number,
  l2: number,
): Value {
  let total = loss
  for (const w of params) {
    if (l1 !== 0) total = ir.add(total, ir.mul(ir.sum(ir.abs(w), allAxes(w)), l1))
    if (l2 !== 0) total = ir.add(total, ir.mul(ir.sum(ir.square(w), allAxes(w)), l2 / 2))
  }
  return total
}

export interface Clipped {
  readonly grads: readonly Value[]
  /** The global norm before clipping (a useful metric). */
  readonly norm: Value
}

/** Scales all gradients by min(1, maxNorm / ‖g‖), ‖g‖ over all of them together. */
export function clipByGlobalNorm(
  ir: ProgramBuilder,
  grads: readonly Value[],
  maxNorm: number,
): Clipped {
  const squares = grads.map((g) => ir.sum(ir.square(g), allAxes(g)))
  const norm = ir.sqrt(squares.reduce((a, b) => ir.add(a, b)))
  const scale = ir.div(maxNorm, ir.maximum(norm, maxNorm))
  return { grads: grads.map((g) => ir.mul(g, scale)), norm }
}
