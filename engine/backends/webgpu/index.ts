// Public surface of the WebGPU backend: adapter and device, the executable, the device-free
// plan (kernels and their WGSL programs) and the compile check used by tests.

export type { AdapterProbe } from './adapter'
export { adapterName, isCpuEmulation, probeAdapter } from './adapter'
export { requestDevice, webgpuBackend } from './device'
export type { WebGpuExecutable, WebGpuOptions } from './executable'
export { createWebGpuExecutable } from './executable'
export type { GpuPlan, GpuPlanOptions } from './gpu-plan'
export { planWebGpu } from './gpu-plan'
export type { CompileProblem } from './pipelines'
export { compileProblems } from './pipelines'
export type { Tuning } from './anchor'
export type { Uniform, WgslProgram } from './program'
export type { StepLog } from './readback'
export { WGSL_OPS } from './ops'
export type { ProductChoice, ProductDims } from './split-products'
export { TUNE_FROM, productKey, productsOf, splitEveryProduct } from './split-products'
export type { MatmulTile, TileName } from './tiled'
export { TILES, pickTile } from './tiled'
export type { TuneOptions, TunerHooks } from './tune'
export {
  deviceHolds,
  fastestChoice,
  splitChoices,
  timeProduct,
  tuneProducts,
  wholeChoices,
} from './tune'
export type { TuneMemory } from './tune-memory'
export { indexedDbMemory } from './tune-memory'
export { programText } from './debug'
