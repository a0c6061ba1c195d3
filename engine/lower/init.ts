// Initial values of parameters and state: He and Xavier (Glorot) in their uniform and normal
// forms, with PyTorch's fans, drawn from the seeded generator so a seed fixes the whole run.
import type { InitKind } from '../graph/layer'
import { sizeOf } from '../graph/shape'
import type { Rng } from '../util/rng'

/** fan_in and fan_out of a [out, in, …receptive field] tensor, PyTorch's rule. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    const n = shape[0] ?? 1
    return { fanIn: n, fanOut: n }
  }
  const field = sizeOf(shape.slice(2))
  return { fanIn: (shape[1] ?? 1) * field, fanOut: (shape[0] ?? 1) * field }
}

export function initialValues(kind: InitKind, shape: readonly number[], rng: Rng): Float32Array {
  const size = sizeOf(shape)
  const out = new Float32Array(size)
  const { fanIn, fanOut } = fans(shape)
  const uniform = (bound: number) => {
    for (let i = 0; i < size; i++) out[i] = rng.uniform(-bound, bound)
  }
  const normal = (std: number) => {
    for (let i = 0; i < size; i++) out[i] = rng.normal() * std
  }
  switch (kind) {
    case 'zeros':
      break
    case 'ones':
      out.fill(1)
      break
    case 'normal':
      normal(1)
      break
    case 'he-uniform':
      uniform(Math.sqrt(6 / fanIn))
      break
    case 'he-normal':
      normal(Math.sqrt(2 / fanIn))
      break
    case 'xavier-uniform':
      uniform(Math.sqrt(6 / (fanIn + fanOut)))
      break
    case 'xavier-normal':
      normal(Math.sqrt(2 / (fanIn + fanOut)))
      break
  }
  return out
}
