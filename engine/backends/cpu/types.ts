// What a CPU kernel is: prepared once per equation with its buffers bound (index maps and
// scratch made then), it returns a closure that a step calls with no allocation.

import type { OpAttrs, OpName, Shape } from '../../ir'

/** float32 normally; float64 for gradient checks. */
export type Buf = Float32Array | Float64Array

export interface KernelIo<K extends OpName> {
  readonly attrs: OpAttrs[K]
  readonly argShapes: readonly Shape[]
  readonly outShape: Shape
  readonly out: Buf
  readonly args: readonly Buf[]
  /** Scratch memory owned by this kernel, allocated once at prepare time. */
  scratch(length: number): Buf
}

export type Kernel<K extends OpName> = (io: KernelIo<K>) => () => void

export function arg(args: readonly Buf[], i: number): Buf {
  const a = args[i]
  if (a === undefined) throw new Error(`kernel: operand ${i} missing`)
  return a
}

export function dim(shape: Shape, i: number): number {
  const d = shape.at(i)
  if (d === undefined) throw new Error(`kernel: shape [${shape.join(',')}] has no axis ${i}`)
  return d
}
