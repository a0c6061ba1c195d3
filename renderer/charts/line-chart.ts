// Streaming line charts on uPlot: one x axis (training step), any number of series, a linear or
// logarithmic y axis, a live legend that reads out the values under the cursor (the latest ones
// while the cursor is elsewhere), marks at given x values (where the learning rate changed), and
// PNG export. No Vue: the panel owns a LineChart and calls setData as points arrive.
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface LineSeries {
  readonly label: string
  readonly color: string
  readonly dash?: readonly number[]
  readonly width?: number
}

export interface LineChartOptions {
  readonly title: string
  readonly xLabel: string
  readonly series: readonly LineSeries[]
  readonly logY: boolean
  /** Formats a y value for the legend and the axis ("98.7 %", "0.0341"). */
  readonly format: (value: number) => string
  readonly width: number
  readonly height: number
  /** Called with the x value under the cursor (null when it leaves), for a read-out. */
  readonly onCursor?: (x: number | null) => void
  /** Where the legend (the series and their values under the cursor) goes; below by default. */
  readonly legendInto?: HTMLElement
}

export type Column = readonly (number | null)[]

/** A dashed vertical line at x, labelled at its top ("lr 0.03"). */
export interface Marker {
  readonly x: number
  readonly label: string
}

export class LineChart {
  private plot: uPlot
  private options: LineChartOptions
  private data: uPlot.AlignedData = [[]]
  private markers: readonly Marker[] = []

  constructor(
    private readonly el: HTMLElement,
    options: LineChartOptions,
  ) {
    this.options = options
    this.plot = this.create()
  }

  /** Sets the points: x values and one column per series (null for gaps). */
  setData(x: readonly number[], columns: readonly Column[]): void {
    const log = this.options.logY
    const ys = columns.map((c) => c.map((v) => (v === null || (log && v <= 0) ? null : v)))
    this.data = [x.slice(), ...ys] as uPlot.AlignedData
    this.plot.setData(this.data)
    // The legend shows the latest values while the cursor is off the plot: refresh them.
    if (this.plot.cursor.idx === null || this.plot.cursor.idx === undefined) this.plot.setLegend({})
  }

  setMarkers(markers: readonly Marker[]): void {
    const before = this.markers
    this.markers = markers
    // uPlot draws the markers in its draw hook; no redraw where none were or are to be drawn.
    if (before.length > 0 || markers.length > 0) this.plot.redraw()
  }

  /** Rebuilds the chart when its scale or series change; keeps the data. */
  configure(changes: Partial<Omit<LineChartOptions, 'width' | 'height'>>): void {
    this.options = { ...this.options, ...changes }
    this.plot.destroy()
    this.plot = this.create()
  }

  resize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return
    this.options = { ...this.options, width, height }
    this.plot.setSize({ width, height })
  }

  /** The chart (axes and lines) on an opaque background, with its title, as a PNG. */
  toPng(background: string, text: string): Promise<Blob | null> {
    const source = this.plot.ctx.canvas
    const title = 24 * devicePixelRatio
    const out = document.createElement('canvas')
    out.width = source.width
    out.height = source.height + title
    const ctx = out.getContext('2d')
    if (!ctx) return Promise.resolve(null)
    ctx.fillStyle = background
    ctx.fillRect(0, 0, out.width, out.height)
    ctx.fillStyle = text
    ctx.font = `${13 * devicePixelRatio}px sans-serif`
    const legend = this.options.series.map((s) => s.label).join(' · ')
    ctx.fillText(`${this.options.title}: ${legend}`, 8 * devicePixelRatio, 16 * devicePixelRatio)
    ctx.drawImage(source, 0, title)
    return new Promise((done) => out.toBlob(done, 'image/png'))
  }

  destroy(): void {
    this.plot.destroy()
  }

  private create(): uPlot {
    const o = this.options
    const style = getComputedStyle(this.el)
    const muted = style.getPropertyValue('--text-muted').trim() || '#5d6879'
    const grid = style.getPropertyValue('--border-soft').trim() || '#eceef2'
    const fmt = (v: number | null): string => (v === null ? '–' : o.format(v))
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { show: false } }
    const opts: uPlot.Options = {
      width: o.width,
      height: o.height,
      scales: { x: { time: false }, y: o.logY ? { distr: 3, log: 10 } : { auto: true } },
      legend: {
        live: true,
        ...(o.legendInto
          ? { mount: (_u: uPlot, el: HTMLElement) => o.legendInto?.append(el) }
          : {}),
      },
      hooks: {
        draw: [(u) => this.drawMarkers(u, muted)],
        setCursor: [
          (u) => {
            const i = u.cursor.idx
            o.onCursor?.(i === null || i === undefined ? null : (u.data[0][i] ?? null))
          },
        ],
      },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: o.xLabel, value: (_u, v: number | null) => (v === null ? '–' : String(v)) },
        ...o.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          spanGaps: true,
          points: { show: false },
          // Off the plot (no idx) the legend reads the latest values, as a summary of the run.
          value: (u: uPlot, v: number | null, sidx: number, idx: number | null) =>
            fmt(typeof idx === 'number' ? v : latest(u.data[sidx])),
          ...(s.dash ? { dash: [...s.dash] } : {}),
        })),
      ],
      axes: [
        { ...axis, label: o.xLabel, labelSize: 16, size: 30 },
        { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => o.format(t)) },
      ],
    }
    return new uPlot(opts, this.data, this.el)
  }

  /** The markers inside the plot's x range, over the lines. */
  private drawMarkers(u: uPlot, color: string): void {
    const { left, top, width, height } = u.bbox
    const ctx = u.ctx
    ctx.save()
    ctx.strokeStyle = color
    ctx.fillStyle = color
    ctx.lineWidth = devicePixelRatio
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio])
    ctx.font = `${10 * devicePixelRatio}px sans-serif`
    for (const m of this.markers) {
      const x = Math.round(u.valToPos(m.x, 'x', true))
      if (!(x >= left && x <= left + width)) continue
      ctx.beginPath()
      ctx.moveTo(x, top)
      ctx.lineTo(x, top + height)
      ctx.stroke()
      ctx.fillText(m.label, x + 3 * devicePixelRatio, top + 10 * devicePixelRatio)
    }
    ctx.restore()
  }
}

/** The last value of a column that is a number, or null. */
function latest(column: uPlot.AlignedData[number] | undefined): number | null {
  if (!column) return null
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i]
    if (typeof v === 'number' && Number.isFinite(v)) return v
  }
  return null
}

/** Aligns several (x, y) series onto one shared x column, with null where a series has no point. */
export function alignSeries(tables: readonly { x: readonly number[]; y: Column }[]): {
  x: number[]
  columns: Column[]
} {
  if (tables.length === 0) return { x: [], columns: [] }
  const joined = uPlot.join(tables.map((t) => [t.x.slice(), t.y.slice()] as uPlot.AlignedData))
  const [x, ...columns] = joined
  return {
    x: Array.from(x, Number),
    columns: columns.map((c) => Array.from(c, (v) => (v === undefined ? null : v))),
  }
}
