// Public surface of the CPU backend: the reference kernels and the Executable built on them,
// the WebAssembly preload for hosts that may not compile synchronously, and optional threads.

export type { CpuExecutable, CpuOptions } from './executable'
export { cpuBackend, createCpuExecutable } from './executable'
export { KERNELS } from './kernels'
export { erf } from './elementwise'
export { gemm } from './gemm'
export { hash32, uniformAt } from './sources'
export type { CpuThreads, CpuWorker } from './threads'
export { CPU_WORKER_SOURCE, setCpuThreads } from './threads'
export { preloadCpuKernels } from './wasm/runtime'
export type { Buf, Kernel, KernelIo } from './types'
