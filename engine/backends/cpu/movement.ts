// Movement kernels: every one is a copy through an offset map made at prepare time (reshape is
// a plain copy, pad fills zeros first, concat copies each operand into its slab).

import type { Shape } from '../../ir'
import { numel, strides } from '../../ir'
import { offsetMap } from './index-maps'
import type { Buf, Kernel } from './types'
import { arg } from './types'

function gatherCopy(out: Buf, src: Buf, map: Int32Array): void {
  for (let i = 0; i < map.length; i++) out[i] = src[map[i] ?? 0] ?? 0
}

function scatterCopy(out: Buf, src: Buf, map: Int32Array): void {
  for (let i = 0; i < map.length; i++) out[map[i] ?? 0] = src[i] ?? 0
}

export const reshapeKernel: Kernel<'reshape'> = ({ out, args }) => {
  const x = arg(args, 0)
  return () => out.set(x)
}

export const permuteKernel: Kernel<'permute'> = ({ out, args, argShapes, outShape, attrs }) => {
  const own = strides(argShapes[0] ?? [])
  const map = offsetMap(
    outShape,
    attrs.perm.map((p) => own[p] ?? 0),
  )
  const x = arg(args, 0)
  return () => gatherCopy(out, x, map)
}

export const expandKernel: Kernel<'expand'> = ({ out, args, argShapes, outShape }) => {
  const shape = argShapes[0] ?? []
  const own = strides(shape)
  const lead = outShape.length - shape.length
  const src = outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : (own[d - lead] ?? 0)))
  const map = offsetMap(outShape, src)
  const x = arg(args, 0)
  return () => gatherCopy(out, x, map)
}

export const sliceKernel: Kernel<'slice'> = ({ out, args, argShapes, outShape, attrs }) => {
  const own = strides(argShapes[0] ?? [])
  const base = attrs.starts.reduce((o, s, d) => o + s * (own[d] ?? 0), 0)
  const map = offsetMap(outShape, own, base)
  const x = arg(args, 0)
  return () => gatherCopy(out, x, map)
}

export const padKernel: Kernel<'pad'> = ({ out, args, argShapes, outShape, attrs }) => {
  const map = slabMap(argShapes[0] ?? [], outShape, attrs.before)
  const x = arg(args, 0)
  return () => {
    out.fill(0)
    scatterCopy(out, x, map)
  }
}

export const concatKernel: Kernel<'concat'> = ({ out, args, argShapes, outShape, attrs }) => {
  let offset = 0
  const maps = argShapes.map((s, i) => {
    const at = outShape.map((_, d) => (d === attrs.axis ? offset : 0))
    offset += s[attrs.axis] ?? 0
    return { map: slabMap(s, outShape, at), src: arg(args, i) }
  })
  return () => {
    for (let i = 0; i < maps.length; i++) {
      const m = maps[i]
      if (m) scatterCopy(out, m.src, m.map)
    }
  }
}

/** Where each element of a `shape` block placed at `at` inside `outer` lands. */
function slabMap(shape: Shape, outer: Shape, at: readonly number[]): Int32Array {
  const os = strides(outer)
  const base = at.reduce((o, s, d) => o + s * (os[d] ?? 0), 0)
  return numel(shape) === 0 ? new Int32Array(0) : offsetMap(shape, os, base)
}
