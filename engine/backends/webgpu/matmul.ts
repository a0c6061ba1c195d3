// Batched matmul with transpose flags, in two variants (Tuning.tiledMatmul). Tiled: tiled.ts's
// workgroup-memory blocks, sized to the product (pickTile) unless the tuning names a tile (the
// tuner's measurement, tune.ts); products split along the depth (split-products.ts) run only
// so. Direct:
// the register-blocked product of blocked.ts, reading A and B in place, for CPU emulations where
// barriers are dear, or wide.ts's vec4 loads where the layout allows. Transposes are never
// materialised; batch axes broadcast.

import type { Shape } from '../../ir'
import { broadcastStrides, numel } from '../../ir'
import type { AnchorCode, AnchorGen, Tuning } from './anchor'
import { listUniforms, mapAnchor, shapeAt } from './anchor'
import { blocked } from './blocked'
import { matmulDims, productKey } from './split-products'
import type { DepthSums } from './tiled'
import { pickTile, tiled } from './tiled'
import type { WideProduct } from './wide'
import { fitsWide, wide } from './wide'
import type { Uniform } from './program'
import { u32 } from './program'

/** WGSL setting aoff and boff: the batch's matrices, from workgroup_id.z over the batch axes. */
function batchOffsets(rank: number): string {
  const lines = ['var brem = wid.z;', 'var aoff = 0u;', 'var boff = 0u;']
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(
      `aoff = aoff + (brem % u.bd${d}) * u.as${d};`,
      `boff = boff + (brem % u.bd${d}) * u.bs${d};`,
      `brem = brem / u.bd${d};`,
    )
  }
  return lines.join('\n  ')
}

/** A product: operand names, transpose flags and sizes, with its batch axes. */
interface Product extends WideProduct {
  readonly batch: Shape
  readonly strides: Uniform[]
}

function direct(p: Product): AnchorCode {
  const { a, b, tA, tB } = p
  return blocked({
    key: `matmul:${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}:${p.batch.length}`,
    M: p.M,
    N: p.N,
    K: p.K,
    batch: numel(p.batch),
    uniforms: p.strides,
    depth: [],
    setup: batchOffsets(p.batch.length),
    step: '',
    a: (r) => `${a}[aoff + ${tA ? `k * u.M + mr${r}` : `mr${r} * u.K + k`}]`,
    b: (c) => `b${c} = ${b}[boff + ${tB ? `nc${c} * u.K + k` : `k * u.N + nc${c}`}];`,
    out: (m, n) => `b * u.M * u.N + ${m} * u.N + ${n}`,
  })
}

/** Products this small (multiply-adds) take one invocation per result element. */
const SMALL = 64 * 1024

/**
 * One invocation per element of C walking the depth: for tiny 2-D products on CPU emulations,
 * where a register block's unrolled loads and sixteen guarded stores cost more than the work
 * (a whole step of a 2-8-8-2 net spent most of its time in them).
 */
function small(p: Product): AnchorCode {
  const { a, b, tA, tB } = p
  const at = tA ? 'k * u.M + m' : 'm * u.K + k'
  const bt = tB ? 'n * u.K + k' : 'k * u.N + n'
  return mapAnchor({
    key: `matmul:small:${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}`,
    count: p.M * p.N,
    uniforms: [u32('M', p.M), u32('N', p.N), u32('K', p.K)],
    value: `  let m = i / u.N;
  let n = i % u.N;
  var acc = 0.0;
  for (var k = 0u; k < u.K; k = k + 1u) {
    acc = acc + ${a}[${at}] * ${b}[${bt}];
  }
  return acc;`,
  })
}

/** `p` through workgroup tiles: the tuning's tile for it, else pickTile's. */
function tiledProduct(p: Product, parts: number, tuning: Tuning, sums: DepthSums): AnchorCode {
  if (parts > 1 && p.batch.length > 0)
    throw new Error(`webgpu: a batched product cannot split its depth`)
  const chosen = tuning.products?.get(productKey(p))?.tile
  const tile = tuning.matmulTile ?? chosen ?? pickTile(p.M, p.N)
  const [count, batchRank] = [parts > 1 ? parts : numel(p.batch), p.batch.length]
  const product = { ...p, count, parts, batchRank, offsets: batchOffsets(batchRank) }
  return tiled(product, tile, sums, tuning.workgroupBytes)
}

export const matmulAnchor: AnchorGen<'matmul'> = ({ eqn, argShapes, arg, tuning, depthSums }) => {
  const [sa, sb] = [shapeAt(argShapes, 0), shapeAt(argShapes, 1)]
  const { M, N, K, tA, tB } = matmulDims(eqn, sa)
  const parts = eqn.attrs.depthParts ?? 1
  const batch = eqn.shape.slice(parts > 1 ? 1 : 0, -2)
  const strides = [
    ...listUniforms('bd', batch),
    ...listUniforms(
      'as',
      broadcastStrides(sa.slice(0, -2), batch).map((s) => s * M * K),
    ),
    ...listUniforms(
      'bs',
      broadcastStrides(sb.slice(0, -2), batch).map((s) => s * K * N),
    ),
  ]
  const product = { a: arg(0), b: arg(1), tA, tB, M, N, K, batch, strides }
  const sums = depthSums ?? null
  if (tuning.tiledMatmul) return tiledProduct(product, parts, tuning, sums)
  if (sums !== null) throw new Error('webgpu: only a tiled product sums an operand over its depth')
  if (parts > 1) throw new Error(`webgpu: a product split in ${parts} runs only tiled`)
  if (batch.length === 0 && M * N * K <= SMALL) return small(product)
  const vec4 = tuning.vec4Operands !== false && fitsWide({ ...product, batch: numel(batch) })
  return vec4 ? wide(product) : direct(product)
}
