// Shapes: sizes, strides, numpy broadcasting and the window arithmetic of conv and pooling.
// Pure helpers shared by the op table, the builder, autodiff and every backend.

export type Shape = readonly number[]

/** Thrown by shape rules; the verifier and builder add the equation that caused it. */
export class ShapeError extends Error {
  override name = 'ShapeError'
}

export function fail(message: string): never {
  throw new ShapeError(message)
}

export function numel(shape: Shape): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/** Row-major strides, in elements. */
export function strides(shape: Shape): number[] {
  const out = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) out[i] = (out[i + 1] ?? 1) * (shape[i + 1] ?? 1)
  return out
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`
}

/** Numpy broadcasting of any number of shapes (right-aligned; 1 stretches). */
export function broadcastShapes(...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length))
  const out: number[] = []
  for (let i = 0; i < rank; i++) {
    let d = 1
    for (const s of shapes) {
      const k = s[s.length - rank + i] ?? 1
      if (k === d || k === 1) continue
      if (d !== 1) fail(`cannot broadcast ${shapes.map(fmtShape).join(' with ')}`)
      d = k
    }
    out.push(d)
  }
  return out
}

/**
 * Element strides that read `shape` as if broadcast to `target` (0 where stretched). Used by
 * kernels to index a broadcast operand without materialising it.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = strides(shape)
  const lead = target.length - shape.length
  return target.map((_, i) => {
    const d = shape[i - lead]
    return d === undefined || d === 1 ? 0 : (own[i - lead] ?? 0)
  })
}

/** Axes must be distinct and in range; negative axes are not accepted (the IR is explicit). */
export function checkAxes(axes: readonly number[], rank: number): void {
  const seen = new Set<number>()
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= rank) fail(`axis ${a} out of range for rank ${rank}`)
    if (seen.has(a)) fail(`axis ${a} repeated`)
    seen.add(a)
  }
}

export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  checkAxes(axes, shape.length)
  const out: number[] = []
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d)
    else if (keepdims) out.push(1)
  })
  return out
}

/** Output extent of a sliding window: floor((n + 2p - k) / s) + 1. */
export function windowOut(n: number, k: number, s: number, p: number): number {
  const out = Math.floor((n + 2 * p - k) / s) + 1
  if (s < 1 || p < 0 || out < 1) fail(`window ${k} stride ${s} padding ${p} does not fit ${n}`)
  return out
}

export function rankAtLeast(shape: Shape, rank: number, what: string): void {
  if (shape.length < rank) fail(`${what} needs rank >= ${rank}, got ${fmtShape(shape)}`)
}

export function rankIs(shape: Shape, rank: number, what: string): void {
  if (shape.length !== rank) fail(`${what} needs rank ${rank}, got ${fmtShape(shape)}`)
}

/** The two numbers of a 2-d attribute (stride, padding, kernel), `fill` where missing. */
export function pair(s: readonly number[], fill: number): [number, number] {
  return [s[0] ?? fill, s[1] ?? fill]
}

/** The four sizes of an NCHW shape (0 where missing; shape rules have checked the rank). */
export function nchw(s: readonly number[]): [number, number, number, number] {
  return [s[0] ?? 0, s[1] ?? 0, s[2] ?? 0, s[3] ?? 0]
}

/**
 * A window sliding over NCHW planes (a pool's, a convolution's): the input plane H×W, the grid
 * of windows OH×OW (the output's plane), the window KH×KW, its stride and padding.
 */
export interface Windows {
  readonly H: number
  readonly W: number
  readonly OH: number
  readonly OW: number
  readonly KH: number
  readonly KW: number
  readonly sh: number
  readonly sw: number
  readonly ph: number
  readonly pw: number
}

/** The windows from input x to output y, shapes the shape rules have checked. */
export function windowsOver(
  x: Shape,
  y: Shape,
  a: { kernel: readonly number[]; stride: readonly number[]; padding: readonly number[] },
): Windows {
  const [, , H, W] = nchw(x)
  const [, , OH, OW] = nchw(y)
  const [KH, KW] = pair(a.kernel, 1)
  const [sh, sw] = pair(a.stride, 1)
  const [ph, pw] = pair(a.padding, 0)
  return { H, W, OH, OW, KH, KW, sh, sw, ph, pw }
}
