// Writing imported weights into a running training session, kept apart from the pure checks in
// import-weights.ts so that Node services which only read files do not pull in the compiler.
import type { Session } from '../train/session'
import { compareWeights, mismatchLines } from './import-weights'
import type { WeightMap } from './safetensors'
import { numel } from './safetensors'

/** Tensors whose data is not as long as their shape says, one line each. */
function lengthLines(weights: WeightMap): string[] {
  const lines: string[] = []
  for (const [name, t] of Object.entries(weights)) {
    const size = numel(t.shape)
    if (t.data.length === size) continue
    const shape = `[${t.shape.join(', ')}]`
    lines.push(`tensor "${name}" has ${t.data.length} values; its shape ${shape} takes ${size}`)
  }
  return lines
}

/**
 * Writes checked weights into a session, keeping its step and optimizer state. All or nothing:
 * every tensor is checked (name, shape, length) before any is written; a RangeError lists them.
 */
export function applyWeights(
  session: Pick<Session, 'weights' | 'checkpoint' | 'restore'>,
  weights: WeightMap,
): void {
  const mismatch = compareWeights(
    Object.fromEntries(Object.entries(session.weights()).map(([k, t]) => [k, t.shape])),
    weights,
  )
  const problems = [...(mismatch ? mismatchLines(mismatch) : []), ...lengthLines(weights)]
  if (problems.length > 0) throw new RangeError(problems.join('\n'))
  const cp = session.checkpoint()
  const tensors = { ...cp.tensors }
  for (const [name, t] of Object.entries(weights)) tensors[name] = Float32Array.from(t.data)
  session.restore({ ...cp, tensors })
}
