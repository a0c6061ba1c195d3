// What the WebGPU test page offers the Playwright spec (window.dendriteHarness), as plain
// JSON-shaped types: the spec imports only these, never engine code that needs a GPU.

export interface TensorDiff {
  readonly name: string
  readonly size: number
  /** Largest |gpu − cpu| / max(|cpu|, floor): the relative error the suite bounds. */
  readonly error: number
  /** Where that happened, with both values, for the failure message. */
  readonly at: number
  readonly gpu: number
  readonly cpu: number
}

export interface CaseReport {
  readonly label: string
  readonly tensors: readonly TensorDiff[]
  /** Kernels the WebGPU executable runs per step. */
  readonly kernels: number
}

export interface OpReport {
  readonly op: string
  readonly cases: readonly CaseReport[]
}

export interface ZooReport {
  readonly graph: string
  readonly programs: number
  readonly problems: readonly { program: string; messages: readonly string[] }[]
}

export interface CurveReport {
  readonly model: string
  readonly cpu: readonly number[]
  readonly gpu: readonly number[]
  readonly kernels: number
  readonly cpuMs: number
  readonly gpuMs: number
}

export interface MapCount {
  readonly steps: number
  readonly reads: number
  readonly mapAsyncCalls: number
  readonly loss: readonly number[]
}

export type TrainModel = 'spiral' | 'mnist-mlp' | 'convnet' | 'mnist-convnet'

export interface Harness {
  /** The adapter's name ("google / swiftshader"), after making the device. */
  init(): Promise<string>
  runOp(op: string): Promise<OpReport>
  compileZoo(): Promise<ZooReport[]>
  trainCurves(model: TrainModel, steps: number): Promise<CurveReport>
  countMaps(steps: number, readEvery: number): Promise<MapCount>
}
