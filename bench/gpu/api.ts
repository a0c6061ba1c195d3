// What the GPU bench page offers the Node side (window.dendriteBench), as plain JSON-shaped
// types, so bench/gpu-bench.ts imports nothing that needs a GPU.

import type { Budget, Rate } from '../measure'
import type { MlpShape } from '../shapes'

export type GpuContender = 'engine-webgpu' | 'tfjs-webgpu' | 'tfjs-webgl'

export interface GpuResult {
  readonly rate: Rate
  readonly loss: number
  /** Most GPU bytes held at once while the contender ran, where the page can tell. */
  readonly peakBytes: number | null
  /** How the peak was measured. */
  readonly peakHow: string
  /** Kernels per step, where known (the engine's). */
  readonly kernels?: number
  /** Dispatches per step (1 when the engine runs the whole step as one). */
  readonly dispatches?: number
  readonly flops?: number
  /**
   * Milliseconds the engine took to make its executable, the tuner's timings included (a
   * device's first plan with a product pays for them; later ones find them kept).
   */
  readonly readyMs?: number
}

/** How the engine contender runs, where the bench asks for other than its defaults. */
export interface EngineChoice {
  /** The whole step as one dispatch with direct matmuls, as on CPU emulations (--whole-step). */
  readonly wholeStep?: boolean
  /** Invocations running a whole step's kernels, where none shares workgroup memory (--lanes). */
  readonly lanes?: number
  /** The tuner chooses from the bench's grid of 112 tiles instead of TILES (--tiles=grid). */
  readonly grid?: boolean
}

export interface GpuBench {
  /** The adapter, after making the device; `emulated` for a CPU emulation (SwiftShader). */
  init(): Promise<{ name: string; emulated: boolean }>
  run(
    contender: GpuContender,
    shape: MlpShape,
    budget: Budget,
    engine: EngineChoice,
  ): Promise<GpuResult>
  /** The engine's kernels for one step of `shape`, slowest first, each timed alone. */
  profile(shape: MlpShape, engine: EngineChoice): Promise<{ name: string; ms: number }[]>
  /** FLOP/s of a loop of fp32 multiply-adds on the bench's device (fma-rate.ts). */
  cardRate(): Promise<number>
  /** Seconds a dependent dispatch of an empty kernel takes on it (dispatch-cost.ts). */
  dispatchCost(): Promise<number>
}

/** Where the page puts its GpuBench (read from page.evaluate, which has no DOM types here). */
export interface BenchGlobal {
  dendriteBench?: GpuBench
}
