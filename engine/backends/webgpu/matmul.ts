// Batched matmul with transpose flags, in two variants (Tuning.tiledMatmul). Tiled: a workgroup
// of 8×8 invocations computes a 32×32 block of C through workgroup memory, each invocation a 4×4
// block spaced 8 apart so that neighbouring invocations read neighbouring floats; tiles of A and
// B are loaded already transposed where a flag says so. Direct: the register-blocked product of
// blocked.ts, reading A and B in place, for CPU emulations where barriers are dear, or wide.ts's
// vec4 loads where the layout allows. Transposes are never materialised; batch axes broadcast.

import type { Shape } from '../../ir'
import { broadcastStrides, numel } from '../../ir'
import type { AnchorCode, AnchorGen } from './anchor'
import { listUniforms, mapAnchor, shapeAt } from './anchor'
import { blocked } from './blocked'
import type { WideProduct } from './wide'
import { fitsWide, wide } from './wide'
import type { Uniform } from './program'
import { u32 } from './program'

const T = 32 // tile edge (rows of A, columns of B, depth per step)
const S = 8 // invocations per tile edge
const R = T / S // outputs per invocation along each edge

const dim = (s: Shape, fromEnd: number): number => s[s.length - fromEnd] ?? 1

interface TileLoad {
  /** Tile coordinates x (fast) and y (slow) → the operand's logical row and column. */
  row: string
  col: string
  rows: string
  cols: string
  offset: string
  /** Element offset of (row, col) within the batch's matrix. */
  index: string
  /** Index into the workgroup array: tiles are stored [row][col] of the logical product. */
  tileIndex: string
}

/** WGSL that loads one T×T tile of an operand into workgroup memory, zero outside. */
function loadTile(name: string, tile: string, o: TileLoad): string {
  // x runs over consecutive invocations: the mappings put it on the operand's contiguous axis.
  return `for (var l = 0u; l < ${(T * T) / (S * S)}u; l = l + 1u) {
      let e = l * ${S * S}u + lidx;
      let x = e % ${T}u;
      let y = e / ${T}u;
      let row = ${o.row};
      let col = ${o.col};
      var v = 0.0;
      if (row < ${o.rows} && col < ${o.cols}) { v = ${name}[${o.offset} + ${o.index}]; }
      ${tile}[${o.tileIndex}] = v;
    }`
}

/** A tile: As[m][k]; logical A(m, k) sits at m*K + k, or k*M + m when transposed. */
function aTile(tA: boolean): TileLoad {
  return {
    row: tA ? 'm0 + x' : 'm0 + y',
    col: tA ? 'k0 + y' : 'k0 + x',
    rows: 'u.M',
    cols: 'u.K',
    offset: 'aoff',
    index: tA ? 'col * u.M + row' : 'row * u.K + col',
    tileIndex: tA ? `x * ${T}u + y` : `y * ${T}u + x`,
  }
}

/** B tile: Bs[k][n]; logical B(k, n) sits at k*N + n, or n*K + k when transposed. */
function bTile(tB: boolean): TileLoad {
  return {
    row: tB ? 'k0 + x' : 'k0 + y',
    col: tB ? 'n0 + y' : 'n0 + x',
    rows: 'u.K',
    cols: 'u.N',
    offset: 'boff',
    index: tB ? 'col * u.K + row' : 'row * u.N + col',
    tileIndex: tB ? `x * ${T}u + y` : `y * ${T}u + x`,
  }
}

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

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/**
 * The accumulators and operand registers are scalars, unrolled here: a function-scope array
 * indexed in a loop lives in memory on SwiftShader (and is not zeroed again per iteration, see
 * ENVIRONMENT.md), which made the product forty times slower.
 */
function tiledBody(a: string, b: string, tA: boolean, tB: boolean, batchRank: number): string {
  const cells = range(R).flatMap((r) => range(R).map((c) => [r, c] as const))
  const zero = cells.map(([r, c]) => `var acc${r}_${c} = 0.0;`).join('\n  ')
  const loadA = range(R).map((r) => `let a${r} = As[(ty + ${S * r}u) * ${T}u + kk];`)
  const loadB = range(R).map((c) => `let b${c} = Bs[kk * ${T}u + tx + ${S * c}u];`)
  const fma = cells.map(([r, c]) => `acc${r}_${c} = acc${r}_${c} + a${r} * b${c};`)
  const store = cells.map(
    ([r, c]) =>
      `if (m0 + ty + ${S * r}u < u.M && n0 + tx + ${S * c}u < u.N) {\n    ` +
      `emit(cbase + (m0 + ty + ${S * r}u) * u.N + n0 + tx + ${S * c}u, acc${r}_${c});\n  }`,
  )
  return `let tx = lid.x;
  let ty = lid.y;
  ${batchOffsets(batchRank)}
  let m0 = wid.y * ${T}u;
  let n0 = wid.x * ${T}u;
  ${zero}
  for (var k0 = 0u; k0 < u.K; k0 = k0 + ${T}u) {
    ${loadTile(a, 'As', aTile(tA))}
    ${loadTile(b, 'Bs', bTile(tB))}
    workgroupBarrier();
    for (var kk = 0u; kk < ${T}u; kk = kk + 1u) {
      ${[...loadA, ...loadB, ...fma].join('\n      ')}
    }
    workgroupBarrier();
  }
  let cbase = wid.z * u.M * u.N;
  ${store.join('\n  ')}`
}

/** A product: operand names, transpose flags and sizes, with its batch axes. */
interface Product extends WideProduct {
  readonly batch: Shape
  readonly strides: Uniform[]
}

function tiled(p: Product): AnchorCode {
  const { tA, tB, batch } = p
  return {
    key: `matmul:tiled:${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}:${batch.length}`,
    uniforms: [u32('M', p.M), u32('N', p.N), u32('K', p.K), ...p.strides],
    lib: [],
    decls: `var<workgroup> As: array<f32, ${T * T}>;\nvar<workgroup> Bs: array<f32, ${T * T}>;`,
    main: tiledBody(p.a, p.b, tA, tB, batch.length),
    workgroupSize: [S, S, 1],
    workgroups: [Math.ceil(p.N / T), Math.ceil(p.M / T), numel(batch)],
    fusable: true,
  }
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

export const matmulAnchor: AnchorGen<'matmul'> = ({ eqn, argShapes, arg, tuning }) => {
  const [sa, sb] = [shapeAt(argShapes, 0), shapeAt(argShapes, 1)]
  const { transposeA: tA, transposeB: tB } = eqn.attrs
  const M = dim(eqn.shape, 2)
  const N = dim(eqn.shape, 1)
  const K = tA ? dim(sa, 2) : dim(sa, 1)
  const batch = eqn.shape.slice(0, -2)
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
  if (tuning.tiledMatmul) return tiled(product)
  if (batch.length === 0 && M * N * K <= SMALL) return small(product)
  const vec4 = tuning.vec4Operands !== false && fitsWide({ ...product, batch: numel(batch) })
  return vec4 ? wide(product) : direct(product)
}
