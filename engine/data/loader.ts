// Mini-batches over one split of a Dataset: a seeded reshuffle each epoch, rows copied into two
// preallocated Float32Arrays (nothing is allocated per batch), labels optionally one-hot.
//
// Every batch has exactly `batchSize` rows, so a compiled training step keeps one static shape.
// The last partial batch of an epoch is either dropped ('drop', the default: those rows come
// back in a later epoch's order) or padded ('pad') by repeating rows from the start of the same
// epoch; next() returns how many rows are real so a caller may weight them. A split smaller than
// one batch is always padded, so every epoch yields at least one batch.
import { createRng } from '../util/rng'
import type { Dataset, Split } from './dataset'
import { exampleSize } from './dataset'

export type PartialBatch = 'drop' | 'pad'

export interface LoaderOptions {
  readonly batchSize: number
  readonly seed: number
  /** Reshuffle each epoch (default true); false walks the rows in stored order. */
  readonly shuffle?: boolean
  /** Classification only: y as batchSize × classes one-hot rows instead of class indices. */
  readonly oneHot?: boolean
  readonly partial?: PartialBatch
  /**
   * Copy each batch's examples into x (default true); false leaves x alone for a caller that
   * gathers the rows itself from `rows` (the WebGPU session, on the device).
   */
  readonly copyInputs?: boolean
  /**
   * Batches already taken (default 0): the loader starts where one made with the same seed is
   * after that many next() calls, so a run restored at a step gets the batches it had there.
   */
  readonly start?: number
}

export interface BatchLoader {
  readonly batchSize: number
  readonly rowSize: number
  /** Floats per example in y: 1, or the number of classes when one-hot. */
  readonly targetSize: number
  readonly batchesPerEpoch: number
  /** batchSize × rowSize, refilled in place by next(). */
  readonly x: Float32Array
  /** batchSize × targetSize, refilled in place by next(). */
  readonly y: Float32Array
  /** The split's row of each batch slot, refilled in place by next(). */
  readonly rows: Uint32Array
  /** Epoch (from 0) and index within it of the batch last filled; −1 before the first. */
  readonly epoch: number
  readonly batchIndex: number
  /** Fills x and y with the next batch; returns the number of real (not padded) rows. */
  next(): number
}

function checkOptions(split: Split, opts: LoaderOptions, classes: number): void {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`)
  }
  if (split.count < 1) throw new RangeError('cannot batch an empty split')
  if (opts.oneHot === true && classes < 1) {
    throw new RangeError('oneHot needs a classification data set')
  }
}

interface Buffers {
  readonly x: Float32Array
  readonly y: Float32Array
  readonly rowSize: number
  readonly targetSize: number
}

/** Copies example `row` of the split into batch slot `slot` (y as index or one-hot). */
function copyRow(split: Split, into: Buffers, slot: number, row: number, inputs: boolean): void {
  const { x, y, rowSize, targetSize } = into
  const src = row * rowSize
  const dst = slot * rowSize
  if (inputs) for (let k = 0; k < rowSize; k++) x[dst + k] = split.x[src + k] ?? 0
  const label = split.y[row] ?? 0
  if (targetSize === 1) {
    y[slot] = label
    return
  }
  const base = slot * targetSize
  for (let c = 0; c < targetSize; c++) y[base + c] = c === label ? 1 : 0
}

/** Full batches per epoch, plus a padded one when asked for or when there is no full one. */
function countBatches(count: number, batchSize: number, partial: PartialBatch): number {
  const full = Math.floor(count / batchSize)
  const padLast = partial === 'pad' || full === 0
  return full + (padLast && count % batchSize !== 0 ? 1 : 0)
}

export function createLoader(
  dataset: Dataset,
  which: 'train' | 'test',
  opts: LoaderOptions,
): BatchLoader {
  const split = dataset[which]
  const classes = dataset.task === 'classification' ? (dataset.classNames?.length ?? 0) : 0
  checkOptions(split, opts, classes)
  const { batchSize } = opts
  const rowSize = exampleSize(dataset.inputShape)
  const targetSize = opts.oneHot === true ? classes : 1
  const buffers: Buffers = {
    x: new Float32Array(batchSize * rowSize),
    y: new Float32Array(batchSize * targetSize),
    rowSize,
    targetSize,
  }
  const count = split.count
  const batchesPerEpoch = countBatches(count, batchSize, opts.partial ?? 'drop')
  const order = Uint32Array.from({ length: count }, (_, i) => i)
  const rows = new Uint32Array(batchSize)
  const inputs = opts.copyInputs !== false
  const rng = createRng(opts.seed)
  let epoch = -1
  let batchIndex = batchesPerEpoch - 1
  // The order of the epoch holding batch `start` (each epoch reshuffles the one before).
  const start = Math.max(0, Math.floor(opts.start ?? 0))
  if (start > 0) {
    epoch = Math.floor((start - 1) / batchesPerEpoch)
    batchIndex = (start - 1) % batchesPerEpoch
    if (opts.shuffle !== false) for (let e = 0; e <= epoch; e++) rng.shuffle(order)
  }

  const next = (): number => {
    batchIndex++
    if (batchIndex >= batchesPerEpoch) {
      batchIndex = 0
      epoch++
      if (opts.shuffle !== false) rng.shuffle(order)
    }
    const start = batchIndex * batchSize
    // Padded slots wrap to the first rows of this epoch's order.
    for (let slot = 0; slot < batchSize; slot++) {
      rows[slot] = order[(start + slot) % count] ?? 0
      copyRow(split, buffers, slot, rows[slot] ?? 0, inputs)
    }
    return Math.min(batchSize, count - start)
  }

  return {
    ...buffers,
    rows,
    batchSize,
    batchesPerEpoch,
    get epoch() {
      return epoch
    },
    get batchIndex() {
      return epoch < 0 ? -1 : batchIndex
    },
    next,
  }
}
