// Matrix products with their depth split across workgroups, for real GPUs. A product whose
// result fills few tiles (a 256×1024 result is 64 workgroups of 64×64, for a GPU of 132
// multiprocessors) leaves most of the device idle while each workgroup walks the whole depth.
// Split in p, the product becomes p partial products [p, M, N] (matmul with depthParts p, one
// tile grid per part, tiled.ts) and a sum over the parts, which takes the product's epilogue
// (bias, activation, an optimizer's update) as any reduction does. Which products split, and in
// how many parts, the tuner measures (tune.ts); nothing splits without its word.

import type { Eqn, Program, Shape } from '../../ir'
import { nextFreeId, valueTable } from '../../ir'
import type { MatmulTile } from './tiled'

/** A 2-D product's sizes: C is M × N, the depth K, and whether each operand is transposed. */
export interface ProductDims {
  readonly M: number
  readonly N: number
  readonly K: number
  readonly tA: boolean
  readonly tB: boolean
}

/** How one product runs: the tile, and the parts its depth splits into (1: whole). */
export interface ProductChoice {
  readonly tile: MatmulTile
  readonly parts: number
}

/** Multiply-adds from which a product is tuned (about 0.1 ms on an H100): 2²⁴. */
export const TUNE_FROM = 1 << 24

/** The key products are tuned under: sizes and transposes, nothing else. */
export const productKey = (p: ProductDims): string =>
  `${p.M}x${p.N}x${p.K}:${p.tA ? 'T' : 'N'}${p.tB ? 'T' : 'N'}`

const dim = (s: Shape, fromEnd: number): number => s[s.length - fromEnd] ?? 1

/** A product's sizes (of each matrix in a batch); `a` is its first operand's shape. */
export function matmulDims(eqn: Eqn<'matmul'>, a: Shape): ProductDims {
  const { transposeA: tA, transposeB: tB } = eqn.attrs
  return { M: dim(eqn.shape, 2), N: dim(eqn.shape, 1), K: tA ? dim(a, 2) : dim(a, 1), tA, tB }
}

/** A 2-D, whole product's sizes, or null for a batched or already split one. */
export function productDims(e: Eqn, a: Shape): ProductDims | null {
  if (e.op !== 'matmul' || e.shape.length !== 2 || (e.attrs.depthParts ?? 1) !== 1) return null
  return matmulDims(e, a)
}

/** The partial products of `e` in `parts` (id `partial`) and their sum, under e's id. */
function split(e: Eqn<'matmul'>, dims: ProductDims, parts: number, partial: number): Eqn[] {
  const attrs = { ...e.attrs, depthParts: parts }
  const sum: Eqn<'sum'> = {
    id: e.id,
    op: 'sum',
    args: [partial],
    attrs: { axes: [0], keepdims: false },
    shape: e.shape,
    dtype: e.dtype,
  }
  return [{ ...e, id: partial, attrs, shape: [parts, dims.M, dims.N] }, sum]
}

/**
 * `p` with each product that `choices` splits (parts > 1, dividing its depth) replaced by its
 * partial products and their sum, under the product's id; the same object when none is.
 */
export function splitProducts(
  p: Program,
  choices: ReadonlyMap<string, ProductChoice> | undefined,
): Program {
  if (choices === undefined || choices.size === 0) return p
  const values = valueTable(p)
  let next = nextFreeId(p)
  const eqns = p.eqns.flatMap((e): Eqn[] => {
    const dims = productDims(e, values.get(e.args[0] ?? -1)?.shape ?? [])
    const parts = dims === null ? 1 : (choices.get(productKey(dims))?.parts ?? 1)
    if (e.op !== 'matmul' || dims === null || parts <= 1 || dims.K % parts !== 0) return [e]
    return split(e, dims, parts, next++)
  })
  return eqns.length === p.eqns.length ? p : { ...p, eqns }
}

/** The distinct 2-D products of `program` of at least `from` multiply-adds. */
export function productsOf(program: Program, from = TUNE_FROM): ProductDims[] {
  const values = valueTable(program)
  const found = new Map<string, ProductDims>()
  for (const e of program.eqns) {
    const dims = productDims(e, values.get(e.args[0] ?? -1)?.shape ?? [])
    if (dims !== null && dims.M * dims.N * dims.K >= from) found.set(productKey(dims), dims)
  }
  return [...found.values()]
}

/**
 * Every 2-D product of `program` on `tile` with its depth split in as many parts (7 to 2) as
 * divide it: what the tuner may choose, made to happen wherever it can (tests).
 */
export function splitEveryProduct(program: Program, tile: MatmulTile): Map<string, ProductChoice> {
  const split = new Map<string, ProductChoice>()
  for (const p of productsOf(program, 0)) {
    const parts = [7, 6, 5, 4, 3, 2].find((n) => p.K % n === 0)
    if (parts !== undefined) split.set(productKey(p), { tile, parts })
  }
  return split
}
