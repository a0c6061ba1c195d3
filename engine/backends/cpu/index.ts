// Public surface of the CPU backend: the reference kernels and the Executable built on them.

export type { CpuExecutable, CpuOptions } from './executable'
export { cpuBackend, createCpuExecutable } from './executable'
export { KERNELS } from './kernels'
export { erf } from './elementwise'
export { gemm } from './gemm'
export { hash32, uniformAt } from './sources'
export type { Buf, Kernel, KernelIo } from './types'
