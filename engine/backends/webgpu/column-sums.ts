// Bias gradients made by the weight gradient's kernel. A dense layer's backward pass computes
// dW = dyᵀ·x (weights are [out, in]) and db = dy summed over the batch, which is dW's depth;
// a tiled product already brings all of dy into workgroup memory, a slice of the depth at a
// time, so the workgroups of its first block column add it up on the way (tiled.ts) and store
// db through the sum's own epilogue (the bias's update). On a GPU every dispatch waits for the
// one before: a step of the bench's largest MLP takes 8 instead of 11. Only tiled products
// (the emulation's direct forms read no slices), whole and unbatched, and a sum over exactly
// an operand's depth axis.

import type { Eqn, Program } from '../../ir'
import { updateTargets, valueTable } from '../../ir'
import type { ProductOperand } from './anchor'
import type { KernelSpec } from './codegen'
import { kernelEqns } from './codegen'
import type { FoldContext } from './prologue'
import { kernelBindings, movable } from './schedule'
import { productDims, productKey } from './split-products'

/** The operand of `product` that `sum` adds up over the depth, or null. */
function summedOperand(
  product: Eqn,
  sum: Eqn,
  ctx: Pick<FoldContext, 'resolve' | 'shapeOf'>,
): ProductOperand | null {
  const dims = productDims(product, ctx.shapeOf(product.args[0] ?? -1))
  if (dims === null || sum.op !== 'sum' || sum.attrs.axes.length !== 1) return null
  // The depth is A's last axis (its first when transposed) and B's first (last when transposed).
  const depthAxes = [dims.tA ? 0 : 1, dims.tB ? 1 : 0]
  const summed = (k: 0 | 1): boolean => {
    const arg = product.args[k] ?? -1
    const same = ctx.resolve(arg) === ctx.resolve(sum.args[0] ?? -1)
    return same && ctx.shapeOf(arg).length === 2 && sum.attrs.axes[0] === depthAxes[k]
  }
  return summed(0) ? 'a' : summed(1) ? 'b' : null
}

/**
 * The products of `p` (by productKey) one of whose operands a sum adds up over the depth, and
 * which operand: the tuner times them with that sum (tune.ts), which only a whole product makes.
 */
export function summedProducts(p: Program): Map<string, ProductOperand> {
  const values = valueTable(p)
  const ctx = { resolve: (id: number) => id, shapeOf: (id: number) => values.get(id)?.shape ?? [] }
  const sums = p.eqns.filter((e) => e.op === 'sum')
  const found = new Map<string, ProductOperand>()
  for (const e of p.eqns) {
    const dims = productDims(e, ctx.shapeOf(e.args[0] ?? -1))
    const operands = sums.map((sum) => summedOperand(e, sum, ctx))
    const operand = operands.find((o): o is ProductOperand => o !== null)
    if (dims !== null && operand !== undefined) found.set(productKey(dims), operand)
  }
  return found
}

/** The kernel list with each bias gradient's kernel taken in by its weight gradient's. */
export function fuseColumnSums(kernels: readonly KernelSpec[], ctx: FoldContext): KernelSpec[] {
  const out = [...kernels]
  const moves = { ...ctx, updates: updateTargets(ctx.p) }
  const rules = { resolve: ctx.resolve, inlined: ctx.isConstant, bindingsFor: ctx.bindingsFor }
  for (const k of kernels) {
    const sum = k.anchor
    if (sum === null || k.prologue !== undefined || k.parts !== undefined) continue
    const from = out.indexOf(k)
    const to = out.findIndex(
      (host) =>
        host.anchor !== null &&
        host.depthSum === undefined &&
        summedOperand(host.anchor, sum, ctx) !== null,
    )
    const host = out[to]
    const operand = host?.anchor ? summedOperand(host.anchor, sum, ctx) : null
    if (host === undefined || operand === null || !movable(out, from, to, moves)) continue
    const depthSum = { operand, kernel: k }
    const merged: KernelSpec = { ...host, depthSum, writes: [...host.writes, ...k.writes] }
    if (kernelBindings(kernelEqns(merged), merged.writes, rules) > ctx.maxBindings) continue
    out[to] = merged
    out.splice(from, 1)
  }
  return out
}
