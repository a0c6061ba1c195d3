// Indexing and source kernels: gather/scatter_add by row index, constants, iota, and the
// counter-based uniform random numbers (a hash of seed, key and index, so any backend that
// implements the same 32-bit hash produces the same dropout masks).

import { numel, strides } from '../../ir'
import type { Kernel } from './types'
import { arg, dim } from './types'

/** Row index, or -1 when the float is not a valid row (such rows read and write nothing). */
function row(v: number | undefined, rows: number): number {
  const r = Math.round(v ?? -1)
  return r >= 0 && r < rows ? r : -1
}

export const gatherKernel: Kernel<'gather'> = ({ out, args, argShapes }) => {
  const [table, idx] = [arg(args, 0), arg(args, 1)]
  const xs = argShapes[0] ?? []
  const rows = dim(xs, 0)
  const width = numel(xs.slice(1))
  return () => {
    for (let i = 0; i < idx.length; i++) {
      const r = row(idx[i], rows)
      if (r < 0) out.fill(0, i * width, (i + 1) * width)
      else out.set(table.subarray(r * width, (r + 1) * width), i * width)
    }
  }
}

export const scatterAddKernel: Kernel<'scatter_add'> = ({ out, args, attrs }) => {
  const [g, idx] = [arg(args, 0), arg(args, 1)]
  const width = idx.length === 0 ? 0 : g.length / idx.length
  return () => {
    out.fill(0)
    for (let i = 0; i < idx.length; i++) {
      const r = row(idx[i], attrs.rows)
      if (r < 0) continue
      for (let k = 0; k < width; k++)
        out[r * width + k] = (out[r * width + k] ?? 0) + (g[i * width + k] ?? 0)
    }
  }
}

export const fullKernel: Kernel<'full'> =
  ({ out, attrs }) =>
  () =>
    out.fill(attrs.value)

export const iotaKernel: Kernel<'iota'> = ({ out, attrs }) => {
  const step = strides(attrs.shape)[attrs.axis] ?? 1
  const size = attrs.shape[attrs.axis] ?? 1
  return () => {
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(i / step) % size
  }
}

/** lowbias32 (Wellons): a well-mixed 32-bit integer hash. */
export function hash32(v: number): number {
  let x = v >>> 0
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

/** Uniform in [0, 1) with 24 random bits: exact in float32. */
export function uniformAt(seed: number, key: number, i: number): number {
  return (hash32(i ^ hash32(key ^ hash32(seed))) >>> 8) / 16777216
}

export const randomKernel: Kernel<'random_uniform'> = ({ out, args, attrs }) => {
  const key = arg(args, 0)
  return () => {
    const base = hash32((Math.round(key[0] ?? 0) >>> 0) ^ hash32(attrs.seed))
    for (let i = 0; i < out.length; i++) out[i] = (hash32(i ^ base) >>> 8) / 16777216
  }
}
