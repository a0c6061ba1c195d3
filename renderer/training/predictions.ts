// The predictions grid's cells: for each probed test example, the class the model picks and
// whether that is right, with how sure it is where its scores are logits (softmax over the
// classes for softmax cross-entropy, a sigmoid for one binary logit).
import type { TensorData } from './plane-view'

/** Test examples as the model sees them, its scores for each (logits), and their labels. */
export interface Predictions {
  readonly images: TensorData
  readonly scores: TensorData
  readonly labels: Float32Array | null
}

export interface PredictionCell {
  readonly predicted: string
  /** The example's class; null while the engine does not send labels. */
  readonly actual: string | null
  readonly right: boolean | null
  /** The picked class's probability, where the scores are logits; else null. */
  readonly confidence: number | null
}

/** How the loss reads the prediction node's scores. */
export type ScoreKind = 'softmax-logits' | 'binary-logit' | 'scores'

export function scoreKind(lossType: string | null): ScoreKind {
  if (lossType === 'softmax-cross-entropy') return 'softmax-logits'
  if (lossType === 'bce-with-logits') return 'binary-logit'
  return 'scores'
}

/** The class picked from one row of scores, and its probability where the kind allows. */
function pick(
  row: readonly number[],
  kind: ScoreKind,
): { index: number; confidence: number | null } {
  if (row.length === 1) {
    const s = row[0] ?? 0
    if (kind === 'binary-logit') {
      const p = 1 / (1 + Math.exp(-s))
      return s > 0 ? { index: 1, confidence: p } : { index: 0, confidence: 1 - p }
    }
    return { index: s > 0.5 ? 1 : 0, confidence: null }
  }
  let index = 0
  for (let i = 1; i < row.length; i++)
    if ((row[i] ?? -Infinity) > (row[index] ?? -Infinity)) index = i
  if (kind !== 'softmax-logits') return { index, confidence: null }
  const top = row[index] ?? 0
  const sum = row.reduce((acc, v) => acc + Math.exp(v - top), 0)
  return { index, confidence: 1 / sum }
}

export function predictionCells(
  p: Predictions,
  classNames: readonly string[],
  kind: ScoreKind,
): PredictionCell[] {
  const n = p.scores.shape[0] ?? 0
  const width = n > 0 ? p.scores.data.length / n : 0
  const name = (i: number): string => classNames[i] ?? String(i)
  return Array.from({ length: n }, (_, r) => {
    const row = Array.from(p.scores.data.subarray(r * width, (r + 1) * width))
    const { index, confidence } = pick(row, kind)
    const label = p.labels?.[r]
    const actual = label === undefined ? null : Math.round(label)
    return {
      predicted: name(index),
      actual: actual === null ? null : name(actual),
      right: actual === null ? null : actual === index,
      confidence,
    }
  })
}
