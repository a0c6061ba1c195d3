// Picks the SIMD form of an elementwise kernel when its operands sit in wasm memory in a
// layout the module covers (same shape, a scalar on either side, or a repeated row such as a
// bias), and returns null otherwise so the JavaScript loops run. Results are bit-identical.

import type { Shape } from '../../ir'
import { numel } from '../../ir'
import type { Buf, WasmContext } from './types'
import { wasmAddr } from './types'
import type { BinaryFn, UnaryFn, WhereFn } from './wasm/runtime'
import { exported } from './wasm/runtime'

/** Below this many elements a JavaScript loop costs less than the call into wasm. */
export const WASM_MIN_ELEMENTS = 64

type Step = () => void

const small = (ctx: WasmContext, n: number): boolean =>
  n < WASM_MIN_ELEMENTS && ctx.forceSimd !== true

function layout(sa: Shape, sb: Shape, out: Shape): { name: string; inner: number } | null {
  const [na, nb, n] = [numel(sa), numel(sb), numel(out)]
  if (na === n && nb === n) return { name: 'vv', inner: n }
  if (na === n && nb === 1) return { name: 'vs', inner: n }
  if (na === 1 && nb === n) return { name: 'sv', inner: n }
  const row = sb.slice(sb.findIndex((d) => d !== 1))
  const tail = out.slice(out.length - row.length)
  if (na === n && row.length > 0 && row.every((d, i) => d === tail[i])) {
    return { name: 'vr', inner: nb }
  }
  return null
}

export function wasmBinary(
  ctx: WasmContext | null,
  op: string,
  bufs: readonly [Buf, Buf, Buf],
  shapes: readonly [Shape, Shape, Shape],
): Step | null {
  const n = bufs[2].length
  const addrs = bufs.map((x) => wasmAddr(ctx, x))
  const form = layout(...shapes)
  if (ctx === null || small(ctx, n) || addrs.some((x) => x < 0) || form === null) {
    return null
  }
  const f = exported<BinaryFn>(ctx.instance, `${op}_${form.name}`)
  if (f === null) return null
  const [pa = 0, pb = 0, po = 0] = addrs
  const inner = form.inner
  return () => f(pa, pb, po, n, inner)
}

export function wasmUnary(ctx: WasmContext | null, op: string, a: Buf, o: Buf): Step | null {
  const [pa, po] = [wasmAddr(ctx, a), wasmAddr(ctx, o)]
  if (ctx === null || small(ctx, o.length) || pa < 0 || po < 0) return null
  const f = exported<UnaryFn>(ctx.instance, op)
  const n = o.length
  return f === null ? null : () => f(pa, po, n)
}

/** 'v' for a full operand, 's' for a scalar, 'x' for anything else (no SIMD form). */
const side = (x: Buf | undefined, n: number): string =>
  x?.length === n ? 'v' : x?.length === 1 ? 's' : 'x'

export function wasmWhere(ctx: WasmContext | null, bufs: readonly Buf[]): Step | null {
  const n = bufs[3]?.length ?? 0
  if (ctx === null || small(ctx, n) || side(bufs[0], n) !== 'v') return null
  const f = exported<WhereFn>(ctx.instance, `where_${side(bufs[1], n)}${side(bufs[2], n)}`)
  const addrs = bufs.map((x) => wasmAddr(ctx, x))
  if (f === null || addrs.length !== 4 || addrs.some((x) => x < 0)) return null
  const at = (i: number): number => addrs[i] ?? 0
  const [pc, pa, pb, po] = [at(0), at(1), at(2), at(3)]
  return () => f(pc, pa, pb, po, n)
}

/** o = a ± s·g (or s·g − a) in one SIMD pass; operands a, s, g, o. */
export function wasmAxpy(ctx: WasmContext | null, name: string, bufs: readonly Buf[]): Step | null {
  const n = bufs[3]?.length ?? 0
  if (ctx === null || small(ctx, n)) return null
  const f = exported<WhereFn>(ctx.instance, name)
  const addrs = bufs.map((x) => wasmAddr(ctx, x))
  if (f === null || addrs.length !== 4 || addrs.some((x) => x < 0)) return null
  const at = (i: number): number => addrs[i] ?? 0
  const [pa, ps, pg, po] = [at(0), at(1), at(2), at(3)]
  return () => f(pa, ps, pg, po, n)
}
