// The ragged borders of the JavaScript gemm, four outputs at a time (a column of four rows, or
// a row of four columns) so small products keep four independent sums in flight. Each output
// is summed over p in order in float64, exactly as the 4×4 tile does.

import type { MatView } from './gemm'
import type { Buf } from './types'

/** Rows i…i+3 of column j. */
export function rows4(
  A: MatView,
  B: MatView,
  C: Buf,
  at: number,
  N: number,
  i: number,
  j: number,
  p0: number,
  p1: number,
  acc: boolean,
): void {
  const { data: a, rs: ars, cs: acs } = A
  const { data: b, rs: brs } = B
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0
  let pa = A.off + i * ars + p0 * acs
  let pb = B.off + p0 * brs + j * B.cs
  for (let p = p0; p < p1; p++, pa += acs, pb += brs) {
    const bv = b[pb] ?? 0
    s0 += (a[pa] ?? 0) * bv
    s1 += (a[pa + ars] ?? 0) * bv
    s2 += (a[pa + 2 * ars] ?? 0) * bv
    s3 += (a[pa + 3 * ars] ?? 0) * bv
  }
  put4(C, at + i * N + j, N, acc, s0, s1, s2, s3)
}

/** Columns j…j+3 of row i. */
export function cols4(
  A: MatView,
  B: MatView,
  C: Buf,
  at: number,
  N: number,
  i: number,
  j: number,
  p0: number,
  p1: number,
  acc: boolean,
): void {
  const { data: a, cs: acs } = A
  const { data: b, rs: brs, cs: bcs } = B
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0
  let pa = A.off + i * A.rs + p0 * acs
  let pb = B.off + p0 * brs + j * bcs
  for (let p = p0; p < p1; p++, pa += acs, pb += brs) {
    const av = a[pa] ?? 0
    s0 += av * (b[pb] ?? 0)
    s1 += av * (b[pb + bcs] ?? 0)
    s2 += av * (b[pb + 2 * bcs] ?? 0)
    s3 += av * (b[pb + 3 * bcs] ?? 0)
  }
  put4(C, at + i * N + j, 1, acc, s0, s1, s2, s3)
}

/** Stores (or adds) four sums `step` apart. */
function put4(
  C: Buf,
  c: number,
  step: number,
  acc: boolean,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
): void {
  if (acc) {
    C[c] = (C[c] ?? 0) + s0
    C[c + step] = (C[c + step] ?? 0) + s1
    C[c + 2 * step] = (C[c + 2 * step] ?? 0) + s2
    C[c + 3 * step] = (C[c + 3 * step] ?? 0) + s3
  } else {
    C[c] = s0
    C[c + step] = s1
    C[c + 2 * step] = s2
    C[c + 3 * step] = s3
  }
}
