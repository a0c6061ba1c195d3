// The first byte that breaks UTF-8, as a project's entries and CSV files report it.
import { describe, expect, it } from 'vitest'
import { firstBadUtf8 } from './utf8'

const at = (...bytes: number[]): number => firstBadUtf8(Uint8Array.from(bytes))
const text = (s: string): number[] => Array.from(new TextEncoder().encode(s))

describe('firstBadUtf8', () => {
  it('finds nothing wrong in UTF-8 of every length', () => {
    const ok = text('aß€😀')
    expect(at(...ok)).toBe(ok.length)
  })

  it('names the lead byte of a sequence UTF-8 forbids', () => {
    const abc = text('abcdef')
    // A surrogate (U+D800), overlong forms of "/" in three and four bytes, past U+10FFFF.
    expect(at(...abc, 0xed, 0xa0, 0x80)).toBe(6)
    expect(at(...abc, 0xe0, 0x80, 0xaf)).toBe(6)
    expect(at(...abc, 0xf0, 0x80, 0x80, 0xaf)).toBe(6)
    expect(at(...abc, 0xf4, 0x90, 0x80, 0x80)).toBe(6)
    // Latin-1 "ü", a lone continuation byte, a sequence cut short at the end.
    expect(at(...text('M'), 0xfc, ...text('nchen'))).toBe(1)
    expect(at(...abc, 0x80)).toBe(6)
    expect(at(...abc, 0xe2, 0x82)).toBe(6)
  })

  it('agrees with a strict decoder on where valid text ends', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true })
    for (let lead = 0xc0; lead <= 0xff; lead++) {
      for (const second of [0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0]) {
        const bytes = Uint8Array.from([lead, second, 0x80, 0x80])
        const valid = (() => {
          try {
            decoder.decode(bytes)
            return true
          } catch {
            return false
          }
        })()
        if (valid) expect(firstBadUtf8(bytes), `${lead} ${second}`).toBe(4)
        else expect(firstBadUtf8(bytes), `${lead} ${second}`).toBeLessThan(4)
      }
    }
  })
})
