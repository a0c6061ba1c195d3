// Reductions over any set of axes: a map from each input element to its output element is
// made at prepare time; a step is one pass over the input.

import { reducedShape, strides } from '../../ir'
import { offsetMap } from './index-maps'
import type { Buf, Kernel, WasmContext } from './types'
import { arg, wasmAddr } from './types'

/** Output offset of every input element (reduced axes get stride 0). */
function reduceMap(inShape: readonly number[], axes: readonly number[]): Int32Array {
  const kept = reducedShape(inShape, axes, true)
  const outStrides = strides(kept).map((s, d) => (axes.includes(d) ? 0 : s))
  return offsetMap(inShape, outStrides)
}

/** [outer, mid, inner] when the reduced axes are consecutive (mid is their product). */
function contiguous(shape: readonly number[], axes: readonly number[]): number[] | null {
  const sorted = [...axes].sort((a, b) => a - b)
  const first = sorted[0] ?? shape.length
  if (sorted.some((a, i) => a !== first + i)) return null
  const prod = (from: number, to: number): number =>
    shape.slice(from, to).reduce((n, d) => n * d, 1)
  const end = first + sorted.length
  return [prod(0, first), prod(first, end), prod(end, shape.length)]
}

/** Σ over the middle axis of [outer, mid, inner], adding in the reference's order. */
function sumMiddle(x: Buf, out: Buf, outer: number, mid: number, inner: number): void {
  out.fill(0)
  for (let o = 0; o < outer; o++) {
    const ob = o * inner
    for (let r = 0; r < mid; r++) {
      const xb = (o * mid + r) * inner
      for (let j = 0; j < inner; j++) out[ob + j] = (out[ob + j] ?? 0) + (x[xb + j] ?? 0)
    }
  }
}

/** Σ of each run of `mid` consecutive elements, in a register (float32: rounded per add). */
function rowSums(x: Buf, out: Buf, outer: number, mid: number): () => void {
  if (!(out instanceof Float32Array)) return () => sumMiddle(x, out, outer, mid, 1)
  return () => {
    for (let o = 0, at = 0; o < outer; o++) {
      let acc = 0
      for (let r = 0; r < mid; r++, at++) acc = Math.fround(acc + (x[at] ?? 0))
      out[o] = acc
    }
  }
}

/** Sums over consecutive axes: SIMD for runs of 4 floats in wasm memory, else loops. */
function contiguousSum(x: Buf, out: Buf, dims: number[], wasm: WasmContext | null): () => void {
  const [outer = 1, mid = 1, inner = 1] = dims
  const simd = simdSum(x, out, inner, wasm)
  if (simd !== null) return () => simd(outer, mid, inner)
  if (inner === 1) return rowSums(x, out, outer, mid)
  return () => sumMiddle(x, out, outer, mid, inner)
}

/** The SIMD column sum, when rows are whole f32x4 runs in wasm memory and worth a call. */
function simdSum(
  x: Buf,
  out: Buf,
  inner: number,
  wasm: WasmContext | null,
): ((outer: number, mid: number, inner: number) => void) | null {
  const [px, po] = [wasmAddr(wasm, x), wasmAddr(wasm, out)]
  const sum = wasm?.instance.exports.sum_inner
  const big = x.length >= 256 || wasm?.forceSimd === true
  if (sum === undefined || px < 0 || po < 0 || inner % 4 !== 0 || !big) return null
  return (outer, mid, n) => sum(px, po, outer, mid, n)
}

export const sumKernel: Kernel<'sum'> = ({ out, args, argShapes, attrs, wasm }) => {
  const x = arg(args, 0)
  const dims = contiguous(argShapes[0] ?? [], attrs.axes)
  if (dims !== null) return contiguousSum(x, out, dims, wasm)
  const map = reduceMap(argShapes[0] ?? [], attrs.axes)
  return () => {
    out.fill(0)
    for (let i = 0; i < x.length; i++) {
      const o = map[i] ?? 0
      out[o] = (out[o] ?? 0) + (x[i] ?? 0)
    }
  }
}

export const maxKernel: Kernel<'max'> = ({ out, args, argShapes, attrs }) => {
  const x = arg(args, 0)
  const map = reduceMap(argShapes[0] ?? [], attrs.axes)
  return () => {
    out.fill(-Infinity)
    for (let i = 0; i < x.length; i++) {
      const o = map[i] ?? 0
      const v = x[i] ?? 0
      if (v > (out[o] ?? 0) || Number.isNaN(v)) out[o] = v
    }
  }
}
