// One block of memory per executable, cut into a view per storage slot, made once. Float32
// programs with work for the SIMD kernels get a WebAssembly memory (so kernels read operands in
// place, nothing copied); the rest get one ArrayBuffer. Memory never grows, so views stay valid.

import type { Slot } from './storage'
import { CONTROL_BYTES, cpuThreads, createTeam } from './threads'
import type { Buf, WasmContext } from './types'
import { GEMM_WORKSPACE } from './wasm/gemm-wat'
import { instantiate } from './wasm/runtime'

export interface Arena {
  /** A view per slot, in slot order. */
  readonly views: readonly Buf[]
  readonly wasm: WasmContext | null
}

export interface ArenaOptions {
  readonly dtype: 'float32' | 'float64'
  /** Put the buffers in WebAssembly memory (float32 programs whose kernels want SIMD). */
  readonly wasm: boolean
  /** Also start a helper thread for big gemms, where the host enabled threads. */
  readonly threads: boolean
}

/** 16-byte alignment keeps every view's SIMD loads on natural boundaries. */
const align = (floats: number): number => Math.ceil(floats / 4) * 4

export function createArena(slots: readonly Slot[], options: ArenaOptions): Arena {
  const total = slots.reduce((n, s) => n + align(s.size), 0)
  const wasm = options.wasm && options.dtype === 'float32' ? inWasm(slots, total, options) : null
  if (wasm !== null) return wasm
  if (options.dtype === 'float64') {
    const block = new Float64Array(total)
    return { views: cut(slots, (at, n) => block.subarray(at, at + n), 0), wasm: null }
  }
  const block = new Float32Array(total)
  return { views: cut(slots, (at, n) => block.subarray(at, at + n), 0), wasm: null }
}

/** Layout: the slots, then this thread's gemm workspace, the helper's, and their control block. */
function inWasm(slots: readonly Slot[], total: number, options: ArenaOptions): Arena | null {
  const threads = options.threads && cpuThreads() !== null
  const ws = align(GEMM_WORKSPACE)
  const bytes = 4 * (total + (threads ? 2 : 1) * ws) + CONTROL_BYTES
  const instance = instantiate(bytes, threads)
  if (instance === null) return null
  const views = cut(slots, (at, n) => new Float32Array(instance.memory.buffer, 4 * at, n), 0)
  const workspace = 4 * total
  const team = threads ? createTeam(instance, workspace + 8 * ws, workspace + 4 * ws) : null
  return { views, wasm: { instance, workspace, team } }
}

function cut(slots: readonly Slot[], view: (at: number, n: number) => Buf, start: number): Buf[] {
  let at = start
  return slots.map((s) => {
    const v = view(at, s.size)
    at += align(s.size)
    return v
  })
}
