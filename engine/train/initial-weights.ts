// The weights a model starts from: every parameter and state tensor drawn from one seeded
// generator in the lowering's order. Both sessions draw theirs here, and so does an untrained
// model's export (from the inference lowering, so a graph with no loss yet has them too), as
// Keras and PyTorch save a model straight after it is built.
import type { ModelGraph } from '../graph/model-graph'
import { initialValues } from '../lower/init'
import type { LoweredGraph } from '../lower/lower-graph'
import { lowerGraph } from '../lower/lower-graph'
import { createRng } from '../util/rng'

export type WeightTensors = Record<string, { shape: number[]; data: Float32Array<ArrayBuffer> }>

/** Throws LoweringError when the graph cannot be lowered (no Input, shapes that do not fit). */
export function initialWeights(graph: ModelGraph, seed: number): WeightTensors {
  return drawInitial(lowerGraph(graph, { batch: 1, training: false, seed }), seed)
}

/** The lowered model's parameters and state as `seed` starts them, by name. */
export function drawInitial(
  lowered: Pick<LoweredGraph, 'params' | 'state'>,
  seed: number,
): WeightTensors {
  const rng = createRng(seed)
  const out: WeightTensors = {}
  for (const slot of [...lowered.params, ...lowered.state]) {
    const data = initialValues(slot.init, slot.shape, rng) as Float32Array<ArrayBuffer>
    out[slot.name] = { shape: [...slot.shape], data }
  }
  return out
}
