// Who may call the Bridge: only the studio window's own top-level document.
import { describe, expect, it } from 'vitest'
import { documentOf, refusal } from './sender'

const STUDIO = 'file:///opt/dendrite/out/renderer/renderer/index.html'

describe('bridge sender check', () => {
  it('answers the studio page, with or without a query or fragment', () => {
    const ok = { fromStudio: true, topLevel: true, frameUrl: STUDIO }
    expect(refusal(ok, STUDIO)).toBeNull()
    expect(refusal({ ...ok, frameUrl: `${STUDIO}?x=1#y` }, STUDIO)).toBeNull()
    const dev = 'http://localhost:5173/renderer/index.html'
    expect(refusal({ ...ok, frameUrl: dev }, dev)).toBeNull()
  })

  it('refuses other windows, subframes, gone frames and other documents', () => {
    const base = { fromStudio: true, topLevel: true, frameUrl: STUDIO }
    expect(refusal({ ...base, fromStudio: false }, STUDIO)).toMatch(/not the studio/)
    expect(refusal({ ...base, topLevel: false }, STUDIO)).toMatch(/subframe/)
    expect(refusal({ ...base, frameUrl: null }, STUDIO)).toMatch(/gone/)
    const other = 'file:///tmp/evil.html'
    expect(refusal({ ...base, frameUrl: other }, STUDIO)).toMatch(/another document/)
    const engine = 'file:///opt/dendrite/out/renderer/engine/host/engine.html'
    expect(refusal({ ...base, frameUrl: engine }, STUDIO)).toMatch(/another document/)
    const site = 'http://localhost:5174/renderer/index.html'
    expect(
      refusal({ ...base, frameUrl: site }, 'http://localhost:5173/renderer/index.html'),
    ).toMatch(/another document/)
    expect(refusal({ ...base, frameUrl: 'not a url' }, STUDIO)).toMatch(/another document/)
  })

  it('compares documents without query and fragment; file URLs by path', () => {
    expect(documentOf('file:///a/b.html?q#f')).toBe('file:/a/b.html')
    expect(documentOf('https://x.y:8/p?q')).toBe('https://x.y:8/p')
    expect(documentOf('::')).toBeNull()
  })
})
