// Reductions over any set of axes: a map from each input element to its output element is
// made at prepare time; a step is one pass over the input.

import { reducedShape, strides } from '../../ir'
import { offsetMap } from './index-maps'
import type { Kernel } from './types'
import { arg } from './types'

/** Output offset of every input element (reduced axes get stride 0). */
function reduceMap(inShape: readonly number[], axes: readonly number[]): Int32Array {
  const kept = reducedShape(inShape, axes, true)
  const outStrides = strides(kept).map((s, d) => (axes.includes(d) ? 0 : s))
  return offsetMap(inShape, outStrides)
}

export const sumKernel: Kernel<'sum'> = ({ out, args, argShapes, attrs }) => {
  const x = arg(args, 0)
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
