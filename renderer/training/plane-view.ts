// Turns a plane probe into pictures: the model's output as one value per grid point in [−1, 1]
// for classifiers (blue: the chosen class, orange: against it) or raw values for regression,
// and each probed node's units as grids over the same plane.
import type { Task } from './runs'

export interface TensorData {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))

/**
 * The decision surface. One logit: 2σ(z) − 1. Two or more scores: softmax, then
 * 2·p(class) − 1 for the chosen class (class 1 by default for two classes).
 */
export function decisionValues(pred: TensorData, task: Task, chosen: number): Float32Array {
  const rows = pred.shape[0] ?? 0
  const width = pred.shape.slice(1).reduce((a, b) => a * b, 1)
  const out = new Float32Array(rows)
  const c = Math.max(0, Math.min(width - 1, chosen))
  for (let r = 0; r < rows; r++) {
    if (task === 'regression' || width === 0) out[r] = pred.data[r * width] ?? 0
    else if (width === 1) out[r] = 2 * sigmoid(pred.data[r] ?? 0) - 1
    else out[r] = 2 * softmaxAt(pred.data, r * width, width, c) - 1
  }
  return out
}

/** p(class c) of the softmax over scores[offset … offset + width). */
function softmaxAt(scores: Float32Array, offset: number, width: number, c: number): number {
  let max = -Infinity
  for (let k = 0; k < width; k++) max = Math.max(max, scores[offset + k] ?? -Infinity)
  let sum = 0
  for (let k = 0; k < width; k++) sum += Math.exp((scores[offset + k] ?? 0) - max)
  return Math.exp((scores[offset + c] ?? 0) - max) / sum
}

/** Units of a node's plane output [res², units]; null when it is not a flat layer. */
export function unitsOf(t: TensorData | undefined): number | null {
  if (!t || t.shape.length !== 2) return null
  return t.shape[1] ?? null
}

/** The colour value of a class label on the diverging scale: first class −1, last +1. */
export function classValue(label: number, classes: number): number {
  if (classes <= 1) return 0
  return (2 * label) / (classes - 1) - 1
}
