// Pooling anchors over NCHW planes, as maps. Max pooling routes through each window's first
// maximum exactly as the CPU does (same scan order and tie rule), shared by maxpool2d, its
// gradient (a pixel sums gy over the windows whose maximum it is, in window order) and the
// gradient's VJP (select). Average pooling counts padding in the divisor.

import type { Shape, WindowAttrs } from '../../ir'
import { nchw, numel, pair, windowsOver } from '../../ir'
import type { AnchorCode, AnchorGen } from './anchor'
import { mapAnchor, shapeAt } from './anchor'
import { f32, i32 } from './program'

/** Uniforms of a pool from the full-size (x) and pooled (y) shapes. */
function geometry(x: Shape, y: Shape, a: WindowAttrs): ReturnType<typeof i32>[] {
  const [N, C] = nchw(x)
  const g = { P: N * C, ...windowsOver(x, y, a) }
  return Object.entries(g).map(([k, v]) => i32(k, v))
}

/** `fn argmax(base, oh, ow) -> i32`: offset in the plane of the window's first maximum. */
const argmaxFn = (x: string): string => `fn argmax(base: i32, oh: i32, ow: i32) -> i32 {
  var best = 0.0;
  var at = -1;
  for (var i = 0; i < u.KH; i = i + 1) {
    let h = oh * u.sh - u.ph + i;
    if (h < 0 || h >= u.H) { continue; }
    for (var j = 0; j < u.KW; j = j + 1) {
      let w = ow * u.sw - u.pw + j;
      var v = -inf_f();
      if (w >= 0 && w < u.W) { v = ${x}[u32(base + h * u.W + w)]; }
      if (v > best || at < 0) {
        best = v;
        at = h * u.W + w;
      }
    }
  }
  return at;
}`

/** Pooled coordinates of flat index i: plane p, oh, ow, and the plane's base offset. */
const POOLED = `let q = i32(i);
  let ow = q % u.OW;
  let oh = (q / u.OW) % u.OH;
  let p = q / (u.OW * u.OH);
  let base = p * u.H * u.W;`

/** Full-size coordinates of flat index i: pixel (h, w) of plane p. */
const PIXEL = `let q = i32(i);
  let w = q % u.W;
  let h = (q / u.W) % u.H;
  let p = q / (u.W * u.H);
  let base = p * u.H * u.W;`

/** Loops over the windows covering pixel (h, w) in window order; `body` sees oh, ow, o. */
function coveringWindows(body: string): string {
  return `let oh0 = max(0, (h + u.ph - u.KH + u.sh) / u.sh);
  let ow0 = max(0, (w + u.pw - u.KW + u.sw) / u.sw);
  for (var oh = oh0; oh < u.OH && oh * u.sh - u.ph <= h; oh = oh + 1) {
    for (var ow = ow0; ow < u.OW && ow * u.sw - u.pw <= w; ow = ow + 1) {
      let o = (p * u.OH + oh) * u.OW + ow;
      ${body}
    }
  }`
}

function poolMap(
  key: string,
  count: number,
  uniforms: ReturnType<typeof geometry>,
  decls: string,
  value: string,
): AnchorCode {
  return mapAnchor({ key, count, uniforms, decls, value, lib: ['inf_f'] })
}

export const maxpoolAnchor: AnchorGen<'maxpool2d'> = ({ eqn, argShapes, arg }) =>
  poolMap(
    'maxpool2d',
    numel(eqn.shape),
    geometry(shapeAt(argShapes, 0), eqn.shape, eqn.attrs),
    argmaxFn(arg(0)),
    `  ${POOLED}\n  return ${arg(0)}[u32(base + argmax(base, oh, ow))];`,
  )

export const maxpoolSelectAnchor: AnchorGen<'maxpool2d_select'> = ({ eqn, argShapes, arg }) =>
  poolMap(
    'maxpool2d_select',
    numel(eqn.shape),
    geometry(shapeAt(argShapes, 0), eqn.shape, eqn.attrs),
    argmaxFn(arg(0)),
    `  ${POOLED}\n  return ${arg(1)}[u32(base + argmax(base, oh, ow))];`,
  )

export const maxpoolGradAnchor: AnchorGen<'maxpool2d_grad'> = ({ eqn, argShapes, arg }) =>
  poolMap(
    'maxpool2d_grad',
    numel(eqn.shape),
    geometry(eqn.shape, shapeAt(argShapes, 1), eqn.attrs),
    argmaxFn(arg(0)),
    `  ${PIXEL}
  let me = h * u.W + w;
  var acc = 0.0;
  ${coveringWindows(`if (argmax(base, oh, ow) == me) { acc = acc + ${arg(1)}[u32(o)]; }`)}
  return acc;`,
  )

export const avgpoolAnchor: AnchorGen<'avgpool2d'> = ({ eqn, argShapes, arg }) =>
  poolMap(
    'avgpool2d',
    numel(eqn.shape),
    [...geometry(shapeAt(argShapes, 0), eqn.shape, eqn.attrs), f32('scale', scale(eqn.attrs))],
    '',
    `  ${POOLED}
  var acc = 0.0;
  for (var i = 0; i < u.KH; i = i + 1) {
    let h = oh * u.sh - u.ph + i;
    if (h < 0 || h >= u.H) { continue; }
    for (var j = 0; j < u.KW; j = j + 1) {
      let w = ow * u.sw - u.pw + j;
      if (w >= 0 && w < u.W) { acc = acc + ${arg(0)}[u32(base + h * u.W + w)]; }
    }
  }
  return acc * u.scale;`,
  )

export const avgpoolGradAnchor: AnchorGen<'avgpool2d_grad'> = ({ eqn, argShapes, arg }) =>
  poolMap(
    'avgpool2d_grad',
    numel(eqn.shape),
    [...geometry(eqn.shape, shapeAt(argShapes, 0), eqn.attrs), f32('scale', scale(eqn.attrs))],
    '',
    `  ${PIXEL}
  var acc = 0.0;
  ${coveringWindows(`acc = acc + ${arg(0)}[u32(o)] * u.scale;`)}
  return acc;`,
  )

function scale(a: WindowAttrs): number {
  const [KH, KW] = pair(a.kernel, 1)
  return 1 / (KH * KW)
}
