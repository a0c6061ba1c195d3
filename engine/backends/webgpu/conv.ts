// conv2d and its two gradients as implicit GEMMs on the register-blocked product (blocked.ts):
// the im2col matrix is never made, each load reads the pixel it stands for (zero in padding).
// y[n] = W · cols(x[n]); dx[n] = Wᵀ · gy[n] gathered back through the windows (a pixel finds
// the windows covering it by division, so no atomics); dW = gy · cols(x)ᵀ over every image.
// Geometry travels as i32 uniforms (padding makes coordinates negative).

import type { Shape, Windows } from '../../ir'
import { nchw, windowsOver } from '../../ir'
import type { AnchorGen } from './anchor'
import { shapeAt } from './anchor'
import { blocked, R } from './blocked'
import type { Uniform } from './program'
import { i32 } from './program'

interface ConvShapes {
  x: Shape
  w: Shape
  y: Shape
  stride: readonly number[]
  padding: readonly number[]
}

interface Geometry extends Windows {
  N: number
  C: number
  O: number
  uniforms: Uniform[]
  /** Stride 1 both ways: the input gradient needs no divisions. */
  unit: boolean
}

/** Sizes, and the uniforms the kernels read (batch, rows, columns and depth come apart). */
function geometry(s: ConvShapes): Geometry {
  const [N, C] = nchw(s.x)
  const [O] = nchw(s.w)
  const win = windowsOver(s.x, s.y, { kernel: s.w.slice(2), stride: s.stride, padding: s.padding })
  const uniforms = Object.entries({ NB: N, C, O, ...win }).map(([k, v]) => i32(k, v))
  return { N, C, O, ...win, uniforms, unit: win.sh === 1 && win.sw === 1 }
}

const each = (f: (c: number) => string): string =>
  Array.from({ length: R }, (_, c) => f(c)).join('\n  ')
const inside = (h: string, w: string): string =>
  `${h} >= 0 && ${h} < u.H && ${w} >= 0 && ${w} < u.W`

/** Rows: output channels; columns: output pixels of image b; depth: (c, ki, kj). */
export const conv2dAnchor: AnchorGen<'conv2d'> = ({ eqn, argShapes, arg }) => {
  const [x, w] = [arg(0), arg(1)]
  const g = geometry({
    x: shapeAt(argShapes, 0),
    w: shapeAt(argShapes, 1),
    y: eqn.shape,
    ...eqn.attrs,
  })
  return blocked({
    key: 'conv2d',
    M: g.O,
    N: g.OH * g.OW,
    K: g.C * g.KH * g.KW,
    batch: g.N,
    uniforms: g.uniforms,
    setup: `let xb = i32(b) * u.C * u.H * u.W;
  ${each((c) => `let hb${c} = (i32(nc${c}) / u.OW) * u.sh - u.ph;`)}
  ${each((c) => `let wb${c} = (i32(nc${c}) % u.OW) * u.sw - u.pw;`)}`,
    depth: [
      { name: 'kc', size: 'u.C' },
      { name: 'ki', size: 'u.KH' },
      { name: 'kj', size: 'u.KW' },
    ],
    step: 'let xc = xb + kc * u.H * u.W;',
    a: (r) => `${w}[mr${r} * u.K + k]`,
    b: (c) =>
      `let h${c} = hb${c} + ki;\n    let v${c} = wb${c} + kj;\n    ` +
      `if (${inside(`h${c}`, `v${c}`)}) { b${c} = ${x}[u32(xc + h${c} * u.W + v${c})]; }`,
    out: (m, n) => `b * u.M * u.N + ${m} * u.N + ${n}`,
  })
}

/** Rows: input channels; columns: input pixels of image b; depth: (o, ki, kj). */
export const conv2dGradInputAnchor: AnchorGen<'conv2d_grad_input'> = ({ eqn, argShapes, arg }) => {
  const [gy, w] = [arg(0), arg(1)]
  const g = geometry({
    x: eqn.shape,
    w: shapeAt(argShapes, 1),
    y: shapeAt(argShapes, 0),
    ...eqn.attrs,
  })
  // Window (oh, ow) = (th / sh, tw / sw) covers the pixel when the divisions are exact.
  const oh = (c: number): string => (g.unit ? `th${c}` : `(th${c} / u.sh)`)
  const ow = (c: number): string => (g.unit ? `tw${c}` : `(tw${c} / u.sw)`)
  const exact = (c: number): string =>
    g.unit ? '' : ` && th${c} % u.sh == 0 && tw${c} % u.sw == 0`
  const hit = (c: number): string =>
    `th${c} >= 0 && tw${c} >= 0${exact(c)} && ${oh(c)} < u.OH && ${ow(c)} < u.OW`
  const at = (c: number): string => `go + ${oh(c)} * u.OW + ${ow(c)}`
  return blocked({
    key: `conv2d_grad_input:${g.unit ? 'unit' : 'strided'}`,
    M: g.C,
    N: g.H * g.W,
    K: g.O * g.KH * g.KW,
    batch: g.N,
    uniforms: g.uniforms,
    setup: `let gb = i32(b) * u.O * u.OH * u.OW;
  ${each((c) => `let h${c} = i32(nc${c}) / u.W;`)}
  ${each((c) => `let v${c} = i32(nc${c}) % u.W;`)}`,
    depth: [
      { name: 'ko', size: 'u.O' },
      { name: 'ki', size: 'u.KH' },
      { name: 'kj', size: 'u.KW' },
    ],
    step: 'let go = gb + ko * u.OH * u.OW;',
    a: (r) => `${w}[u32(((ko * u.C + i32(mr${r})) * u.KH + ki) * u.KW + kj)]`,
    b: (c) =>
      `let th${c} = h${c} + u.ph - ki;\n    let tw${c} = v${c} + u.pw - kj;\n    ` +
      `if (${hit(c)}) { b${c} = ${gy}[u32(${at(c)})]; }`,
    out: (m, n) => `b * u.M * u.N + ${m} * u.N + ${n}`,
  })
}

/** Rows: output channels; columns: (c, ki, kj); depth: every pixel of every image. */
export const conv2dGradWeightAnchor: AnchorGen<'conv2d_grad_weight'> = (io) => {
  const { eqn, argShapes, arg } = io
  const [x, gy] = [arg(0), arg(1)]
  const g = geometry({
    x: shapeAt(argShapes, 0),
    w: eqn.shape,
    y: shapeAt(argShapes, 1),
    ...eqn.attrs,
  })
  return blocked({
    key: 'conv2d_grad_weight',
    M: g.O,
    N: g.C * g.KH * g.KW,
    K: g.N * g.OH * g.OW,
    batch: 1,
    uniforms: g.uniforms,
    setup: `${each((c) => `let qc${c} = i32(nc${c}) / (u.KH * u.KW);`)}
  ${each((c) => `let qi${c} = (i32(nc${c}) / u.KW) % u.KH;`)}
  ${each((c) => `let qj${c} = i32(nc${c}) % u.KW;`)}`,
    depth: [
      { name: 'n', size: 'u.NB' },
      { name: 'oh', size: 'u.OH' },
      { name: 'ow', size: 'u.OW' },
    ],
    step: 'let gb = n * u.O * u.OH * u.OW + oh * u.OW + ow;',
    a: (r) => `${gy}[u32(gb + i32(mr${r}) * u.OH * u.OW)]`,
    b: (c) =>
      `let h${c} = oh * u.sh - u.ph + qi${c};\n    let v${c} = ow * u.sw - u.pw + qj${c};\n    ` +
      `if (${inside(`h${c}`, `v${c}`)}) {\n      ` +
      `b${c} = ${x}[u32(((n * u.C + qc${c}) * u.H + h${c}) * u.W + v${c})];\n    }`,
    out: (m, n) => `${m} * u.N + ${n}`,
  })
}
