// conv2d and its two gradients by im2col + gemm: each image's receptive fields are unrolled
// into a scratch matrix once, so all three become one blocked matrix multiply per image.

import type { Shape, Windows } from '../../ir'
import { nchw, windowsOver } from '../../ir'
import { gemm } from './gemm'
import type { MatView } from './gemm'
import type { Buf, Kernel } from './types'
import { arg } from './types'

interface Geom extends Windows {
  N: number
  C: number
  O: number
}

function geom(
  x: Shape,
  w: Shape,
  y: Shape,
  stride: readonly number[],
  padding: readonly number[],
): Geom {
  const [N, C] = nchw(x)
  const [O] = nchw(w)
  return { N, C, O, ...windowsOver(x, y, { kernel: w.slice(2), stride, padding }) }
}

/** col[(c·KH + i)·KW + j, oh·OW + ow] = x[n, c, oh·sh − ph + i, ow·sw − pw + j] (0 outside). */
function im2col(x: Buf, xOff: number, g: Geom, col: Buf): void {
  const { C, H, W, KH, KW, OH, OW, sh, sw, ph, pw } = g
  let r = 0
  for (let c = 0; c < C; c++) {
    for (let ki = 0; ki < KH; ki++) {
      for (let kj = 0; kj < KW; kj++, r++) {
        let at = r * OH * OW
        for (let oh = 0; oh < OH; oh++) {
          const h = oh * sh - ph + ki
          const rowOk = h >= 0 && h < H
          const src = xOff + (c * H + h) * W
          for (let ow = 0; ow < OW; ow++, at++) {
            const w = ow * sw - pw + kj
            col[at] = rowOk && w >= 0 && w < W ? (x[src + w] ?? 0) : 0
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds every column entry back into its pixel of dx. */
function col2im(col: Buf, dx: Buf, dxOff: number, g: Geom): void {
  const { C, H, W, KH, KW, OH, OW, sh, sw, ph, pw } = g
  let r = 0
  for (let c = 0; c < C; c++) {
    for (let ki = 0; ki < KH; ki++) {
      for (let kj = 0; kj < KW; kj++, r++) {
        let at = r * OH * OW
        for (let oh = 0; oh < OH; oh++) {
          const h = oh * sh - ph + ki
          const dst = dxOff + (c * H + h) * W
          for (let ow = 0; ow < OW; ow++, at++) {
            const w = ow * sw - pw + kj
            if (h >= 0 && h < H && w >= 0 && w < W)
              dx[dst + w] = (dx[dst + w] ?? 0) + (col[at] ?? 0)
          }
        }
      }
    }
  }
}

export const conv2dKernel: Kernel<'conv2d'> = (io) => {
  const [xs = [], ws = []] = io.argShapes
  const g = geom(xs, ws, io.outShape, io.attrs.stride, io.attrs.padding)
  const ckk = g.C * g.KH * g.KW
  const ohw = g.OH * g.OW
  const col = io.scratch(ckk * ohw)
  const [x, w, out] = [arg(io.args, 0), arg(io.args, 1), io.out]
  const W = { data: w, off: 0, rs: ckk, cs: 1 }
  const B = { data: col, off: 0, rs: ohw, cs: 1 }
  return () => {
    for (let n = 0; n < g.N; n++) {
      im2col(x, n * g.C * g.H * g.W, g, col)
      gemm(g.O, ohw, ckk, W, B, out, n * g.O * ohw, false)
    }
  }
}

export const conv2dGradWeightKernel: Kernel<'conv2d_grad_weight'> = (io) => {
  const [xs = [], gys = []] = io.argShapes
  const g = geom(xs, io.outShape, gys, io.attrs.stride, io.attrs.padding)
  const ckk = g.C * g.KH * g.KW
  const ohw = g.OH * g.OW
  const col = io.scratch(ckk * ohw)
  const [x, gy, dw] = [arg(io.args, 0), arg(io.args, 1), io.out]
  const colT = { data: col, off: 0, rs: 1, cs: ohw }
  const gyViews = perImage(g.N, (n) => ({ data: gy, off: n * g.O * ohw, rs: ohw, cs: 1 }))
  return () => {
    if (g.N === 0) dw.fill(0)
    for (let n = 0; n < g.N; n++) {
      im2col(x, n * g.C * g.H * g.W, g, col)
      gemm(g.O, ckk, ohw, gyViews[n] ?? colT, colT, dw, 0, n > 0)
    }
  }
}

export const conv2dGradInputKernel: Kernel<'conv2d_grad_input'> = (io) => {
  const [gys = [], ws = []] = io.argShapes
  const g = geom(io.outShape, ws, gys, io.attrs.stride, io.attrs.padding)
  const ckk = g.C * g.KH * g.KW
  const ohw = g.OH * g.OW
  const col = io.scratch(ckk * ohw)
  const [gy, w, dx] = [arg(io.args, 0), arg(io.args, 1), io.out]
  const Wt = { data: w, off: 0, rs: 1, cs: ckk }
  const gyViews = perImage(g.N, (n) => ({ data: gy, off: n * g.O * ohw, rs: ohw, cs: 1 }))
  return () => {
    dx.fill(0)
    for (let n = 0; n < g.N; n++) {
      gemm(ckk, ohw, g.O, Wt, gyViews[n] ?? Wt, col, 0, false)
      col2im(col, dx, n * g.C * g.H * g.W, g)
    }
  }
}

/** Per-image matrix views, made at prepare time so a step allocates nothing. */
function perImage(count: number, view: (n: number) => MatView): MatView[] {
  return Array.from({ length: count }, (_, n) => view(n))
}
