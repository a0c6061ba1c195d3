// What a CPU kernel is: prepared once per equation with its buffers bound (index maps and
// scratch made then), it returns a closure that a step calls with no allocation.

import type { OpAttrs, OpName, Shape } from '../../ir'
import type { GemmTeam } from './threads'
import type { WasmInstance } from './wasm/runtime'

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
  /** The WebAssembly kernels and their memory, when the executable's buffers live there. */
  readonly wasm: WasmContext | null
}

export interface WasmContext {
  readonly instance: WasmInstance
  /** Byte address of this thread's gemm workspace (GEMM_WORKSPACE floats). */
  readonly workspace: number
  /** The helper thread for big gemms, when the host enabled threads and memory is shared. */
  readonly team: GemmTeam | null
  /** Take the SIMD kernels whatever the size (tests of their edges). */
  readonly forceSimd?: boolean
}

/** Byte address of a float32 buffer inside the wasm memory, or -1 when it is not there. */
export function wasmAddr(ctx: WasmContext | null, b: Buf): number {
  if (ctx === null || !(b instanceof Float32Array)) return -1
  return b.buffer === ctx.instance.memory.buffer ? b.byteOffset : -1
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
