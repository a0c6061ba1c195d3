// Pooling kernels over NCHW planes. Max pooling routes through each window's first maximum
// (padding never wins), shared by maxpool2d, its gradient and its gradient's VJP (select).

import type { Shape, WindowAttrs, Windows } from '../../ir'
import { nchw, windowsOver } from '../../ir'
import type { Buf, Kernel } from './types'
import { arg } from './types'

interface Pool extends Windows {
  planes: number
}

function pool(x: Shape, y: Shape, a: WindowAttrs): Pool {
  const [N, C] = nchw(x)
  return { planes: N * C, ...windowsOver(x, y, a) }
}

/** Offset (in the plane at `base`) of the first maximum of window (oh, ow). */
function argmax(x: Buf, base: number, p: Pool, oh: number, ow: number): number {
  let best = -Infinity
  let at = -1
  for (let i = 0; i < p.KH; i++) {
    const h = oh * p.sh - p.ph + i
    if (h < 0 || h >= p.H) continue
    for (let j = 0; j < p.KW; j++) {
      const w = ow * p.sw - p.pw + j
      const v = w >= 0 && w < p.W ? (x[base + h * p.W + w] ?? 0) : -Infinity
      if (v > best || at < 0) {
        best = v
        at = h * p.W + w
      }
    }
  }
  return at
}

/** Calls f(plane offset, pooled offset, oh, ow) for every window, in order. */
function eachWindow(p: Pool, f: (base: number, o: number, oh: number, ow: number) => void): void {
  let o = 0
  for (let n = 0; n < p.planes; n++) {
    const base = n * p.H * p.W
    for (let oh = 0; oh < p.OH; oh++) for (let ow = 0; ow < p.OW; ow++) f(base, o++, oh, ow)
  }
}

export const maxpoolKernel: Kernel<'maxpool2d'> = ({ out, args, argShapes, outShape, attrs }) => {
  const p = pool(argShapes[0] ?? [], outShape, attrs)
  const x = arg(args, 0)
  const visit = (base: number, o: number, oh: number, ow: number): void => {
    out[o] = x[base + argmax(x, base, p, oh, ow)] ?? 0
  }
  return () => eachWindow(p, visit)
}

export const maxpoolGradKernel: Kernel<'maxpool2d_grad'> = ({ out, args, argShapes, attrs }) => {
  const p = pool(argShapes[0] ?? [], argShapes[1] ?? [], attrs)
  const [x, gy] = [arg(args, 0), arg(args, 1)]
  const visit = (base: number, o: number, oh: number, ow: number): void => {
    const at = base + argmax(x, base, p, oh, ow)
    out[at] = (out[at] ?? 0) + (gy[o] ?? 0)
  }
  return () => {
    out.fill(0)
    eachWindow(p, visit)
  }
}

export const maxpoolSelectKernel: Kernel<'maxpool2d_select'> = (io) => {
  const p = pool(io.argShapes[0] ?? [], io.outShape, io.attrs)
  const [x, z, out] = [arg(io.args, 0), arg(io.args, 1), io.out]
  const visit = (base: number, o: number, oh: number, ow: number): void => {
    out[o] = z[base + argmax(x, base, p, oh, ow)] ?? 0
  }
  return () => eachWindow(p, visit)
}

/** Calls f(offset in plane) for each in-bounds pixel of window (oh, ow). */
function eachPixel(p: Pool, oh: number, ow: number, f: (at: number) => void): void {
  for (let i = 0; i < p.KH; i++) {
    const h = oh * p.sh - p.ph + i
    if (h < 0 || h >= p.H) continue
    for (let j = 0; j < p.KW; j++) {
      const w = ow * p.sw - p.pw + j
      if (w >= 0 && w < p.W) f(h * p.W + w)
    }
  }
}

export const avgpoolKernel: Kernel<'avgpool2d'> = ({ out, args, argShapes, outShape, attrs }) => {
  const p = pool(argShapes[0] ?? [], outShape, attrs)
  const x = arg(args, 0)
  const scale = 1 / (p.KH * p.KW)
  let s = 0
  let plane = 0
  const add = (at: number): void => void (s += x[plane + at] ?? 0)
  const visit = (base: number, o: number, oh: number, ow: number): void => {
    s = 0
    plane = base
    eachPixel(p, oh, ow, add)
    out[o] = s * scale
  }
  return () => eachWindow(p, visit)
}

export const avgpoolGradKernel: Kernel<'avgpool2d_grad'> = (io) => {
  const p = pool(io.outShape, io.argShapes[0] ?? [], io.attrs)
  const [gy, out] = [arg(io.args, 0), io.out]
  const scale = 1 / (p.KH * p.KW)
  let v = 0
  let plane = 0
  const add = (at: number): void => void (out[plane + at] = (out[plane + at] ?? 0) + v)
  const visit = (base: number, o: number, oh: number, ow: number): void => {
    v = (gy[o] ?? 0) * scale
    plane = base
    eachPixel(p, oh, ow, add)
  }
  return () => {
    out.fill(0)
    eachWindow(p, visit)
  }
}
