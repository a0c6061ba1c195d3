// The Executable contract: what every backend (CPU now, WebGPU later) returns for a compiled
// plan. Params, state and consts stay resident in backend memory; a step reads fed inputs,
// runs the program once and stores each aliased output into the input it updates.

import type { InputKind } from './program'
import type { Shape } from './shape'

export interface TensorInfo {
  readonly name: string
  readonly shape: Shape
  /** For inputs: how the value is supplied. Absent for outputs. */
  readonly kind?: InputKind
  /** For outputs: the param or state input this output replaces after each step. */
  readonly updates?: string
}

/** Values for `input`-kind inputs, row-major, one number per element. */
export type Feeds = Readonly<Record<string, ArrayLike<number>>>

export interface Executable {
  /** Backend name, e.g. 'cpu' or 'webgpu'. */
  readonly backend: string
  readonly inputs: readonly TensorInfo[]
  readonly outputs: readonly TensorInfo[]
  /** Copies values into a resident input (param, state, const or input) until overwritten. */
  write(name: string, data: ArrayLike<number>): void
  /**
   * Runs the program once. Feeds overwrite the named inputs first (inputs not fed keep their
   * last value). Updates land in their params and state when the step completes. May return
   * before the device finishes; reads are ordered after it.
   */
  step(feeds?: Feeds): void
  /** A copy of an output from the latest step, or of a resident input's current value. */
  read(name: string): Promise<Float32Array>
  /** Frees backend memory; the executable is unusable afterwards. */
  dispose(): void
}

/** A backend turns a compiled plan into an Executable (asynchronous where devices are). */
export interface Backend<Plan> {
  readonly name: string
  createExecutable(plan: Plan): Executable | Promise<Executable>
}
