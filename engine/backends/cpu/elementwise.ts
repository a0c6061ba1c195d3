// Elementwise kernels: unary maps, binary ops with numpy broadcasting (through index maps made
// at prepare time) and the three-way where. Scalar math lives in the function tables.

import type { OpName, Shape } from '../../ir'
import { wasmBinary, wasmUnary, wasmWhere } from './elementwise-wasm'
import { broadcastMap } from './index-maps'
import type { Buf, Kernel } from './types'
import { arg } from './types'

type UnaryLoop = (o: Buf, a: Buf, n: number) => void
/** o[i] = a[i·sa] ⊕ b[i·sb]; strides are 1 (same shape) or 0 (a scalar operand). */
type BinaryLoop = (o: Buf, a: Buf, b: Buf, n: number, sa: number, sb: number) => void

// One loop per op (not one loop calling a function per op): a shared loop calling many
// functions turns megamorphic in V8 and runs several times slower.
export const UNARY_LOOPS = {
  neg: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = -(a[i] ?? 0)
  },
  exp: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.exp(a[i] ?? 0)
  },
  log: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log(a[i] ?? 0)
  },
  sqrt: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i] ?? 0)
  },
  tanh: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i] ?? 0)
  },
  erf: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = erf(a[i] ?? 0)
  },
  sin: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sin(a[i] ?? 0)
  },
  cos: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.cos(a[i] ?? 0)
  },
  abs: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.abs(a[i] ?? 0)
  },
  sign: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sign(a[i] ?? 0)
  },
  stop_gradient: (o, a, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] ?? 0
  },
} satisfies Record<string, UnaryLoop>

export const BINARY_LOOPS = {
  add: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = (a[i * sa] ?? 0) + (b[i * sb] ?? 0)
  },
  sub: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = (a[i * sa] ?? 0) - (b[i * sb] ?? 0)
  },
  mul: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = (a[i * sa] ?? 0) * (b[i * sb] ?? 0)
  },
  div: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = (a[i * sa] ?? 0) / (b[i * sb] ?? 0)
  },
  pow: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = Math.pow(a[i * sa] ?? 0, b[i * sb] ?? 0)
  },
  // ties and NaN in the first operand keep the first operand
  maximum: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = max2(a[i * sa] ?? 0, b[i * sb] ?? 0)
  },
  minimum: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = min2(a[i * sa] ?? 0, b[i * sb] ?? 0)
  },
  cmp_gt: (o, a, b, n, sa, sb) => {
    for (let i = 0; i < n; i++) o[i] = (a[i * sa] ?? 0) > (b[i * sb] ?? 0) ? 1 : 0
  },
} satisfies Record<string, BinaryLoop>

const max2 = (x: number, y: number): number => (x >= y || Number.isNaN(x) ? x : y)
const min2 = (x: number, y: number): number => (x <= y || Number.isNaN(x) ? x : y)

export function unaryKernel(name: keyof typeof UNARY_LOOPS): Kernel<OpName> {
  const loop: UnaryLoop = UNARY_LOOPS[name]
  return ({ out, args, wasm }) => {
    const a = arg(args, 0)
    const n = out.length
    return wasmUnary(wasm, name, a, out) ?? (() => loop(out, a, n))
  }
}

/**
 * Same-shape and scalar operands are read directly; any other broadcast operand is first
 * copied out to the output's shape in scratch memory, through an index map made once.
 */
export function binaryKernel(name: keyof typeof BINARY_LOOPS): Kernel<OpName> {
  const loop: BinaryLoop = BINARY_LOOPS[name]
  return ({ out, args, argShapes, outShape, scratch, wasm }) => {
    const [x, y] = [arg(args, 0), arg(args, 1)]
    const [sx = [], sy = []] = argShapes
    const simd = wasmBinary(wasm, name, [x, y, out], [sx, sy, outShape])
    if (simd !== null) return simd
    const a = operand(x, sx, outShape, scratch)
    const b = operand(y, sy, outShape, scratch)
    const n = out.length
    const [pa, pb, sa, sb] = [a.buf, b.buf, a.stride, b.stride]
    if (a.expand === nothing && b.expand === nothing) return () => loop(out, pa, pb, n, sa, sb)
    return () => {
      a.expand()
      b.expand()
      loop(out, pa, pb, n, sa, sb)
    }
  }
}

interface Operand {
  readonly buf: Buf
  readonly stride: number
  readonly expand: () => void
}

const nothing = (): void => undefined

function operand(x: Buf, shape: Shape, outShape: Shape, scratch: (n: number) => Buf): Operand {
  if (x.length === 1) return { buf: x, stride: 0, expand: nothing }
  const map = broadcastMap(shape, outShape)
  if (map === null) return { buf: x, stride: 1, expand: nothing }
  const buf = scratch(map.length)
  return { buf, stride: 1, expand: () => gatherCopy(buf, x, map) }
}

function gatherCopy(out: Buf, src: Buf, map: Int32Array): void {
  for (let i = 0; i < map.length; i++) out[i] = src[map[i] ?? 0] ?? 0
}

export const whereKernel: Kernel<'where'> = ({ out, args, argShapes, outShape, wasm }) => {
  const [c, a, b] = [arg(args, 0), arg(args, 1), arg(args, 2)]
  const simd = wasmWhere(wasm, [c, a, b, out])
  if (simd !== null) return simd
  const maps = argShapes.map((s) => broadcastMap(s, outShape) ?? identity(out.length))
  const [ic, ia, ib] = [maps[0] ?? identity(0), maps[1] ?? identity(0), maps[2] ?? identity(0)]
  return () => {
    for (let i = 0; i < out.length; i++) {
      out[i] = (c[ic[i] ?? 0] ?? 0) !== 0 ? (a[ia[i] ?? 0] ?? 0) : (b[ib[i] ?? 0] ?? 0)
    }
  }
}

function identity(n: number): Int32Array {
  const m = new Int32Array(n)
  for (let i = 0; i < n; i++) m[i] = i
  return m
}

/** Error function to float64 accuracy: Taylor series below 3, continued fraction above. */
export function erf(x: number): number {
  const ax = Math.abs(x)
  if (ax < 3) {
    let term = x
    let sum = x
    const x2 = x * x
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n
      const t = term / (2 * n + 1)
      sum += t
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break
    }
    return (sum * 2) / Math.sqrt(Math.PI)
  }
  let f = ax
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f
  const erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f)
  return x > 0 ? 1 - erfc : erfc - 1
}
