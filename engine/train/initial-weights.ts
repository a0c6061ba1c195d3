// The weights a model starts from, without a session: every parameter and state tensor drawn as
// a session draws them (the same seeded generator, in the same order), from the inference
// lowering, so a graph with no loss yet has them too. An untrained model exports with these, as
// Keras and PyTorch save a model straight after it is built.
import type { ModelGraph } from '../graph/model-graph'
import { initialValues } from '../lower/init'
import { lowerGraph } from '../lower/lower-graph'
import { createRng } from '../util/rng'

export type WeightTensors = Record<string, { shape: number[]; data: Float32Array<ArrayBuffer> }>

/** Throws LoweringError when the graph cannot be lowered (no Input, shapes that do not fit). */
export function initialWeights(graph: ModelGraph, seed: number): WeightTensors {
  const lowered = lowerGraph(graph, { batch: 1, training: false, seed })
  const rng = createRng(seed)
  const out: WeightTensors = {}
  for (const slot of [...lowered.params, ...lowered.state]) {
    const data = initialValues(slot.init, slot.shape, rng) as Float32Array<ArrayBuffer>
    out[slot.name] = { shape: [...slot.shape], data }
  }
  return out
}
