// The tiny plot of an activation: its scalar curve over [−4, 4] as an SVG path, scaled to fill
// the box, with where the axes fall so the plot can draw them faintly. The range is wide enough
// for every curve's character to show: Hard sigmoid's corners at ±3 fall inside it, so it does
// not draw as the straight line of Identity.

export interface CurvePlot {
  /** The SVG path data of the curve. */
  readonly d: string
  /** Where y = 0 falls in the box, or null when the curve never crosses zero's height. */
  readonly zeroY: number | null
  /** Where x = 0 falls in the box. */
  readonly zeroX: number
}

export interface PlotBox {
  readonly width: number
  readonly height: number
  /** Space kept free at the top and bottom, so the stroke is not clipped. */
  readonly pad?: number
}

const round = (n: number): number => Math.round(n * 100) / 100

/** The x range every activation is drawn over, and how many points sample it (steps of 0.1). */
export const PLOT_DOMAIN: readonly [number, number] = [-4, 4]
const PLOT_SAMPLES = 81

export function curvePlot(
  curve: (x: number) => number,
  box: PlotBox,
  domain: readonly [number, number] = PLOT_DOMAIN,
  samples = PLOT_SAMPLES,
): CurvePlot {
  const [x0, x1] = domain
  const pad = box.pad ?? 1.5
  const xs = Array.from({ length: samples }, (_, i) => x0 + ((x1 - x0) * i) / (samples - 1))
  const ys = xs.map((x) => {
    const y = curve(x)
    return Number.isFinite(y) ? y : 0
  })
  let lo = Math.min(...ys)
  let hi = Math.max(...ys)
  // A flat curve (a constant) draws as a line through the middle.
  if (hi - lo < 1e-9) {
    lo -= 1
    hi += 1
  }
  const sx = (x: number): number => ((x - x0) / (x1 - x0)) * box.width
  const sy = (y: number): number => pad + (1 - (y - lo) / (hi - lo)) * (box.height - 2 * pad)
  const d = xs
    .map((x, i) => `${i === 0 ? 'M' : 'L'}${round(sx(x))} ${round(sy(ys[i] ?? 0))}`)
    .join(' ')
  return { d, zeroY: lo <= 0 && hi >= 0 ? round(sy(0)) : null, zeroX: round(sx(0)) }
}
