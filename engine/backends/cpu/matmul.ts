// Batched matmul with transpose flags: batch offsets are worked out at prepare time (batch
// axes broadcast), then each batch is one strided gemm, so transposes are never materialised.

import { broadcastStrides } from '../../ir'
import { gemm } from './gemm'
import type { MatView } from './gemm'
import { offsetMap } from './index-maps'
import type { Kernel } from './types'
import { arg, dim } from './types'

export const matmulKernel: Kernel<'matmul'> = (io) => {
  const { out, args, argShapes, outShape, attrs } = io
  const [sa = [], sb = []] = argShapes
  const { transposeA: tA, transposeB: tB } = attrs
  const M = dim(outShape, -2)
  const N = dim(outShape, -1)
  const K = tA ? dim(sa, -2) : dim(sa, -1)
  const batch = outShape.slice(0, -2)
  const aOffs = offsetMap(
    batch,
    broadcastStrides(sa.slice(0, -2), batch).map((s) => s * M * K),
  )
  const bOffs = offsetMap(
    batch,
    broadcastStrides(sb.slice(0, -2), batch).map((s) => s * K * N),
  )
  const a = arg(args, 0)
  const b = arg(args, 1)
  const view = (data: typeof a, off: number, rs: number, cs: number): MatView => ({
    data,
    off,
    rs,
    cs,
  })
  const views = Array.from(aOffs, (ao, i) => ({
    A: tA ? view(a, ao, 1, M) : view(a, ao, K, 1),
    B: tB ? view(b, bOffs[i] ?? 0, 1, K) : view(b, bOffs[i] ?? 0, N, 1),
  }))
  return () => {
    for (let i = 0; i < views.length; i++) {
      const v = views[i]
      if (v) gemm(M, N, K, v.A, v.B, out, i * M * N, false)
    }
  }
}
