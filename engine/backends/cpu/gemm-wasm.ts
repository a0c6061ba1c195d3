// The matrix multiply on WebAssembly SIMD: the module's `gemm` packs panels of A and B (which
// is where every transpose form is absorbed) and runs a register-blocked micro-kernel over
// them, at tens of GFLOP/s per core. Operands live in the instance's memory.

import type { WasmExports } from './wasm/runtime'

/**
 * A gemm call prepared once: args are M, N, K, a, ars, acs, b, brs, bcs, c, ldc, acc (addresses
 * and strides in bytes), workspace the byte address of GEMM_WORKSPACE floats.
 */
export function gemmCall(
  gemm: WasmExports['gemm'],
  args: readonly number[],
  workspace: number,
): () => void {
  const at = (i: number): number => args[i] ?? 0
  const [M, N, K, a, ars, acs] = [at(0), at(1), at(2), at(3), at(4), at(5)]
  const [b, brs, bcs, c, ldc, acc] = [at(6), at(7), at(8), at(9), at(10), at(11)]
  return () => gemm(M, N, K, a, ars, acs, b, brs, bcs, c, ldc, acc, workspace)
}
