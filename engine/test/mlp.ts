// A small MLP written directly with the IR builder (what layer lowering will produce): a
// fixture for golden IR, training and memory-plan tests. Also a toy data set and seeded init.

import type { Program } from '../ir'
import { ProgramBuilder } from '../ir'
import { createRng } from '../util/rng'

/** x [batch, in] → tanh hidden → logits [batch, out]; softmax cross-entropy with one-hot y. */
export function mlpForward(
  batch: number,
  sizes: readonly [number, number, number] = [2, 8, 2],
): Program {
  const [nIn, nHidden, nOut] = sizes
  const ir = new ProgramBuilder()
  const x = ir.input('x', [batch, nIn])
  const y = ir.input('y', [batch, nOut])
  const W1 = ir.param('W1', [nIn, nHidden])
  const b1 = ir.param('b1', [nHidden])
  const W2 = ir.param('W2', [nHidden, nOut])
  const b2 = ir.param('b2', [nOut])
  const h = ir.tanh(ir.add(ir.matmul(x, W1), b1))
  const logits = ir.add(ir.matmul(h, W2), b2)
  const logp = ir.logSoftmax(logits, 1)
  ir.output('loss', ir.mul(ir.neg(ir.sum(ir.mul(logp, y), [0, 1])), 1 / batch))
  return ir.build()
}

/** Glorot-uniform weights and zero biases from a seed, for every param of a program. */
export function initParams(p: Program, seed: number): Record<string, Float32Array> {
  const rng = createRng(seed)
  const out: Record<string, Float32Array> = {}
  for (const i of p.inputs) {
    if (i.kind !== 'param') continue
    const n = i.shape.reduce((a, d) => a * d, 1)
    const [fanIn = 1, fanOut = 1] = i.shape
    const limit = i.shape.length < 2 ? 0 : Math.sqrt(6 / (fanIn + fanOut))
    out[i.name] = Float32Array.from({ length: n }, () => rng.uniform(-limit, limit))
  }
  return out
}

/** Two interleaved classes: inside / outside a circle of radius 0.5 (Playground's "circle"). */
export function circleData(count: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = createRng(seed)
  const x = new Float32Array(count * 2)
  const y = new Float32Array(count * 2)
  for (let i = 0; i < count; i++) {
    const inside = i % 2 === 0
    const r = inside ? rng.uniform(0, 0.4) : rng.uniform(0.6, 1)
    const a = rng.uniform(0, 2 * Math.PI)
    x[2 * i] = r * Math.cos(a)
    x[2 * i + 1] = r * Math.sin(a)
    y[2 * i + (inside ? 0 : 1)] = 1
  }
  return { x, y }
}
