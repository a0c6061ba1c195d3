// JSON text: syntax errors placed where V8 does not say, keys given twice and nesting too deep
// refused with their places, and texts of any size or depth taken without a crash.
import { describe, expect, it } from 'vitest'
import {
  MAX_JSON_DEPTH,
  duplicateKeys,
  formatJsonPath,
  parseJson,
  parseJsonDocument,
  placeInText,
} from './json-text'

function rng(seed: number) {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return Math.floor((s / 2 ** 32) * n)
  }
}

const valid = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

describe('JSON text', () => {
  it('agrees with JSON.parse on what is JSON, across mutated documents', () => {
    const base = JSON.stringify(
      { a: [1, -2.5e3, 0.25, true, false, null], 'b\u00e9': { c: 'x\\"\u2603\ud83d\ude00\n' } },
      null,
      1,
    )
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '-',
      '0',
      '1',
      '.',
      'e',
      '+',
      'n',
      'tru',
      ' ',
      '\n',
      '\u0001',
      'NaN',
      'u00',
      '\\u12g4',
      '01',
      '1.',
      '-x',
      'E5',
    ]
    const pick = rng(3)
    for (let n = 0; n < 3000; n++) {
      let text = base
      for (let k = 0; k <= pick(3); k++) {
        const at = pick(text.length + 1)
        const cut = pick(3)
        text = text.slice(0, at) + (pieces[pick(pieces.length)] ?? '') + text.slice(at + cut)
      }
      const parsed = parseJson(text)
      expect(parsed.ok, text).toBe(valid(text))
      if (!parsed.ok) {
        // Every refusal is placed within the text, on one line.
        expect(parsed.offset, text).not.toBeNull()
        expect(parsed.offset ?? -1).toBeLessThanOrEqual(text.length)
        expect(parsed.message).not.toMatch(/\n/)
      }
    }
  })

  it("keeps V8's message to one line without the text it quotes", () => {
    const long = `{\n  "name": "a long enough project name",\n  "x": NaN,\n  "y": 2\n}`
    const r = parseJson(long)
    expect(r).toEqual({ ok: false, offset: long.indexOf('NaN'), message: "Unexpected token 'N'" })
    expect(parseJson('{"a": NaN}')).toMatchObject({ offset: 6, message: "Unexpected token 'N'" })
    expect(parseJson('{"a": tru}')).toMatchObject({ offset: 6, message: "Unexpected token '}'" })
    // Words V8 quotes from the text are not its position.
    expect(parseJson('["at position 7",x]')).toMatchObject({ offset: 17 })
  })

  it('finds keys given twice, escapes resolved, with the path of their object', () => {
    const text = '{"a": 1, "g": {"n": [{"u": 4, "u": 64}]}, "\\u0061": 2}'
    expect(duplicateKeys(text)).toEqual([
      { path: ['g', 'n', 0], key: 'u', offset: text.indexOf('"u": 64') },
      { path: [], key: 'a', offset: text.indexOf('"\\u0061"') },
    ])
    expect(duplicateKeys('[{"a": 1}, {"a": 2}]')).toEqual([])
  })

  it('refuses a document with a key twice, naming its path and place', () => {
    const text = '{\n  "training": {\n    "epochs": 5,\n    "epochs": 50\n  }\n}'
    expect(parseJsonDocument(text)).toEqual({
      ok: false,
      errors: [
        'training.epochs: the key is there twice; the second is at line 4, column 5 (byte 39)',
      ],
    })
    const many = `{${Array.from({ length: 15 }, (_, i) => `"k": ${i}`).join(', ')}}`
    const r = parseJsonDocument(many)
    expect(r.ok ? [] : r.errors).toHaveLength(11)
    expect(r.ok ? '' : r.errors.at(-1)).toBe('and 4 more keys are there twice')
    expect(parseJsonDocument('{"a": [1, {"b": 2}]}')).toEqual({
      ok: true,
      value: { a: [1, { b: 2 }] },
    })
  })

  it('refuses nesting past the limit, at any depth, without a crash', () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`
    expect(parseJsonDocument(deep)).toEqual({
      ok: false,
      errors: [`nested deeper than ${MAX_JSON_DEPTH} levels at line 1, column 1001 (byte 1000)`],
    })
    const fine = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`
    expect(parseJsonDocument(fine).ok).toBe(true)
    const deeper = `["[[[", ${'['.repeat(100_000)}${']'.repeat(100_000)}]`
    expect(parseJsonDocument(deeper)).toEqual({
      ok: false,
      errors: [`nested deeper than ${MAX_JSON_DEPTH} levels at line 1, column 1008 (byte 1007)`],
    })
    expect(duplicateKeys(deeper)).toEqual([])
  })

  it('formats paths as a reader writes them', () => {
    expect(formatJsonPath(['graph', 'nodes', 1, 'attrs', 'units'])).toBe(
      'graph.nodes[1].attrs.units',
    )
    expect(formatJsonPath(['a b', 0])).toBe('["a b"][0]')
    expect(formatJsonPath([])).toBe('(root)')
  })

  it('places an error in 20 MB of whitespace', () => {
    for (const space of [' ', '\n']) {
      const text = space.repeat(20e6)
      expect(parseJson(text)).toMatchObject({ ok: false, offset: 20e6 })
      expect(placeInText(text, 20e6)).toBe(
        space === ' '
          ? 'line 1, column 20000001 (byte 20000000)'
          : 'line 20000001, column 1 (byte 20000000)',
      )
    }
  }, 30_000)

  it('counts bytes of UTF-8 for the place, surrogate pairs as four', () => {
    expect(placeInText('é😀\nx', 4)).toBe('line 2, column 1 (byte 7)')
  })
})
