// Window, index and source kernels against independent values: direct-loop convolution, the
// adjoint identities that define conv2d's gradients, hand-worked pooling and indexing cases.

import { describe, expect, it } from 'vitest'
import type { OpName } from '../../ir'
import { expectClose as close, operand as v, randomArray } from '../../test/expect-close'
import { runOp } from '../../test/run-op'
import { uniformAt } from './sources'

const op = <K extends OpName>(name: K): K => name
const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0)

/** Direct convolution: out[n,o,i,j] = Σ x[n,c,i·s−p+a, j·s−p+b] · w[o,c,a,b]. */
function naiveConv(x: number[], xs: number[], w: number[], ws: number[], s: number, p: number) {
  const [N = 0, C = 0, H = 0, W = 0] = xs
  const [O = 0, , KH = 0, KW = 0] = ws
  const OH = Math.floor((H + 2 * p - KH) / s) + 1
  const OW = Math.floor((W + 2 * p - KW) / s) + 1
  const xAt = (n: number, c: number, h: number, q: number): number =>
    h < 0 || h >= H || q < 0 || q >= W ? 0 : (x[((n * C + c) * H + h) * W + q] ?? 0)
  const pixel = (n: number, o: number, i: number, j: number): number => {
    let acc = 0
    for (let c = 0; c < C; c++)
      for (let a = 0; a < KH; a++)
        for (let b = 0; b < KW; b++)
          acc += xAt(n, c, i * s - p + a, j * s - p + b) * (w[((o * C + c) * KH + a) * KW + b] ?? 0)
    return acc
  }
  const out: number[] = []
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) out.push(pixel(n, o, i, j))
  return { data: out, shape: [N, O, OH, OW] }
}

describe('conv2d family', () => {
  const xs = [2, 3, 7, 6]
  const ws = [4, 3, 3, 2]
  const x = randomArray(2 * 3 * 7 * 6, 1)
  const w = randomArray(4 * 3 * 3 * 2, 2)
  for (const [s, p] of [
    [1, 0],
    [2, 1],
    [3, 2],
  ] as const) {
    it(`conv2d stride ${s} padding ${p} matches direct loops`, () => {
      const want = naiveConv(x, xs, w, ws, s, p)
      const got = runOp(op('conv2d'), [v(xs, x), v(ws, w)], { stride: [s, s], padding: [p, p] })
      expect(got.shape).toEqual(want.shape)
      close(got.data, want.data)
    })
    it(`gradients stride ${s} padding ${p} are conv2d's adjoints`, () => {
      const y = naiveConv(x, xs, w, ws, s, p)
      const gy = randomArray(y.data.length, 3)
      const attrs = { stride: [s, s], padding: [p, p] }
      const dx = runOp(
        op('conv2d_grad_input'),
        [v(y.shape, gy), v(ws, w)],
        { ...attrs, inputSize: [7, 6] },
        'float64',
      ).data
      const dw = runOp(
        op('conv2d_grad_weight'),
        [v(xs, x), v(y.shape, gy)],
        { ...attrs, kernelSize: [3, 2] },
        'float64',
      ).data
      // <conv(x, w), gy> = <x, dx> = <w, dw>
      close([dot(x, dx), dot(w, dw)], [dot(y.data, gy), dot(y.data, gy)], 1e-12)
    })
  }
})

describe('pooling', () => {
  const x = v(
    [1, 1, 4, 4],
    Array.from({ length: 16 }, (_, i) => i),
  )
  const win = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }
  const all = { kernel: [3, 3], stride: [1, 1], padding: [1, 1] }
  it('maxpool2d and avgpool2d', () => {
    close(runOp(op('maxpool2d'), [x], win).data, [5, 7, 13, 15])
    close(runOp(op('avgpool2d'), [x], win).data, [2.5, 4.5, 10.5, 12.5])
    const small = v([1, 1, 2, 2], [1, 4, 3, 2])
    close(runOp('maxpool2d', [small], all).data, [4, 4, 4, 4])
    close(runOp('avgpool2d', [small], all).data, [10 / 9, 10 / 9, 10 / 9, 10 / 9])
  })
  it('maxpool2d_grad routes to the first maximum; select reads there', () => {
    const dx = runOp(op('maxpool2d_grad'), [x, v([1, 1, 2, 2], [1, 2, 3, 4])], win).data
    close(dx, [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4])
    const ties = runOp('maxpool2d_grad', [v([1, 1, 2, 2], [2, 2, 2, 2]), v([1, 1, 1, 1], [5])], win)
    close(ties.data, [5, 0, 0, 0])
    const z = v(
      [1, 1, 4, 4],
      x.data.map((t) => 10 * t),
    )
    close(runOp(op('maxpool2d_select'), [x, z], win).data, [50, 70, 130, 150])
  })
  it('avgpool2d_grad spreads evenly', () => {
    const dx = runOp(op('avgpool2d_grad'), [v([1, 1, 2, 2], [4, 8, 12, 16])], {
      ...win,
      inputSize: [4, 4],
    }).data
    close(dx, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
  })
})

describe('indexing and sources', () => {
  it('gather rows, zeros for indices out of range', () => {
    const table = v([3, 2], [1, 2, 3, 4, 5, 6])
    close(runOp(op('gather'), [table, v([2, 2], [2, 0, 0, 1])], {}).data, [5, 6, 1, 2, 1, 2, 3, 4])
    close(runOp('gather', [table, v([2], [3, -1])], {}).data, [0, 0, 0, 0])
  })
  it('scatter_add sums repeated rows', () => {
    const got = runOp(op('scatter_add'), [v([3, 2], [1, 1, 2, 2, 3, 3]), v([3], [0, 2, 0])], {
      rows: 3,
    })
    close(got.data, [4, 4, 0, 0, 2, 2])
  })
  it('full and iota', () => {
    close(runOp(op('full'), [], { shape: [2, 2], value: 3 }).data, [3, 3, 3, 3])
    close(runOp(op('iota'), [], { shape: [2, 3], axis: 1 }).data, [0, 1, 2, 0, 1, 2])
    close(runOp('iota', [], { shape: [2, 3], axis: 0 }).data, [0, 0, 0, 1, 1, 1])
  })
  it('random_uniform is a deterministic hash of seed, key and index', () => {
    const draw = (key: number, seed: number) =>
      runOp(op('random_uniform'), [v([], [key])], { shape: [10000], seed }).data
    const a = draw(3, 7)
    expect(a).toEqual(draw(3, 7))
    expect(a.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => uniformAt(7, 3, i)))
    expect(draw(4, 7)).not.toEqual(a)
    expect(draw(3, 8)).not.toEqual(a)
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...a)).toBeLessThan(1)
    expect(Math.abs(a.reduce((s, t) => s + t, 0) / a.length - 0.5)).toBeLessThan(0.01)
  })
})
