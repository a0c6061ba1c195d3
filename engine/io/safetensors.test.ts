// safetensors: the layout byte for byte, round trips, and a byte offset for every problem.
import { describe, expect, it } from 'vitest'
import type { ByteIssue } from './safetensors'
import { readSafetensors, writeSafetensors } from './safetensors'

const tensors = {
  'dense1.weight': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
  'dense1.bias': { shape: [2], data: Float32Array.from([-0.5, 0.25]) },
  scalar: { shape: [], data: Float32Array.from([7]) },
}

/** A file with the given header object and data bytes, laid out as the format says. */
function file(header: unknown, data = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  return rawFile(JSON.stringify(header), data, lengthOverride)
}

/** The same with the header's text as given. */
function rawFile(header: string, data = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(header)
  const out = new Uint8Array(8 + json.length + data.length)
  new DataView(out.buffer).setUint32(0, lengthOverride ?? json.length, true)
  out.set(json, 8)
  out.set(data, 8 + json.length)
  return out
}

function errorsOf(bytes: Uint8Array): readonly ByteIssue[] {
  const r = readSafetensors(bytes)
  return r.ok ? [] : r.errors
}

describe('safetensors', () => {
  it('writes the documented layout: length, sorted JSON header padded to 8, LE floats', () => {
    const bytes = writeSafetensors(tensors, { 'dendrite.graph': '{}' })
    const length = new DataView(bytes.buffer).getUint32(0, true)
    expect(length % 8).toBe(0)
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as object
    expect(Object.keys(header)).toEqual(['__metadata__', 'dense1.bias', 'dense1.weight', 'scalar'])
    expect(header).toMatchObject({
      'dense1.bias': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      'dense1.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [8, 32] },
      scalar: { dtype: 'F32', shape: [], data_offsets: [32, 36] },
    })
    expect(new DataView(bytes.buffer).getFloat32(8 + length, true)).toBe(-0.5)
    expect(bytes.length).toBe(8 + length + 36)
  })

  it('round-trips tensors and metadata, and writes the same bytes again', () => {
    const bytes = writeSafetensors(tensors, { b: '2', a: 'ü' })
    const r = readSafetensors(bytes)
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    expect(r.file.tensors).toEqual(tensors)
    expect(r.file.metadata).toEqual({ a: 'ü', b: '2' })
    expect(writeSafetensors(r.file.tensors, r.file.metadata)).toEqual(bytes)
  })

  it('reads a file from another writer: unpadded header, any key order', () => {
    const data = new Uint8Array(Float32Array.from([3, 4]).buffer)
    const r = readSafetensors(file({ b: { shape: [2], dtype: 'F32', data_offsets: [0, 8] } }, data))
    expect(r.ok && Array.from(r.file.tensors.b?.data ?? [])).toEqual([3, 4])
  })

  it('refuses short files, impossible lengths and bad headers at their offsets', () => {
    expect(errorsOf(new Uint8Array(5))[0]?.message).toMatch(/5 bytes/)
    expect(errorsOf(file({}, new Uint8Array(0), 999))[0]).toMatchObject({ offset: 0 })
    const syntax = file({ a: 1 })
    syntax[12] = 0x2c // {"a",1}: the comma where the colon was
    expect(errorsOf(syntax)[0]).toMatchObject({ offset: 12 })
    expect(errorsOf(file([1, 2]))[0]?.message).toMatch(/JSON object/)
  })

  it('refuses a name given twice, and __proto__, where they stand', () => {
    const a = '"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}'
    expect(errorsOf(rawFile(`{${a},${a}}`, new Uint8Array(4)))).toEqual([
      { offset: 8 + a.length + 2, message: 'tensor "a" is named twice in the header' },
    ])
    const proto = rawFile(`{${a.replace('"a"', '"__proto__"')}}`, new Uint8Array(4))
    expect(errorsOf(proto)).toContainEqual({
      offset: 9,
      message: 'tensor "__proto__": not a name a tensor can have',
    })
  })

  it('places a JSON error that V8 gives no position for', () => {
    expect(errorsOf(rawFile('{"a": x}'))).toEqual([
      { offset: 8 + 6, message: "the header is not valid JSON (Unexpected token 'x')" },
    ])
  })

  it('names every bad tensor, gap, overlap and leftover byte', () => {
    const header = {
      __metadata__: { ok: 'yes', bad: 3 },
      half: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
      short: { dtype: 'F32', shape: [3], data_offsets: [0, 8] },
      neg: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] },
      out: { dtype: 'F32', shape: [1], data_offsets: [40, 44] },
      a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
      b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
    }
    const bytes = file(header, new Uint8Array(16))
    const messages = errorsOf(bytes).map((e) => e.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        '__metadata__.bad must be a string',
        expect.stringMatching(/"half": dtype "F16" is not supported/),
        expect.stringMatching(/"short": shape \[3\] needs 12 bytes, got 8/),
        expect.stringMatching(/"neg": shape must be/),
        expect.stringMatching(/"out": data_offsets \[40, 44\] lie outside the 16 data bytes/),
        'tensor "b" overlaps another',
      ]),
    )
    // Refused tensors named bytes too: none is called a gap or left over.
    expect(messages.filter((m) => m.includes('belong to no tensor'))).toEqual([])
    const json = new TextDecoder().decode(bytes)
    const short = errorsOf(bytes).find((e) => e.message.includes('"short"'))
    expect(short?.offset).toBe(json.indexOf('"short"'))
  })

  it('names a gap and bytes left over between well-formed tensors', () => {
    const header = {
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    }
    const bytes = file(header, new Uint8Array(20))
    expect(errorsOf(bytes).map((e) => [e.message, e.offset])).toEqual([
      ['4 bytes belong to no tensor', bytes.length - 20 + 4],
      ['8 bytes after the last tensor belong to no tensor', bytes.length - 8],
    ])
  })
})
