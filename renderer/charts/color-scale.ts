// The one diverging palette every heatmap uses (TensorFlow Playground's): orange for negative,
// white for zero, blue for positive, quantized into a few shades so the eye can compare cells.
// Scales are symmetric around zero, so a colour means the same sign in every panel.

export type Rgb = readonly [number, number, number]

export const NEGATIVE: Rgb = [245, 147, 34]
export const ZERO: Rgb = [255, 255, 255]
export const POSITIVE: Rgb = [8, 119, 189]

/** Odd, so zero sits in the middle of its own white shade. */
export const DEFAULT_LEVELS = 21

export interface ColorScale {
  /** The value range the colours span: [−bound, +bound]. */
  readonly min: number
  readonly max: number
  readonly levels: number
  /** Shade index 0 … levels − 1 for a value (clamped; NaN gives the middle). */
  index(value: number): number
  /** levels × 3 bytes: the RGB of each shade, for writing ImageData fast. */
  readonly table: Uint8ClampedArray
  css(value: number): string
}

const mix = (a: number, b: number, t: number): number => Math.round(a + (b - a) * t)

/** The continuous palette at t ∈ [−1, 1]. */
export function paletteRgb(t: number): Rgb {
  const c = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0))
  const end = c < 0 ? NEGATIVE : POSITIVE
  const k = Math.abs(c)
  return [mix(ZERO[0], end[0], k), mix(ZERO[1], end[1], k), mix(ZERO[2], end[2], k)]
}

/** A scale over [−bound, bound]; a bound of 0 or less (all zeros) still gives a usable scale. */
export function divergingScale(bound: number, levels = DEFAULT_LEVELS): ColorScale {
  const b = Number.isFinite(bound) && bound > 0 ? bound : 1
  const n = Math.max(3, Math.floor(levels) | 1)
  const table = new Uint8ClampedArray(n * 3)
  for (let i = 0; i < n; i++) {
    const [r, g, bl] = paletteRgb((2 * i) / (n - 1) - 1)
    table.set([r, g, bl], i * 3)
  }
  const index = (value: number): number => {
    if (!Number.isFinite(value)) return value > 0 ? n - 1 : value < 0 ? 0 : (n - 1) / 2
    // Rounded by magnitude, so −v and +v land on mirrored shades.
    const mid = (n - 1) / 2
    const steps = Math.min(mid, Math.round((Math.abs(value) / b) * mid))
    return value < 0 ? mid - steps : mid + steps
  }
  return {
    min: -b,
    max: b,
    levels: n,
    index,
    table,
    css(value) {
      const i = index(value) * 3
      return `rgb(${table[i] ?? 0}, ${table[i + 1] ?? 0}, ${table[i + 2] ?? 0})`
    },
  }
}

/** The largest |value| among finite values (0 when there are none). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i] ?? 0)
    if (v > m && Number.isFinite(v)) m = v
  }
  return m
}

/** A CSS gradient of the quantized shades from −bound to +bound, for legends. */
export function legendGradient(scale: ColorScale): string {
  const stops: string[] = []
  for (let i = 0; i < scale.levels; i++) {
    const color = `rgb(${scale.table[i * 3] ?? 0}, ${scale.table[i * 3 + 1] ?? 0}, ${scale.table[i * 3 + 2] ?? 0})`
    stops.push(
      `${color} ${(i / scale.levels) * 100}%`,
      `${color} ${((i + 1) / scale.levels) * 100}%`,
    )
  }
  return `linear-gradient(to right, ${stops.join(', ')})`
}
