// Matrices as heatmaps: a layer's activations over a batch (samples × units) and each Dense
// layer's weights (units × inputs), each with its own symmetric range and a display size that
// fits the panel, cells at most 28 × 14 pixels.
import type { ColorScale } from '../charts/color-scale'
import { divergingScale, maxAbs } from '../charts/color-scale'
import type { HeatmapGrid } from '../charts/heatmap'
import type { TensorData } from '../training/plane-view'

export const MAX_COLUMNS = 2048

export interface MatrixView {
  readonly grid: HeatmapGrid
  readonly scale: ColorScale
  readonly rows: number
  readonly cols: number
  /** Columns dropped to keep the picture drawable. */
  readonly clipped: number
  readonly width: number
  readonly height: number
}

/** A [rows, ...] tensor as rows × (product of the rest), clipped to MAX_COLUMNS columns. */
export function matrixView(t: TensorData, maxWidth: number, maxHeight: number): MatrixView {
  const rows = t.shape[0] ?? 0
  const full = t.shape.slice(1).reduce((a, b) => a * b, 1)
  const cols = Math.min(full, MAX_COLUMNS)
  const values =
    cols === full
      ? t.data
      : Float32Array.from({ length: rows * cols }, (_, i) => {
          const r = Math.floor(i / cols)
          return t.data[r * full + (i % cols)] ?? 0
        })
  const cellW = Math.min(28, maxWidth / Math.max(1, cols))
  const cellH = Math.min(14, maxHeight / Math.max(1, rows))
  return {
    grid: { values, rows, cols },
    scale: divergingScale(maxAbs(values)),
    rows,
    cols,
    clipped: full - cols,
    width: Math.max(8, Math.round(cols * cellW)),
    height: Math.max(8, Math.round(rows * cellH)),
  }
}
