// The zip reader's limits: an entry's declared size is checked before anything is inflated, and
// inflating stops one byte past it whatever the compressed data holds.
import { describe, expect, it } from 'vitest'
import { readZip, writeZip } from './zip'

const text = (s: string) => new TextEncoder().encode(s)

/** The archive with the named entry's unzipped size set to `size` in both of its headers. */
function declaring(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const out = bytes.slice()
  const view = new DataView(out.buffer)
  for (let at = 0; at + 46 < out.length; at++) {
    const sig = view.getUint32(at, true)
    const central = sig === 0x02014b50
    if (!central && sig !== 0x04034b50) continue
    const nameAt = at + (central ? 46 : 30)
    const length = view.getUint16(at + (central ? 28 : 26), true)
    if (new TextDecoder().decode(out.subarray(nameAt, nameAt + length)) !== name) continue
    view.setUint32(at + (central ? 24 : 22), size, true)
  }
  return out
}

const json = (name: string) =>
  name.endsWith('.json') ? { bytes: 1000, what: 'a JSON entry' } : undefined

describe('zip limits', () => {
  it('refuses an entry declared past its limit before inflating it, naming it and the sizes', () => {
    const bytes = writeZip([
      { name: 'small.json', data: text('{}') },
      { name: 'big.json', data: text(' '.repeat(5000)) },
      { name: 'big.bin', data: new Uint8Array(5000) },
    ])
    const r = readZip(bytes, { entry: json })
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          entry: 'big.json',
          offset: expect.any(Number) as number,
          message: 'unzips to 5000 bytes; a JSON entry may hold at most 1000 bytes (1000 bytes)',
        },
      ],
    })
    // The offset is the entry's central directory record.
    const at = r.ok ? -1 : (r.errors[0]?.offset ?? -1)
    expect(new DataView(bytes.buffer).getUint32(at, true)).toBe(0x02014b50)
    expect(readZip(bytes).ok).toBe(true)
  })

  it('stops inflating one byte past a size the entry declares too small', () => {
    const bomb = writeZip([{ name: 'a.json', data: new Uint8Array(4e6).fill(0x20) }])
    expect(bomb.length).toBeLessThan(10_000)
    const lying = declaring(bomb, 'a.json', 100)
    const r = readZip(lying, { entry: json })
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([
      'the data is longer than 100 bytes',
    ])
  })

  it('reads entries within their limits as they were written', () => {
    const entries = [
      { name: 'a.json', data: text('{"a": 1}') },
      { name: 'w.bin', data: new Uint8Array(3000).fill(7), store: true },
    ]
    const r = readZip(writeZip(entries), { entry: json })
    expect(r.ok && [...r.entries]).toEqual(entries.map((e) => [e.name, e.data]))
  })
})
