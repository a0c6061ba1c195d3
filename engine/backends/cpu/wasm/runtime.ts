// Loads the CPU backend's WebAssembly kernels (the bytes are compiled into kernels-wasm.ts, so
// this works in browsers, Workers and Node with no file access) into a fresh memory per
// executable. Anywhere WebAssembly, SIMD or a synchronous compile is unavailable (a browser's
// main thread refuses large synchronous compiles until preloadCpuKernels() has run), this
// returns null and the JavaScript kernels run instead.

import { KERNELS_WASM, KERNELS_WASM_SHARED } from './kernels-wasm'

/** o = a ⊕ b over n elements; `inner` is the row length of a repeated (vr) operand. */
export type BinaryFn = (a: number, b: number, o: number, n: number, inner: number) => void
export type UnaryFn = (a: number, o: number, n: number) => void
/** where(c, a, b) → o, and the fused updates (a, s, g) → o: four addresses and a count. */
export type WhereFn = (c: number, a: number, b: number, o: number, n: number) => void

/** The exported functions, as the kernels call them (addresses and strides in bytes). */
export interface WasmExports {
  /** Elementwise kernels by name: `<op>_<layout>` (binary, where) and `<op>` (unary). */
  readonly [name: string]: unknown
  sum_inner(x: number, out: number, outer: number, mid: number, inner: number): void
  gemm(
    M: number,
    N: number,
    K: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    ldc: number,
    acc: number,
    ws: number,
  ): void
}

export interface WasmInstance {
  readonly memory: WebAssembly.Memory
  readonly exports: WasmExports
  /** The compiled module, for helper threads to instantiate over the same (shared) memory. */
  readonly module: WebAssembly.Module
  readonly shared: boolean
}

const PAGE = 65536
const MAX_PAGES = 32768 // 2 GiB: what browsers reliably grant a 32-bit memory

const compiled = new Map<boolean, WebAssembly.Module | null>()

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  return bytes
}

const source = (shared: boolean): string => (shared ? KERNELS_WASM_SHARED : KERNELS_WASM)

function compileNow(shared: boolean): WebAssembly.Module | null {
  const known = compiled.get(shared)
  if (known !== undefined) return known
  let module: WebAssembly.Module | null
  try {
    module = new WebAssembly.Module(decode(source(shared)))
  } catch {
    module = null
  }
  compiled.set(shared, module)
  return module
}

/** Compiles the kernels off the calling thread; afterwards every executable can use them. */
export async function preloadCpuKernels(): Promise<boolean> {
  if (typeof WebAssembly === 'undefined') return false
  for (const shared of [false, true]) {
    if (compiled.has(shared)) continue
    try {
      compiled.set(shared, await WebAssembly.compile(decode(source(shared))))
    } catch {
      compiled.set(shared, null)
    }
  }
  return (compiled.get(false) ?? null) !== null
}

/** Whether the kernels compile here (synchronously, or already preloaded). */
export function wasmAvailable(): boolean {
  return typeof WebAssembly !== 'undefined' && compileNow(false) !== null
}

/**
 * A new instance over a memory of at least `bytes` bytes (shared when asked and possible), or
 * null where none can be had.
 */
export function instantiate(bytes: number, shared: boolean): WasmInstance | null {
  if (typeof WebAssembly === 'undefined') return null
  const pages = Math.max(1, Math.ceil(bytes / PAGE))
  if (pages > MAX_PAGES) return null
  if (shared) {
    const made = make(pages, true)
    if (made !== null) return made
  }
  return make(pages, false)
}

function make(pages: number, shared: boolean): WasmInstance | null {
  const module = compileNow(shared)
  if (module === null) return null
  try {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared })
    const instance = new WebAssembly.Instance(module, { env: { mem: memory } })
    // The module's exports are exactly WasmExports (the *-wat.ts files define them).
    return { memory, exports: instance.exports as unknown as WasmExports, module, shared }
  } catch {
    return null
  }
}

/** An exported elementwise kernel by name, or null when the module has none by that name. */
export function exported<F>(w: WasmInstance, name: string): F | null {
  const f = w.exports[name]
  // Only the module's own exports reach here; their signatures are fixed by *-wat.ts.
  return typeof f === 'function' ? (f as F) : null
}
