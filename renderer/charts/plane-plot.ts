// The input plane: a model's output over two features as a smooth heatmap, with the data points
// on top (training points filled, test points ringed), as TensorFlow Playground draws its
// decision boundary. Also draws a plain scatter (no heatmap) for data previews.
import type { ColorScale } from './color-scale'
import type { HeatmapGrid } from './heatmap'
import { fitToBox } from './canvas-size'
import { paint } from './heatmap'

export interface PlanePoints {
  /** Row-major examples, `width` floats each. */
  readonly x: ArrayLike<number>
  readonly width: number
  readonly count: number
  /** One label per example (class index or value); absent when the data's labels are unknown. */
  readonly labels: ArrayLike<number> | null
  readonly test: boolean
}

export interface PlaneView {
  readonly grid: HeatmapGrid | null
  readonly scale: ColorScale
  /** The interval of features[0], drawn across. */
  readonly xRange: readonly [number, number]
  /** The interval of features[1], drawn upward. */
  readonly yRange: readonly [number, number]
  readonly features: readonly [number, number]
  readonly points: readonly PlanePoints[]
  /** The colour of a point with this label. */
  readonly pointColor: (label: number) => string
}

const RADIUS = 2.6

export class PlanePlot {
  private readonly ctx: CanvasRenderingContext2D | null
  private readonly buffer = document.createElement('canvas')

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')
  }

  draw(view: PlaneView): void {
    const ctx = this.ctx
    if (!ctx) return
    const { w, h, dpr } = fitToBox(this.canvas)
    ctx.clearRect(0, 0, w, h)
    if (view.grid) this.drawGrid(ctx, view.grid, view.scale, w, h)
    const [xLo, xHi] = view.xRange
    const [yLo, yHi] = view.yRange
    const xSpan = xHi - xLo || 1
    const ySpan = yHi - yLo || 1
    const place = (a: number, b: number): [number, number] => [
      ((a - xLo) / xSpan) * w,
      ((yHi - b) / ySpan) * h,
    ]
    for (const set of view.points) drawSet(ctx, set, view, place, RADIUS * dpr)
  }

  private drawGrid(
    ctx: CanvasRenderingContext2D,
    grid: HeatmapGrid,
    scale: ColorScale,
    w: number,
    h: number,
  ): void {
    const small = this.buffer.getContext('2d')
    if (!small) return
    this.buffer.width = grid.cols
    this.buffer.height = grid.rows
    const image = small.createImageData(grid.cols, grid.rows)
    paint(image.data, grid, scale)
    small.putImageData(image, 0, 0)
    ctx.imageSmoothingEnabled = true
    ctx.drawImage(this.buffer, 0, 0, w, h)
  }
}

function drawSet(
  ctx: CanvasRenderingContext2D,
  set: PlanePoints,
  view: PlaneView,
  place: (a: number, b: number) => [number, number],
  r: number,
): void {
  const [fa, fb] = view.features
  for (let i = 0; i < set.count; i++) {
    const [px, py] = place(set.x[i * set.width + fa] ?? 0, set.x[i * set.width + fb] ?? 0)
    const label = set.labels ? (set.labels[i] ?? NaN) : NaN
    drawPoint(ctx, px, py, r, set, label, view.pointColor)
  }
}

function drawPoint(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  r: number,
  set: PlanePoints,
  label: number,
  color: (label: number) => string,
): void {
  const known = Number.isFinite(label)
  ctx.beginPath()
  ctx.arc(x, y, r, 0, 2 * Math.PI)
  if (set.test) {
    ctx.lineWidth = r * 0.8
    ctx.strokeStyle = known ? color(label) : '#5d6879'
    ctx.stroke()
    return
  }
  ctx.fillStyle = known ? color(label) : '#5d6879'
  ctx.fill()
  ctx.lineWidth = r * 0.45
  ctx.strokeStyle = '#ffffff'
  ctx.stroke()
}
