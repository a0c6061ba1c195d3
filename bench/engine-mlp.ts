// This engine as a contender: the MLP graph from the training fixtures, compiled by the same
// compileModel() a training session uses, stepped through its CPU executable with the batch
// written into the executable's live input buffers (as the session's feeding does).
// The engine's CPU backend uses WebAssembly and Worker types, which live in the WebWorker lib
// (the root tsconfig that checks bench/ has Node's types only).

import { setCpuThreads } from '../engine/backends/cpu'
import { nodeCpuThreads } from '../engine/backends/cpu/threads-node'
import { initialValues } from '../engine/lower/init'
import { DATA_INPUT, TARGET_INPUT } from '../engine/lower/lower-graph'
import { LR_INPUT } from '../engine/optim/train-step'
import { compileModel } from '../engine/train/model'
import { createRng } from '../engine/util/rng'
import { engineGraph } from './engine-graph'
import type { Batch, MlpShape } from './shapes'

export interface EngineMlp {
  step(): void
  loss(): number
  /** Whether the WebAssembly SIMD kernels are in use. */
  readonly simd: boolean
  readonly flopsPerStep: number
  /** Threads big matmuls run on, once any helper has had up to a second to start. */
  threads(): Promise<number>
  dispose(): void
}

/** `threads`: let big matmuls use a second thread (the host's choice, made before compiling). */
export function engineMlp(shape: MlpShape, batch: Batch, threads: boolean): EngineMlp {
  setCpuThreads(threads ? nodeCpuThreads : null)
  const { graph, settings } = engineGraph(shape)
  const model = compileModel(graph, settings)
  const exe = model.train
  const rng = createRng(1)
  for (const slot of [...model.lowered.params, ...model.lowered.state]) {
    exe.write(slot.name, initialValues(slot.init, slot.shape, rng))
  }
  const x = exe.input(DATA_INPUT)
  const target = exe.input(TARGET_INPUT)
  const lr = exe.input(LR_INPUT)
  const loss = exe.view('loss')
  return {
    step: () => {
      x.set(batch.x)
      target.set(batch.target)
      lr[0] = shape.lr
      exe.step()
    },
    loss: () => loss[0] ?? NaN,
    simd: exe.simd,
    flopsPerStep: model.summary.flopsPerStep,
    threads: async () => {
      for (let i = 0; i < 20 && threads && exe.simd && exe.threads() < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return exe.threads()
    },
    dispose: () => exe.dispose(),
  }
}
