// The plain data-set type that every generator, loader, panel and trainer shares, and the helpers
// that build one: a seeded train/test split and feature standardisation fitted on training rows.
import type { Rng } from '../util/rng'

export type Task = 'classification' | 'regression'

/**
 * A set of examples, row-major: `x` holds `count` rows of `exampleSize(inputShape)` floats; `y`
 * holds one float per example: the class index (0, 1, …) for classification, the target value
 * for regression.
 */
export interface Split {
  readonly x: Float32Array
  readonly y: Float32Array
  readonly count: number
}

/** Per-feature standardisation: x' = (x − mean) / std. Keep it to apply to new data. */
export interface Normalization {
  readonly mean: readonly number[]
  readonly std: readonly number[]
}

export interface Dataset {
  readonly name: string
  readonly task: Task
  /** One name per feature for flat inputs; one per channel for images (['intensity']). */
  readonly featureNames: readonly string[]
  /** Shape of one example, without the batch axis: [2] for the plane, [1, 28, 28] for MNIST. */
  readonly inputShape: readonly number[]
  /** Class names by index; present exactly when task is 'classification'. */
  readonly classNames?: readonly string[]
  readonly targetName?: string
  /** Interval each input axis is drawn over (heatmaps, function plots), when it has one. */
  readonly inputRange?: readonly [number, number]
  /** Present when x was standardised; apply it to any new input before predicting. */
  readonly normalization?: Normalization
  readonly train: Split
  readonly test: Split
}

/** A problem found while making a data set: which spec field, CSV cell or byte offset. */
export interface DataIssue {
  readonly message: string
  readonly field?: string
  /** 1-based row as a spreadsheet shows it (the header is row 1). */
  readonly row?: number
  /** 1-based column number, with its header name. */
  readonly column?: number
  readonly columnName?: string
  /** Byte offset in a binary file. */
  readonly offset?: number
}

export type DatasetResult =
  | { readonly ok: true; readonly dataset: Dataset }
  | { readonly ok: false; readonly errors: readonly DataIssue[] }

/** Number of floats in one example of the given shape. */
export function exampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** Copies the rows `order[from..to)` of x and y into a new Split. */
export function gatherRows(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rowSize: number,
  order: ArrayLike<number>,
  from: number,
  to: number,
): Split {
  const count = Math.max(0, to - from)
  const gx = new Float32Array(count * rowSize)
  const gy = new Float32Array(count)
  for (let r = 0; r < count; r++) {
    const src = order[from + r] ?? 0
    for (let k = 0; k < rowSize; k++) gx[r * rowSize + k] = x[src * rowSize + k] ?? 0
    gy[r] = y[src] ?? 0
  }
  return { x: gx, y: gy, count }
}

/** Training rows for a ratio, as Playground does it (floor), but never fewer than one. */
export function trainCount(count: number, trainRatio: number): number {
  return Math.min(count, Math.max(1, Math.floor(count * trainRatio)))
}

/**
 * Shuffles the examples with `rng` and cuts them: the first `floor(count · trainRatio)` go to
 * train, the rest to test (TensorFlow Playground's order: generate, shuffle, slice).
 */
export function splitExamples(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rowSize: number,
  trainRatio: number,
  rng: Rng,
): { train: Split; test: Split } {
  const count = y.length
  const order = rng.shuffle(Uint32Array.from({ length: count }, (_, i) => i))
  const cut = count === 0 ? 0 : trainCount(count, trainRatio)
  return {
    train: gatherRows(x, y, rowSize, order, 0, cut),
    test: gatherRows(x, y, rowSize, order, cut, count),
  }
}

/** Mean and (population) standard deviation per feature; a constant feature gets std 1. */
export function fitNormalization(split: Split, rowSize: number): Normalization {
  const mean = new Array<number>(rowSize).fill(0)
  const sq = new Array<number>(rowSize).fill(0)
  for (let r = 0; r < split.count; r++) {
    for (let k = 0; k < rowSize; k++) mean[k] = (mean[k] ?? 0) + (split.x[r * rowSize + k] ?? 0)
  }
  const n = Math.max(1, split.count)
  for (let k = 0; k < rowSize; k++) mean[k] = (mean[k] ?? 0) / n
  for (let r = 0; r < split.count; r++) {
    for (let k = 0; k < rowSize; k++) {
      const d = (split.x[r * rowSize + k] ?? 0) - (mean[k] ?? 0)
      sq[k] = (sq[k] ?? 0) + d * d
    }
  }
  const std = sq.map((s) => {
    const sd = Math.sqrt(s / n)
    return sd > 1e-12 ? sd : 1
  })
  return { mean, std }
}

/** Standardises rows of x in place with a fitted normalisation; returns x. */
export function applyNormalization(
  norm: Normalization,
  x: Float32Array,
  rowSize: number,
): Float32Array {
  for (let i = 0; i < x.length; i++) {
    const k = i % rowSize
    x[i] = ((x[i] ?? 0) - (norm.mean[k] ?? 0)) / (norm.std[k] ?? 1)
  }
  return x
}

/** A copy of the data set with features standardised by statistics of its training rows. */
export function standardize(dataset: Dataset): Dataset {
  const rowSize = exampleSize(dataset.inputShape)
  const norm = fitNormalization(dataset.train, rowSize)
  const apply = (s: Split): Split => ({
    x: applyNormalization(norm, Float32Array.from(s.x), rowSize),
    y: s.y,
    count: s.count,
  })
  return { ...dataset, normalization: norm, train: apply(dataset.train), test: apply(dataset.test) }
}
