// Products split along the depth (split-products.ts): which products split, the partial
// product's shape rule and check, the same numbers as the whole product on the CPU backend (its
// kernel runs split products too), and the tuner's candidates (tune.ts).

import { describe, expect, it } from 'vitest'
import { createCpuExecutable } from '../cpu'
import type { Program } from '../../ir'
import { ProgramBuilder, opDef, verify } from '../../ir'
import { compile } from '../../passes'
import type { ProductDims } from './split-products'
import { productKey, productsOf, splitEveryProduct, splitProducts } from './split-products'
import { summedProducts } from './column-sums'
import { planWebGpu } from './gpu-plan'
import type { MatmulTile } from './tiled'
import { TILES } from './tiled'
import type { ProductChoice } from './split-products'
import {
  fastestChoice,
  invocationsOf,
  productProgram,
  splitChoices,
  wholeChoices,
  workgroupsOf,
} from './tune'

const steps = (p: Program): string[] => p.eqns.map((e) => `${e.op}[${e.shape.join(',')}]`)
const dims = (M: number, N: number, K: number, tA = false, tB = false): ProductDims => ({
  M,
  N,
  K,
  tA,
  tB,
})
const choose = (p: ProductDims, parts: number) =>
  new Map([[productKey(p), { tile: TILES.square, parts }]])

describe('splitProducts', () => {
  it('replaces a chosen product by its partial products and their sum, under its id', () => {
    const p = productProgram(dims(63, 65, 1000))
    const split = splitProducts(p, choose(dims(63, 65, 1000), 4))
    expect(steps(split)).toEqual(['matmul[4,63,65]', 'sum[63,65]'])
    expect(split.eqns[0]?.attrs).toEqual({ transposeA: false, transposeB: false, depthParts: 4 })
    expect(split.eqns.at(-1)?.id).toBe(p.outputs[0]?.id)
    expect(verify(split)).toEqual([])
  })

  it('leaves products alone that are not chosen, not split, batched, or do not divide', () => {
    const p = productProgram(dims(8, 8, 100))
    expect(splitProducts(p, undefined)).toBe(p)
    expect(splitProducts(p, choose(dims(8, 8, 99), 4))).toBe(p)
    expect(splitProducts(p, choose(dims(8, 8, 100), 1))).toBe(p)
    expect(splitProducts(p, choose(dims(8, 8, 100), 3))).toBe(p)
    const b = new ProgramBuilder()
    b.output('y', b.matmul(b.input('a', [2, 8, 100]), b.input('b', [100, 8])))
    const batched = b.build()
    expect(splitProducts(batched, choose(dims(8, 8, 100), 4))).toBe(batched)
  })

  it('gives, summed, the whole product on the CPU backend, in every transpose form', () => {
    // 40 × 36 × 600 takes the SIMD gemm; 7 × 5 × 12 the JavaScript one.
    for (const [M, N, K, parts] of [
      [40, 36, 600, 4],
      [7, 5, 12, 3],
    ] as const) {
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const d = dims(M, N, K, tA, tB)
        const whole = productProgram(d)
        const feeds = {
          a: Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.7)),
          b: Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.3)),
        }
        const run = (p: Program): Float32Array => {
          const exe = createCpuExecutable(compile(p))
          exe.step(feeds)
          return Float32Array.from(exe.view('y'))
        }
        const [want, got] = [run(whole), run(splitProducts(whole, choose(d, parts)))]
        expect(got.length).toBe(want.length)
        want.forEach((w, i) => expect(got[i], `${productKey(d)} at ${i}`).toBeCloseTo(w, 3))
      }
    }
  })

  it('checks that the parts divide the depth, and counts the flops once', () => {
    const shape = opDef('matmul').shape
    const attrs = { transposeA: false, transposeB: false }
    expect(
      shape(
        [
          [3, 12],
          [12, 5],
        ],
        { ...attrs, depthParts: 4 },
      ),
    ).toEqual([4, 3, 5])
    expect(() =>
      shape(
        [
          [3, 12],
          [12, 5],
        ],
        { ...attrs, depthParts: 5 },
      ),
    ).toThrow(/depth 12 does not split into 5 equal parts/)
    const flops = opDef('matmul').flops
    expect(flops([[3, 12]], [4, 3, 5], { ...attrs, depthParts: 4 })).toBe(2 * 3 * 5 * 12)
  })
})

describe('the tuner', () => {
  it('tries every tile whole, then splits whose parts walk 128 of the depth and fit 32 MiB', () => {
    expect(wholeChoices().map((c) => c.tile)).toEqual(Object.values(TILES))
    const parts = (K: number) => splitChoices(dims(256, 1024, K), TILES.square).map((c) => c.parts)
    expect(parts(2048)).toEqual([2, 4, 8, 16])
    expect(parts(1000)).toEqual([2, 4])
    expect(parts(256)).toEqual([2])
    expect(parts(200)).toEqual([])
    // 2048 × 2048 partial results of 8 parts would take 128 MiB.
    const big = splitChoices(dims(2048, 2048, 2048), TILES.square).map((c) => c.parts)
    expect(big).toEqual([2])
  })

  it('chooses from the tiles it is given, TILES or others', async () => {
    const p = dims(256, 2048, 2048, false, true)
    const other: MatmulTile = { bm: 32, bn: 128, bk: 16, tm: 4, tn: 8, prefetch: true }
    const tried: ProductChoice[] = []
    const time = (c: ProductChoice): Promise<number> => {
      tried.push(c)
      return Promise.resolve(c.tile === other ? 1 : 2)
    }
    expect(await fastestChoice(p, time, [TILES.square, other])).toEqual({ tile: other, parts: 1 })
    expect(new Set(tried.map((c) => c.tile))).toEqual(new Set([TILES.square, other]))
    // By default, TILES alone.
    tried.length = 0
    await fastestChoice(p, time)
    expect(tried.some((c) => c.tile === other)).toBe(false)
  })

  it('tells a timer each stage of choices before timing them, each choice once', async () => {
    const p = dims(256, 2048, 2048, false, true)
    const announced: ProductChoice[] = []
    const stages: number[] = []
    const tried: ProductChoice[] = []
    const time = (c: ProductChoice): Promise<number> => {
      // Every choice timed was announced, and not timed before.
      expect(announced).toContain(c)
      expect(tried).not.toContain(c)
      tried.push(c)
      return Promise.resolve(c.tile === TILES.square8 ? 1 + c.parts / 100 : 2)
    }
    const ahead = (choices: readonly ProductChoice[]): void => {
      stages.push(choices.length)
      announced.push(...choices)
    }
    expect(await fastestChoice(p, time, undefined, ahead)).toEqual({
      tile: TILES.square8,
      parts: 1,
    })
    // Whole tiles, then the short ones split, then the two fastest tiles' splits.
    expect(stages[0]).toBe(wholeChoices().length)
    expect(stages).toHaveLength(3)
    expect(tried).toEqual(announced)
  })

  it('splits a tile too large to fill the GPU whole, and finds it when it is the fastest', async () => {
    // A made-up GPU of 132 multiprocessors, one workgroup each at a time, where an invocation's
    // multiply-adds go faster the larger its block (tm × tn), 128×128 blocks faster still, and
    // each part of a split costs a little more (its share of the sum).
    const p = dims(256, 2048, 2048, false, true)
    const tried: ProductChoice[] = []
    const time = (c: ProductChoice): Promise<number> => {
      tried.push(c)
      const { bm, bn, tm, tn } = c.tile
      const waves = Math.ceil(workgroupsOf(p, c) / 132)
      const rate = tm * tn * (c.tile === TILES.large8 ? 1.5 : 1)
      return Promise.resolve((waves * bm * bn * (p.K / c.parts)) / rate + c.parts)
    }
    const chosen = await fastestChoice(p, time)
    // Whole, 128×128 blocks are 32 workgroups and among the slowest; the fastest whole tile
    // (64×64 blocks of 8×8) has 128, which 128×128 blocks reach split in 4.
    expect(chosen).toEqual({ tile: TILES.large8, parts: 4 })
    const count = (c: ProductChoice) =>
      tried.filter((t) => t.tile === c.tile && t.parts === c.parts).length
    expect(tried.every((c) => count(c) === 1)).toBe(true)
    expect(tried.length).toBeLessThan(wholeChoices().length * 3)
  })

  it('splits a tile whose workgroups hold too few invocations to hide their waits', async () => {
    // A made-up GPU of 132 multiprocessors that run at full rate only with 256 invocations or
    // more each (8 warps, two per scheduler), whose invocations do more the larger their block
    // (by tile, as below), and where each part of a split costs a little more. Whole, 64×64
    // blocks of 8×8 are 128 workgroups of 64 invocations: a quarter of the rate. The fastest
    // whole tile, 64×64 blocks of 4×4, is as many workgroups of 256: workgroups alone would not
    // tell the 8×8 blocks to split.
    const p = dims(256, 2048, 2048, false, true)
    const rate = new Map<MatmulTile, number>([
      [TILES.small, 0.9],
      [TILES.wide, 0.95],
      [TILES.square, 1],
      [TILES.prefetched, 1],
      [TILES.square8, 1.6],
      [TILES.tall8, 1.5],
      [TILES.large8, 1.2],
    ])
    const tried: ProductChoice[] = []
    const time = (c: ProductChoice): Promise<number> => {
      tried.push(c)
      const held = Math.min(1, invocationsOf(p, c) / 132 / 256)
      return Promise.resolve(1 / (held * (rate.get(c.tile) ?? 0)) + c.parts / 100)
    }
    expect(await fastestChoice(p, time)).toEqual({ tile: TILES.square8, parts: 4 })
    expect(tried.length).toBeLessThan(wholeChoices().length * 3)
  })

  it('times a product whose operand the program sums over the depth with that sum', () => {
    // A dense layer's backward pass: dW = dyᵀ·x and db = Σ dy over the batch; dx = dy·W alone.
    const b = new ProgramBuilder()
    const [x, dy, w] = [b.input('x', [256, 64]), b.input('dy', [256, 32]), b.input('w', [32, 64])]
    b.output('dw', b.matmul(dy, x, { transposeA: true }))
    b.output('db', b.sum(dy, [0]))
    b.output('dx', b.matmul(dy, w))
    const dw = dims(32, 64, 256, true, false)
    expect([...summedProducts(b.build())]).toEqual([[productKey(dw), 'a']])
    // Timed, the product and its sum are one kernel whole; split, the sum is a dispatch of its
    // own beside the partial products and their sum, which the timing then pays for.
    const kernels = (sums: 'a' | 'b', parts: number): string[] => {
      const plan = compile(productProgram(dw, sums))
      const products = choose(dw, parts)
      return planWebGpu(plan, { tiledMatmul: true, products }).kernels.map((k) =>
        k.anchor === null ? 'elementwise' : `${k.anchor.op}${k.depthSum ? '+sum' : ''}`,
      )
    }
    expect(kernels('a', 1)).toEqual(['matmul+sum'])
    expect(kernels('a', 2)).toEqual(['matmul', 'sum', 'sum'])
    expect(kernels('b', 1)).toEqual(['matmul+sum'])
    // The sum is the operand's, over its depth axis: on the CPU, a's rows (tA: its columns).
    const feeds = {
      a: Array.from({ length: 256 * 32 }, (_, i) => Math.sin(i)),
      b: Array.from({ length: 256 * 64 }, (_, i) => Math.cos(i)),
    }
    const exe = createCpuExecutable(compile(productProgram(dw, 'a')))
    exe.step(feeds)
    const want = Array.from({ length: 32 }, (_, m) =>
      Array.from({ length: 256 }, (_, k) => feeds.a[k * 32 + m] ?? 0).reduce((x, y) => x + y),
    )
    Array.from(exe.view('s')).forEach((got, m) => expect(got).toBeCloseTo(want[m] ?? NaN, 3))
  })

  it('tunes only products of 2²⁴ multiply-adds or more, each once', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [256, 1024])
    const w = b.input('w', [1024, 2048])
    b.output('y', b.matmul(b.matmul(x, w), w, { transposeB: true }))
    b.output('z', b.matmul(b.input('s', [8, 8]), b.input('t', [8, 8])))
    b.output('again', b.matmul(x, w))
    expect(productsOf(b.build()).map(productKey)).toEqual(['256x2048x1024:NN', '256x1024x2048:NT'])
    expect(splitEveryProduct(b.build(), TILES.small).get('8x8x8:NN')?.parts).toBe(4)
  })
})
