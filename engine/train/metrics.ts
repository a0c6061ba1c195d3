// Metrics from predictions and targets, computed on the host from the model's output: accuracy
// for classes (argmax, or logit > 0 for a single output), RMSE for regression.
import type { Task } from '../data/dataset'

export interface Metrics {
  loss: number
  /** Fraction of examples classified right, 0…1 (classification). */
  accuracy?: number
  /** Root mean squared error of the prediction (regression). */
  rmse?: number
}

type Floats = ArrayLike<number>

/** The class a prediction row picks: argmax over several scores, or score > 0 for one. */
export function predictedClass(pred: Floats, row: number, size: number): number {
  const base = row * size
  if (size === 1) return (pred[base] ?? 0) > 0 ? 1 : 0
  let best = 0
  let bestValue = -Infinity
  for (let j = 0; j < size; j++) {
    const v = pred[base + j] ?? -Infinity
    if (v > bestValue) {
      bestValue = v
      best = j
    }
  }
  return best
}

/** Running sums over batches, turned into Metrics at the end. */
export class MetricSums {
  private lossSum = 0
  private examples = 0
  private correct = 0
  private squared = 0

  constructor(private readonly task: Task) {}

  /** Adds one batch: its mean loss, its predictions ([count, size]) and targets. */
  add(loss: number, pred: Floats, y: Floats, count: number, size: number): void {
    this.lossSum += loss * count
    this.examples += count
    for (let i = 0; i < count; i++) {
      const target = y[i] ?? 0
      if (this.task === 'classification') {
        if (predictedClass(pred, i, size) === target) this.correct++
      } else {
        const d = (pred[i * size] ?? 0) - target
        this.squared += d * d
      }
    }
  }

  get count(): number {
    return this.examples
  }

  result(): Metrics {
    const n = Math.max(1, this.examples)
    const loss = this.lossSum / n
    return this.task === 'classification'
      ? { loss, accuracy: this.correct / n }
      : { loss, rmse: Math.sqrt(this.squared / n) }
  }

  reset(): void {
    this.lossSum = 0
    this.examples = 0
    this.correct = 0
    this.squared = 0
  }
}
