// Batched matmul with transpose flags: batch offsets are worked out at prepare time (batch
// axes broadcast), then each batch is one strided gemm, so transposes are never materialised.
// Float32 operands in wasm memory take the SIMD gemm once a product is big enough to repay its
// packing; small ones (and float64 gradient checks) take the JavaScript gemm.

import { broadcastStrides } from '../../ir'
import { gemm } from './gemm'
import type { MatView } from './gemm'
import { gemmCall } from './gemm-wasm'
import { offsetMap } from './index-maps'
import type { Buf, Kernel, KernelIo } from './types'
import { arg, dim, wasmAddr } from './types'

/** Multiply-adds below which the JavaScript gemm is as fast (and keeps float64 accumulation). */
export const WASM_MIN_WORK = 32768
/** Multiply-adds from which splitting a gemm across two threads repays the handshake. */
export const THREAD_MIN_WORK = 1 << 21

interface Geometry {
  readonly M: number
  readonly N: number
  /** Depth of each product (of a part, for a split product), and of the operands. */
  readonly K: number
  readonly depth: number
  /** Element offsets of A, B per batch (row-major batches of C follow each other). */
  readonly aOffs: Int32Array
  readonly bOffs: Int32Array
}

/**
 * A split product (depthParts p) is p products of depth K/p, one per leading axis entry: part i
 * starts i·K/p along each operand's depth, which keeps its row and column strides.
 */
function geometry(io: KernelIo<'matmul'>): Geometry {
  const [sa = [], sb = []] = io.argShapes
  const { transposeA: tA, transposeB: tB, depthParts: parts = 1 } = io.attrs
  const M = dim(io.outShape, -2)
  const N = dim(io.outShape, -1)
  const depth = tA ? dim(sa, -2) : dim(sa, -1)
  const batch = io.outShape.slice(parts > 1 ? 1 : 0, -2)
  const offs = (s: readonly number[], size: number): Int32Array =>
    offsetMap(
      batch,
      broadcastStrides(s.slice(0, -2), batch).map((x) => x * size),
    )
  const [aOffs, bOffs] = [offs(sa, M * depth), offs(sb, depth * N)]
  const K = depth / parts
  // Where part i starts in each operand: i·K along its depth axis.
  const [aStep, bStep] = [tA ? K * M : K, tB ? K : K * N]
  const inParts = (o: Int32Array, step: number): Int32Array =>
    Int32Array.from(
      { length: parts * o.length },
      (_, j) => (o[j % o.length] ?? 0) + step * Math.floor(j / o.length),
    )
  return { M, N, K, depth, aOffs: inParts(aOffs, aStep), bOffs: inParts(bOffs, bStep) }
}

/** Whether a matmul of these shapes takes the SIMD gemm (when its operands are in wasm memory). */
export function wantsSimd(outShape: readonly number[], k: number): boolean {
  return (outShape.at(-2) ?? 1) * (outShape.at(-1) ?? 1) * k >= WASM_MIN_WORK
}

export const matmulKernel: Kernel<'matmul'> = (io) => {
  const g = geometry(io)
  const [a, b] = [arg(io.args, 0), arg(io.args, 1)]
  const addrs = [a, b, io.out].map((x) => wasmAddr(io.wasm, x))
  const work = g.M * g.N * g.K
  const big = work >= WASM_MIN_WORK || io.wasm?.forceSimd === true
  if (io.wasm !== null && big && addrs.every((x) => x >= 0)) {
    return wasmMatmul(io, g, addrs)
  }
  return jsMatmul(io, g, a, b)
}

function jsMatmul(io: KernelIo<'matmul'>, g: Geometry, a: Buf, b: Buf): () => void {
  const { transposeA: tA, transposeB: tB } = io.attrs
  const { M, N, K } = g
  const view = (data: Buf, off: number, rs: number, cs: number): MatView => ({
    data,
    off,
    rs,
    cs,
  })
  const views = Array.from(g.aOffs, (ao, i) => ({
    A: tA ? view(a, ao, 1, M) : view(a, ao, g.depth, 1),
    B: tB ? view(b, g.bOffs[i] ?? 0, 1, g.depth) : view(b, g.bOffs[i] ?? 0, N, 1),
  }))
  const out = io.out
  return () => {
    for (let i = 0; i < views.length; i++) {
      const v = views[i]
      if (v) gemm(M, N, K, v.A, v.B, out, i * M * N, false)
    }
  }
}

function wasmMatmul(io: KernelIo<'matmul'>, g: Geometry, addrs: readonly number[]): () => void {
  const ctx = io.wasm
  const [aAddr = 0, bAddr = 0, cAddr = 0] = addrs
  if (ctx === null) throw new Error('matmul: no wasm context')
  const { transposeA: tA, transposeB: tB } = io.attrs
  const { M, N, K, depth } = g
  const [ars, acs] = tA ? [4, 4 * M] : [4 * depth, 4]
  const [brs, bcs] = tB ? [4, 4 * depth] : [4 * N, 4]
  const team = M * N * K >= THREAD_MIN_WORK ? ctx.team : null
  const calls = Array.from(g.aOffs, (ao, i) => {
    const a = aAddr + 4 * ao
    const b = bAddr + 4 * (g.bOffs[i] ?? 0)
    const args = [M, N, K, a, ars, acs, b, brs, bcs, cAddr + 4 * i * M * N, 4 * N, 0]
    return team === null
      ? gemmCall(ctx.instance.exports.gemm, args, ctx.workspace)
      : team.prepare(args, ctx.workspace)
  })
  const out = io.out
  return () => {
    if (K === 0) out.fill(0)
    for (let i = 0; i < calls.length; i++) calls[i]?.()
  }
}
