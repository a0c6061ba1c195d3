// The confusion matrix of a classifier over a batch: rows are the true classes, columns the
// predicted ones. Predictions are the highest score per example; one score is a logit (> 0: 1).
import type { Rgb } from '../charts/color-scale'
import { paletteRgb } from '../charts/color-scale'
import { formatExact } from '../format'

export interface Confusion {
  readonly classes: number
  /** counts[true · classes + predicted] */
  readonly counts: readonly number[]
  readonly total: number
  readonly correct: number
}

export function predictedClass(scores: ArrayLike<number>, row: number, width: number): number {
  if (width === 1) return (scores[row] ?? 0) > 0 ? 1 : 0
  let best = 0
  let bestScore = -Infinity
  for (let c = 0; c < width; c++) {
    const s = scores[row * width + c] ?? -Infinity
    if (s > bestScore) {
      bestScore = s
      best = c
    }
  }
  return best
}

/** scores: [rows, width] (width 1 for a single logit); labels: one class index per row. */
export function confusionMatrix(
  scores: ArrayLike<number>,
  width: number,
  labels: ArrayLike<number>,
  classes: number,
): Confusion {
  const k = Math.max(classes, width === 1 ? 2 : width)
  const counts = new Array<number>(k * k).fill(0)
  const rows = Math.min(labels.length, Math.floor(scores.length / Math.max(1, width)))
  let correct = 0
  for (let r = 0; r < rows; r++) {
    const truth = Math.round(labels[r] ?? -1)
    if (truth < 0 || truth >= k) continue
    const predicted = predictedClass(scores, r, width)
    counts[truth * k + predicted] = (counts[truth * k + predicted] ?? 0) + 1
    if (predicted === truth) correct++
  }
  return { classes: k, counts, total: counts.reduce((a, b) => a + b, 0), correct }
}

/**
 * What the matrix counts when the probe took fewer rows than the test split has (its rows are
 * capped): "Counted over the first 4,096 of 5,000 test examples."; null when it has them all.
 */
export function countedNote(probed: number, testCount: number): string | null {
  if (probed >= testCount) return null
  return `Counted over the first ${formatExact(probed)} of ${formatExact(testCount)} test examples.`
}

/** Dark ink for counts on pale cells, in either theme (the cells are pale in both). */
export const CELL_INK = '#1c2230'

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const v = c / 255
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

const contrast = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)

/**
 * A cell shaded by its share of the row (white → blue) and its count's colour: white or dark
 * ink, whichever reads better on that shade. Never the theme's text colour, which is light in
 * the dark theme and vanished on pale cells.
 */
export function cellColors(count: number, total: number): { background: string; color: string } {
  const rgb = paletteRgb(total > 0 ? count / total : 0)
  const l = luminance(rgb)
  const white = contrast(l, 1) > contrast(l, luminance([0x1c, 0x22, 0x30]))
  return { background: `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`, color: white ? '#ffffff' : CELL_INK }
}
