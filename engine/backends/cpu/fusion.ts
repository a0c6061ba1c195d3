// Two fusions that matter for small networks, where a step is dominated by the number of
// kernels rather than their arithmetic: Σ(v·s) (the per-node finiteness checks) and a ± s·g
// (the SGD-style update), each a scalar-times-tensor feeding one consumer. The fused kernel
// rounds each product to the buffer's precision exactly as the two kernels did, so results
// are unchanged; big updates in wasm memory run a SIMD form of the same arithmetic.

import type { Eqn, Program } from '../../ir'
import { numel } from '../../ir'
import { wasmAxpy } from './elementwise-wasm'
import type { Buf, WasmContext } from './types'

export type Fused =
  | { readonly kind: 'sum-scaled'; readonly v: number; readonly s: number }
  | {
      readonly kind: 'axpy'
      readonly op: 'add' | 'sub'
      readonly a: number
      readonly s: number
      readonly g: number
      /** True when the scaled term is the first operand (s·g ± a). */
      readonly scaledFirst: boolean
    }

export interface Fusions {
  /** Consumer equation position → its fused kernel. */
  readonly fused: ReadonlyMap<number, Fused>
  /** Producer equation positions folded into their consumer (not run on their own). */
  readonly folded: ReadonlySet<number>
}

/** Finds the fusable pairs: a mul by a scalar whose only use is a sum or an add/sub. */
export function findFusions(p: Program): Fusions {
  const uses = new Map<number, number>()
  for (const e of p.eqns) for (const a of e.args) uses.set(a, (uses.get(a) ?? 0) + 1)
  for (const o of p.outputs) uses.set(o.id, (uses.get(o.id) ?? 0) + 2)
  const size = new Map<number, number>([...p.inputs, ...p.eqns].map((v) => [v.id, numel(v.shape)]))
  const position = new Map(p.eqns.map((e, i) => [e.id, i]))
  const fused = new Map<number, Fused>()
  const folded = new Set<number>()
  p.eqns.forEach((e, i) => {
    for (const arg of e.args) {
      const at = position.get(arg) ?? -1
      const producer = p.eqns[at]
      if (producer?.op !== 'mul' || uses.get(arg) !== 1 || folded.has(at)) continue
      const scaled = scalarTimes(producer, size)
      const f = scaled === null ? null : fuse(e, arg, scaled, size)
      if (f === null) continue
      fused.set(i, f)
      folded.add(at)
      return
    }
  })
  return { fused, folded }
}

/** (scalar, tensor) ids of a mul where exactly one side is a scalar. */
function scalarTimes(e: Eqn, size: ReadonlyMap<number, number>): [number, number] | null {
  const [x = -1, y = -1] = e.args
  const [nx, ny, n] = [size.get(x), size.get(y), numel(e.shape)]
  if (nx === 1 && ny === n && n > 1) return [x, y]
  if (ny === 1 && nx === n && n > 1) return [y, x]
  return null
}

function fuse(
  e: Eqn,
  arg: number,
  [s, g]: [number, number],
  size: ReadonlyMap<number, number>,
): Fused | null {
  const n = numel(e.shape)
  if (e.op === 'sum' && n === 1) return { kind: 'sum-scaled', v: g, s }
  if (e.op !== 'add' && e.op !== 'sub') return null
  const [x = -1, y = -1] = e.args
  const other = x === arg ? y : x
  if (x === y || size.get(other) !== n || size.get(arg) !== n) return null
  return { kind: 'axpy', op: e.op, a: other, s, g, scaledFirst: x === arg }
}

/**
 * The fused kernel over bound buffers (float32 rounds each product as a store would); a ± s·g
 * takes its SIMD form for big tensors in wasm memory.
 */
export function fusedStep(
  f: Fused,
  buf: (id: number) => Buf,
  out: Buf,
  wasm: WasmContext | null,
): () => void {
  const s = buf(f.s)
  const f32 = out instanceof Float32Array
  if (f.kind === 'sum-scaled') {
    const v = buf(f.v)
    return f32 ? sumScaled32(v, s, out) : sumScaled64(v, s, out)
  }
  const a = buf(f.a)
  const g = buf(f.g)
  const n = out.length
  const name = f.op === 'add' ? 'axpy_add' : f.scaledFirst ? 'axpy_rsub' : 'axpy_sub'
  const simd = wasmAxpy(wasm, name, [a, s, g, out])
  if (simd !== null) return simd
  // a + s·g, a − s·g, or s·g − a (kept apart: −(a − s·g) would give −0 where s·g − a gives +0)
  const sign = f.op === 'sub' ? -1 : 1
  if (f.scaledFirst && f.op === 'sub') {
    return f32
      ? () => {
          const c = s[0] ?? 0
          for (let i = 0; i < n; i++) out[i] = Math.fround((g[i] ?? 0) * c) - (a[i] ?? 0)
        }
      : () => {
          const c = s[0] ?? 0
          for (let i = 0; i < n; i++) out[i] = (g[i] ?? 0) * c - (a[i] ?? 0)
        }
  }
  return f32
    ? () => {
        const c = s[0] ?? 0
        for (let i = 0; i < n; i++) out[i] = (a[i] ?? 0) + sign * Math.fround((g[i] ?? 0) * c)
      }
    : () => {
        const c = s[0] ?? 0
        for (let i = 0; i < n; i++) out[i] = (a[i] ?? 0) + sign * ((g[i] ?? 0) * c)
      }
}

function sumScaled32(v: Buf, s: Buf, out: Buf): () => void {
  const n = v.length
  return () => {
    const c = s[0] ?? 0
    // Scaling by zero (the finiteness checks) makes every term ±0 or NaN, whose sum is exact
    // (+0 or NaN) in any order: four chains instead of one rounded chain.
    if (c === 0) {
      out[0] = zeroScaledSum(v, n)
      return
    }
    let acc = 0
    for (let i = 0; i < n; i++) acc = Math.fround(acc + Math.fround((v[i] ?? 0) * c))
    out[0] = acc
  }
}

function sumScaled64(v: Buf, s: Buf, out: Buf): () => void {
  const n = v.length
  return () => {
    const c = s[0] ?? 0
    let acc = 0
    for (let i = 0; i < n; i++) acc += (v[i] ?? 0) * c
    out[0] = acc
  }
}

function zeroScaledSum(v: Buf, n: number): number {
  let a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0
  let i = 0
  for (; i + 3 < n; i += 4) {
    a0 += (v[i] ?? 0) * 0
    a1 += (v[i + 1] ?? 0) * 0
    a2 += (v[i + 2] ?? 0) * 0
    a3 += (v[i + 3] ?? 0) * 0
  }
  for (; i < n; i++) a0 += (v[i] ?? 0) * 0
  return a0 + a1 + a2 + a3
}
