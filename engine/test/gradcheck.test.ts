// Whole programs pass the finite-difference check: the MLP fixture, a small CNN (conv,
// pooling, reshape, matmul), an embedding lookup with dropout, and padding/concat/slicing.

import { describe, expect, it } from 'vitest'
import { ProgramBuilder } from '../ir'
import { randomArray } from './expect-close'
import { gradcheck } from './gradcheck'
import { initParams, mlpForward } from './mlp'

describe('gradcheck on whole programs', () => {
  it('MLP with softmax cross-entropy', () => {
    const p = mlpForward(3, [2, 5, 3])
    const values = {
      ...initParams(p, 1),
      b1: randomArray(5, 2),
      x: randomArray(6, 3),
      y: [1, 0, 0, 0, 0, 1, 0, 1, 0],
    }
    const r = gradcheck(p, { wrt: ['W1', 'b1', 'W2', 'b2', 'x'], values })
    expect(r.failures).toEqual([])
  })

  it('CNN: conv2d, relu, maxpool, avgpool, reshape, matmul', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [2, 1, 6, 6])
    const k = b.param('k', [3, 1, 3, 3])
    const h = b.relu(b.conv2d(x, k, { stride: [1, 1], padding: [1, 1] }))
    const pooled = b.avgpool2d(b.maxpool2d(h, { kernel: [2, 2] }), { kernel: [3, 3] })
    const w = b.param('w', [3, 2])
    const logits = b.matmul(b.reshape(pooled, [2, 3]), w)
    b.output('loss', b.sum(b.square(b.sub(logits, b.constant('t', [2, 2], [1, 0, 0, 1]))), [0, 1]))
    const values = { x: randomArray(72, 4), k: randomArray(27, 5), w: randomArray(6, 6) }
    expect(gradcheck(b.build(), { wrt: ['k', 'w', 'x'], values }).failures).toEqual([])
  })

  it('embedding lookup with a dropout mask', () => {
    const b = new ProgramBuilder()
    const table = b.param('E', [5, 3])
    const ids = b.input('ids', [4])
    const step = b.input('key', [])
    const rows = b.gather(table, ids)
    const keep = b.cmpGt(b.randomUniform(step, [4, 3], 9), 0.3)
    const dropped = b.div(b.mul(rows, keep), 0.7)
    b.output('loss', b.sum(b.tanh(dropped), [0, 1]))
    const values = { E: randomArray(15, 7), ids: [1, 4, 1, 0], key: [2] }
    expect(gradcheck(b.build(), { wrt: ['E'], values }).failures).toEqual([])
  })

  it('pad, concat, slice, permute and expand together', () => {
    const b = new ProgramBuilder()
    const a = b.param('a', [2, 3])
    const c = b.param('c', [1, 2])
    const joined = b.concat([b.pad(a, [0, 1], [1, 0]), b.expand(c, [3, 2])], 1)
    const part = b.slice(b.permute(joined, [1, 0]), [1, 0], [5, 3])
    b.output('loss', b.sum(b.mul(b.sin(part), part), [0, 1]))
    const values = { a: randomArray(6, 8), c: randomArray(2, 9) }
    expect(gradcheck(b.build(), { wrt: ['a', 'c'], values }).failures).toEqual([])
  })
})
