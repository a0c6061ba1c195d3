// Writing imported weights into a running training session, kept apart from the pure checks in
// import-weights.ts so that Node services which only read files do not pull in the compiler.
import type { Session } from '../train/session'
import { compareWeights, mismatchLines } from './import-weights'
import type { WeightMap } from './safetensors'

/** Writes checked weights into a session, keeping its step and optimizer state. */
export function applyWeights(
  session: Pick<Session, 'weights' | 'checkpoint' | 'restore'>,
  weights: WeightMap,
): void {
  const mismatch = compareWeights(
    Object.fromEntries(Object.entries(session.weights()).map(([k, t]) => [k, t.shape])),
    weights,
  )
  if (mismatch) throw new RangeError(mismatchLines(mismatch).join('\n'))
  const cp = session.checkpoint()
  const tensors = { ...cp.tensors }
  for (const [name, t] of Object.entries(weights)) tensors[name] = Float32Array.from(t.data)
  session.restore({ ...cp, tensors })
}
