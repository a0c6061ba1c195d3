// The whole WebAssembly module of the CPU backend as text: the SIMD kernels over one imported
// memory, where the executable keeps every buffer so kernels read their operands in place.

import { elementwiseWat } from './elementwise-wat'
import { gemmWat } from './gemm-wat'

/** The module over an ordinary memory, or over a shared one (for helper threads). */
export function kernelsWat(shared: boolean): string {
  const memory = shared ? '(memory 1 65536 shared)' : '(memory 1)'
  return `(module\n  (import "env" "mem" ${memory})\n${gemmWat()}\n${elementwiseWat()}\n)\n`
}
