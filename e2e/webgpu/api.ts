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
  /** Whether they ran as one dispatch (whole-step.ts). */
  readonly whole: boolean
  /** Kernels binding a value in pieces (pieces.ts). */
  readonly pieced: number
  /** Products whose kernel also sums an operand over the depth (column-sums.ts). */
  readonly depthSums: number
  /** Why the backend would not build the case (a kernel needs more bindings than there are). */
  readonly refused?: string
}

export interface OpReport {
  readonly op: string
  readonly cases: readonly CaseReport[]
}

export interface ZooReport {
  readonly graph: string
  readonly programs: number
  /** Of them, programs binding a value in pieces. */
  readonly pieced: number
  readonly problems: readonly { program: string; messages: readonly string[] }[]
}

/** How the WebGPU side of a curve runs (WebGpuOptions' fields, as plain data for the page). */
export interface CurveOptions {
  readonly wholeStep?: boolean
  readonly wholeStepLanes?: number
  readonly bindingBytes?: number
  /** Matmuls through workgroup tiles (as on real GPUs) rather than the emulation's forms. */
  readonly tiledMatmul?: boolean
  /** Every product's depth split in parts (splitEveryProduct, split-products.ts), 8×8 blocks. */
  readonly splitProducts?: boolean
  /** Products the tuner measures and chooses for (tune.ts), from this many multiply-adds. */
  readonly tuneFrom?: number
}

export interface CurveReport {
  readonly model: string
  readonly cpu: readonly number[]
  readonly gpu: readonly number[]
  readonly kernels: number
  readonly dispatchesPerStep: number
  /** Kernels binding a value in pieces (larger than one binding). */
  readonly pieced: number
  /** Products run with their depth split (split-products.ts), as `M×N×K:form in parts`. */
  readonly split: readonly string[]
  /** Products whose kernel also sums an operand over the depth (column-sums.ts). */
  readonly depthSums: number
  readonly cpuMs: number
  readonly gpuMs: number
}

export interface MapCount {
  readonly steps: number
  readonly reads: number
  readonly mapAsyncCalls: number
  readonly loss: readonly number[]
}

/** A project file's parts that a load request takes. */
export interface ProjectJson {
  readonly graph: unknown
  readonly data: unknown
  readonly training: unknown
}

export interface HostMetrics {
  readonly loss: number
  readonly accuracy?: number
  readonly rmse?: number
}

/** One engine host run over the protocol (hostRun). */
export interface HostRunReport {
  /** The load reply's backend. */
  readonly backend: { name: string; adapter?: string; reason?: string }
  /** The step request's mean training metrics over its steps, and where it ended. */
  readonly stepped: HostMetrics
  readonly steppedTo: number
  /** mapAsync calls in the page during that step request. */
  readonly stepMapAsyncCalls: number
  readonly trainReason: string
  readonly trainedTo: number
  readonly progressEvents: number
  readonly train: HostMetrics
  readonly test: HostMetrics
  readonly weightsFinite: boolean
  /** The test metrics again after reset and set-weights with the weights read back. */
  readonly restoredTest: HostMetrics
  /** A decision-plane probe's predictions (probes run on the CPU with the session's weights). */
  readonly plane: readonly number[]
  readonly ms: number
}

export interface DivergeReport {
  readonly backend: string
  readonly step: number
  readonly divergence: { step: number; node: string | null; message: string } | null
  readonly weightsFinite: boolean
}

export interface SessionDivergeReport {
  /** Whether the WebGPU session gathered its batches on the device. */
  readonly gathers: boolean
  /** Each session's divergence: [webgpu, cpu]. */
  readonly divergence: readonly ({ step: number; node: string | null; message: string } | null)[]
  /** The WebGPU session's step afterwards (back at its last checkpoint). */
  readonly step: number
  readonly weightsFinite: boolean
}

export interface LoopReport {
  readonly dispatchesPerStep: number
  /** The loss of the last step: [webgpu, cpu]. */
  readonly loss: readonly number[]
  /** Each layer's finiteness check of the last step: [webgpu, cpu]. */
  readonly checks: readonly (readonly number[])[]
  readonly weightError: number
}

/** A load on a device taken for a GPU's, whose tuner times its products (hostTuning). */
export interface HostTuningReport {
  readonly backend: HostRunReport['backend']
  /** Each tuning event of the load: [done, total]. */
  readonly tuning: readonly (readonly number[])[]
  /** Where two steps after the load ended, and their mean loss. */
  readonly step: number
  readonly loss: number
}

export interface KeptTuningReport {
  /** Choices the tuner timed: on the first device, then on a second with the memory reopened. */
  readonly timed: readonly number[]
  /** Whether both devices got the same choices. */
  readonly same: boolean
}

export interface GatherReport {
  /** Whether the WebGPU session gathered its batches on the device. */
  readonly gathers: boolean
  /** Steps each session reached: [webgpu, cpu]. */
  readonly steps: readonly number[]
  /** Mean training loss of those steps: [webgpu, cpu]. */
  readonly loss: readonly number[]
  /** Largest difference between the two sessions' weights afterwards, per tensor's scale. */
  readonly weightError: number
}

export interface DeviceLossReport {
  /** Steps reached before the device was lost, and after the step request that met the loss. */
  readonly before: number
  readonly after: number
  /** The step reply's notice about the lost device. */
  readonly notice: string | null
  readonly loss: number
  readonly weightsFinite: boolean
  /** Devices the host asked for. */
  readonly devices: number
  /** The step request after a second loss: where it ended, what it said, on what backend. */
  readonly second: {
    readonly step: number
    readonly notice: string | null
    readonly backend: string | null
    readonly loss: number
    readonly weightsFinite: boolean
  }
}

export type TrainModel =
  | 'spiral'
  | 'spiral-nesterov-clipped'
  | 'spiral-rmsprop-l2'
  | 'spiral-adamw-l1'
  | 'mnist-mlp'
  | 'convnet'
  | 'mnist-convnet'
  | 'many-layers'
  | 'norm-classifier'

export interface Harness {
  /** The adapter's name ("google / swiftshader"), after making the device. */
  init(): Promise<string>
  runOp(op: string): Promise<OpReport>
  compileZoo(): Promise<ZooReport[]>
  /** `wholeStep`: false for a dispatch per kernel (default: as the device decides). */
  trainCurves(model: TrainModel, steps: number, options?: CurveOptions): Promise<CurveReport>
  countMaps(steps: number, readEvery: number): Promise<MapCount>
  /** The engine host in the page: load `project` asking for `backend`, step, train, evaluate. */
  hostRun(
    project: ProjectJson,
    backend: 'auto' | 'webgpu' | 'cpu',
    steps: number,
  ): Promise<HostRunReport>
  /** The engine host on a run that overflows at step 1. */
  hostDiverge(backend: 'webgpu' | 'cpu'): Promise<DivergeReport>
  /** Steps on a fixed batch recorded without feeds or logs, beside the CPU (loopSteps). */
  loopSteps(steps: number, wholeStep?: boolean): Promise<LoopReport>
  /** A WebGPU session beside a CPU session, batches gathered on the device (sessionGather). */
  sessionGather(model: 'spiral' | 'mnist-mlp', steps: number): Promise<GatherReport>
  /** WebGPU and CPU sessions diverging mid-epoch (sessionDiverge). */
  sessionDiverge(gather: boolean): Promise<SessionDivergeReport>
  /** The engine host losing its WebGPU device twice (hostLoseDevice). */
  hostLoseDevice(project: ProjectJson, steps: number): Promise<DeviceLossReport>
  /** A load whose products the tuner times, its progress told as events (hostTuning). */
  hostTuning(): Promise<HostTuningReport>
  /** The tuner on two devices of one adapter, its choices kept in IndexedDB (keptTuning). */
  keptTuning(): Promise<KeptTuningReport>
}
