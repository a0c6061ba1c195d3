// The universal-approximation picture for 1-D fits: each hidden unit's weighted contribution
// w_j·h_j(x) as a thin line, their sum plus the bias (the fit) as a bold one, and the data points.
// Colours come from the diverging palette: a unit that adds is blue, one that subtracts orange.
import { fitToBox } from './canvas-size'
import type { ColorScale } from './color-scale'

export interface FitView {
  readonly x: ArrayLike<number>
  readonly fit: ArrayLike<number>
  readonly contributions: readonly ArrayLike<number>[]
  /** Data points (x, y), training then test; empty when the labels are unknown. */
  readonly points: readonly { x: number; y: number; test: boolean }[]
  readonly scale: ColorScale
  readonly showUnits: boolean
}

const PAD = 6

export class FitPlot {
  private readonly ctx: CanvasRenderingContext2D | null

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')
  }

  draw(view: FitView): void {
    const ctx = this.ctx
    if (!ctx || view.x.length < 2) return
    const { w, h, dpr } = fitToBox(this.canvas)
    ctx.clearRect(0, 0, w, h)
    const xs = Array.from(view.x)
    const x0 = xs[0] ?? 0
    const x1 = xs[xs.length - 1] ?? 1
    const [y0, y1] = yRange(view)
    const px = (v: number) => PAD * dpr + ((v - x0) / (x1 - x0 || 1)) * (w - 2 * PAD * dpr)
    const py = (v: number) => h - PAD * dpr - ((v - y0) / (y1 - y0 || 1)) * (h - 2 * PAD * dpr)
    ctx.strokeStyle = 'rgba(128, 128, 128, 0.5)'
    ctx.lineWidth = dpr
    line(ctx, [px(x0), py(0)], [px(x1), py(0)])
    if (view.showUnits) {
      for (const c of view.contributions) {
        const sign = mean(c) >= 0 ? view.scale.max : view.scale.min
        ctx.strokeStyle = view.scale.css(sign * 0.7)
        ctx.lineWidth = 1.2 * dpr
        polyline(ctx, xs, c, px, py)
      }
    }
    drawPoints(ctx, view.points, px, py, 2.2 * dpr)
    ctx.strokeStyle = getComputedStyle(this.canvas).getPropertyValue('--text').trim() || '#1c2230'
    ctx.lineWidth = 2.4 * dpr
    polyline(ctx, xs, view.fit, px, py)
  }
}

function drawPoints(
  ctx: CanvasRenderingContext2D,
  points: FitView['points'],
  px: (v: number) => number,
  py: (v: number) => number,
  r: number,
): void {
  for (const p of points) {
    ctx.beginPath()
    ctx.arc(px(p.x), py(p.y), r, 0, 2 * Math.PI)
    ctx.fillStyle = p.test ? 'rgba(93, 104, 121, 0.45)' : 'rgba(93, 104, 121, 0.85)'
    ctx.fill()
  }
}

function yRange(view: FitView): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  const take = (v: number) => {
    if (!Number.isFinite(v)) return
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  for (let i = 0; i < view.fit.length; i++) take(view.fit[i] ?? NaN)
  for (const p of view.points) take(p.y)
  if (view.showUnits) {
    for (const c of view.contributions) for (let i = 0; i < c.length; i++) take(c[i] ?? NaN)
  }
  if (!Number.isFinite(lo)) return [-1, 1]
  const pad = (hi - lo) * 0.05 || 1
  return [Math.min(lo, 0) - pad, Math.max(hi, 0) + pad]
}

function mean(values: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i] ?? 0
  return values.length > 0 ? s / values.length : 0
}

function line(ctx: CanvasRenderingContext2D, a: [number, number], b: [number, number]): void {
  ctx.beginPath()
  ctx.moveTo(a[0], a[1])
  ctx.lineTo(b[0], b[1])
  ctx.stroke()
}

function polyline(
  ctx: CanvasRenderingContext2D,
  xs: readonly number[],
  ys: ArrayLike<number>,
  px: (v: number) => number,
  py: (v: number) => number,
): void {
  ctx.beginPath()
  xs.forEach((x, i) => {
    const y = ys[i] ?? 0
    if (i === 0) ctx.moveTo(px(x), py(y))
    else ctx.lineTo(px(x), py(y))
  })
  ctx.stroke()
}
