// Index maps made at prepare time: for each output element, the offset it reads from an
// operand (broadcasting, permutes, slices, padding). Steps then run flat loops over them.

import type { Shape } from '../../ir'
import { broadcastStrides, numel, sameShape } from '../../ir'

/**
 * Offsets `base + Σ index[d]·srcStrides[d]` for every element of `shape` in row-major order.
 * A stride of 0 repeats (broadcast); -1 entries are never produced here.
 */
export function offsetMap(shape: Shape, srcStrides: readonly number[], base = 0): Int32Array {
  const n = numel(shape)
  const map = new Int32Array(n)
  const rank = shape.length
  const idx = new Array<number>(rank).fill(0)
  let off = base
  for (let i = 0; i < n; i++) {
    map[i] = off
    for (let d = rank - 1; d >= 0; d--) {
      const s = srcStrides[d] ?? 0
      if ((idx[d] = (idx[d] ?? 0) + 1) < (shape[d] ?? 1)) {
        off += s
        break
      }
      off -= s * ((shape[d] ?? 1) - 1)
      idx[d] = 0
    }
  }
  return map
}

/** Map reading `shape` broadcast to `target`, or null when no broadcasting is needed. */
export function broadcastMap(shape: Shape, target: Shape): Int32Array | null {
  if (sameShape(shape, target)) return null
  return offsetMap(target, broadcastStrides(shape, target))
}
