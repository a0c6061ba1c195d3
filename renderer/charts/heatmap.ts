// A heatmap drawn as ImageData at the data's own resolution (one pixel per cell) and scaled up
// by CSS, so a 48 × 48 grid costs 2,304 pixel writes however large it is shown (Playground's
// heatmap.ts does the same). No Vue: a drawing class with an update method.
import type { ColorScale } from './color-scale'

export interface HeatmapGrid {
  /** Row-major values, rows × cols, read at offset + (r · cols + c) · stride. */
  readonly values: ArrayLike<number>
  readonly rows: number
  readonly cols: number
  readonly stride?: number
  readonly offset?: number
}

export class Heatmap {
  private readonly ctx: CanvasRenderingContext2D | null
  private image: ImageData | null = null

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')
  }

  update(grid: HeatmapGrid, scale: ColorScale): void {
    const { rows, cols } = grid
    if (!this.ctx || rows < 1 || cols < 1) return
    if (this.canvas.width !== cols || this.canvas.height !== rows || !this.image) {
      this.canvas.width = cols
      this.canvas.height = rows
      this.image = this.ctx.createImageData(cols, rows)
    }
    paint(this.image.data, grid, scale)
    this.ctx.putImageData(this.image, 0, 0)
  }

  clear(): void {
    this.ctx?.clearRect(0, 0, this.canvas.width, this.canvas.height)
  }
}

/** Writes each cell's shade into RGBA pixels. */
export function paint(pixels: Uint8ClampedArray, grid: HeatmapGrid, scale: ColorScale): void {
  const { values, rows, cols } = grid
  const stride = grid.stride ?? 1
  const offset = grid.offset ?? 0
  const table = scale.table
  for (let i = 0, n = rows * cols; i < n; i++) {
    const k = scale.index(values[offset + i * stride] ?? NaN) * 3
    const p = i * 4
    pixels[p] = table[k] ?? 0
    pixels[p + 1] = table[k + 1] ?? 0
    pixels[p + 2] = table[k + 2] ?? 0
    pixels[p + 3] = 255
  }
}
