// Numerically safe building blocks shared by layer lowerings: each avoids overflow in the
// forward pass and NaN gradients through the branch a `where` does not take.
import type { ProgramBuilder, Value } from '../ir'

/** σ(x) = ½(1 + tanh(x/2)): no exp overflow for large |x|, in either pass. */
export function sigmoid(ir: ProgramBuilder, x: Value): Value {
  return ir.mul(ir.add(ir.tanh(ir.mul(x, 0.5)), 1), 0.5)
}

/** ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|). */
export function softplus(ir: ProgramBuilder, x: Value): Value {
  return ir.add(ir.maximum(x, 0), ir.log(ir.add(ir.exp(ir.neg(ir.abs(x))), 1)))
}

/** eˣ − 1 evaluated only where x ≤ 0 is used, so large positive x cannot overflow. */
export function expm1NonPositive(ir: ProgramBuilder, x: Value): Value {
  return ir.sub(ir.exp(ir.minimum(x, 0)), 1)
}

/** 1 where x > 0, else 0 (no gradient flows through a mask). */
export function positive(ir: ProgramBuilder, x: Value): Value {
  return ir.stopGradient(ir.cmpGt(x, 0))
}

export function lastAxis(x: Value): number {
  return x.shape.length - 1
}

/** Every axis but the batch axis. */
export function exampleAxes(x: Value): number[] {
  return x.shape.map((_, i) => i).slice(1)
}

export function allAxes(x: Value): number[] {
  return x.shape.map((_, i) => i)
}

/** The mean of a per-example loss over the whole batch. */
export function batchMean(ir: ProgramBuilder, perElement: Value): Value {
  return ir.mean(perElement, allAxes(perElement))
}
