// General matrix multiply on strided operands: C[i,j] (+)= Σ_p A[i,p]·B[p,j], where A and B
// may be read transposed through their strides. A 4×4 register tile over a K-blocked loop is
// what makes JavaScript reach several GFLOP/s; matmul and conv2d (via im2col) both use it.

import { cols4, rows4 } from './gemm-edges'
import type { Buf } from './types'

/** A matrix view: element (r, c) lives at off + r·rs + c·cs. */
export interface MatView {
  readonly data: Buf
  readonly off: number
  readonly rs: number
  readonly cs: number
}

const KC = 256

/** C (row-major M×N at cOff) = A·B, or += when `accumulate`. */
export function gemm(
  M: number,
  N: number,
  K: number,
  A: MatView,
  B: MatView,
  C: Buf,
  cOff: number,
  accumulate: boolean,
): void {
  if (K === 0 && !accumulate) C.fill(0, cOff, cOff + M * N)
  for (let p0 = 0; p0 < K; p0 += KC) {
    const p1 = Math.min(K, p0 + KC)
    const acc = accumulate || p0 > 0
    const m4 = M - (M % 4)
    const n4 = N - (N % 4)
    for (let i = 0; i < m4; i += 4) {
      for (let j = 0; j < n4; j += 4) tile4x4(A, B, C, cOff, N, i, j, p0, p1, acc)
      for (let j = n4; j < N; j++) rows4(A, B, C, cOff, N, i, j, p0, p1, acc)
    }
    for (let i = m4; i < M; i++) {
      for (let j = 0; j < n4; j += 4) cols4(A, B, C, cOff, N, i, j, p0, p1, acc)
      if (n4 < N) edge(A, B, C, cOff, N, i, i + 1, n4, N, p0, p1, acc)
    }
  }
}

// The hot loop: 16 accumulators in registers, 8 loads per 16 multiply-adds. Kept in one
// function on purpose (splitting it costs the register tile).
function tile4x4(
  A: MatView,
  B: MatView,
  C: Buf,
  cOff: number,
  N: number,
  i: number,
  j: number,
  p0: number,
  p1: number,
  acc: boolean,
): void {
  const a = A.data
  const b = B.data
  const { rs: ars, cs: acs } = A
  const { rs: brs, cs: bcs } = B

  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0,
    c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0
  let pa = A.off + i * ars + p0 * acs
  let pb = B.off + p0 * brs + j * bcs
  for (let p = p0; p < p1; p++, pa += acs, pb += brs) {
    const a0 = a[pa] ?? 0
    const a1 = a[pa + ars] ?? 0
    const a2 = a[pa + 2 * ars] ?? 0
    const a3 = a[pa + 3 * ars] ?? 0
    const b0 = b[pb] ?? 0
    const b1 = b[pb + bcs] ?? 0
    const b2 = b[pb + 2 * bcs] ?? 0
    const b3 = b[pb + 3 * bcs] ?? 0
    c00 += a0 * b0
    c01 += a0 * b1
    c02 += a0 * b2
    c03 += a0 * b3
    c10 += a1 * b0
    c11 += a1 * b1
    c12 += a1 * b2
    c13 += a1 * b3
    c20 += a2 * b0
    c21 += a2 * b1
    c22 += a2 * b2
    c23 += a2 * b3
    c30 += a3 * b0
    c31 += a3 * b1
    c32 += a3 * b2
    c33 += a3 * b3
  }
  const r0 = cOff + i * N + j
  store4(C, r0, acc, c00, c01, c02, c03)
  store4(C, r0 + N, acc, c10, c11, c12, c13)
  store4(C, r0 + 2 * N, acc, c20, c21, c22, c23)
  store4(C, r0 + 3 * N, acc, c30, c31, c32, c33)
}

function store4(
  C: Buf,
  at: number,
  acc: boolean,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
): void {
  if (acc) {
    C[at] = (C[at] ?? 0) + v0
    C[at + 1] = (C[at + 1] ?? 0) + v1
    C[at + 2] = (C[at + 2] ?? 0) + v2
    C[at + 3] = (C[at + 3] ?? 0) + v3
  } else {
    C[at] = v0
    C[at + 1] = v1
    C[at + 2] = v2
    C[at + 3] = v3
  }
}

/** Rows [i0, i1) × columns [j0, j1) one dot product at a time (the ragged borders). */
function edge(
  A: MatView,
  B: MatView,
  C: Buf,
  cOff: number,
  N: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  p0: number,
  p1: number,
  acc: boolean,
): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let s = 0
      let pa = A.off + i * A.rs + p0 * A.cs
      let pb = B.off + p0 * B.rs + j * B.cs
      for (let p = p0; p < p1; p++, pa += A.cs, pb += B.rs)
        s += (A.data[pa] ?? 0) * (B.data[pb] ?? 0)
      const at = cOff + i * N + j
      C[at] = acc ? (C[at] ?? 0) + s : s
    }
  }
}
