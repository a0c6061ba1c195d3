import { describe, expect, it } from 'vitest'
import { ariaShortcut, fileKey, shortcutLabel } from './use-file-shortcuts'

const chord = (
  key: string,
  mods: Partial<Record<'ctrl' | 'meta' | 'shift' | 'alt', boolean>> = {},
) => ({
  key,
  ctrlKey: mods.ctrl === true,
  metaKey: mods.meta === true,
  shiftKey: mods.shift === true,
  altKey: mods.alt === true,
})

describe('File keys', () => {
  it('reads Ctrl on Windows and Linux, Cmd on macOS', () => {
    expect(fileKey(chord('s', { ctrl: true }), false)).toBe('save')
    expect(fileKey(chord('S', { ctrl: true, shift: true }), false)).toBe('save-as')
    expect(fileKey(chord('o', { ctrl: true }), false)).toBe('open')
    expect(fileKey(chord('n', { ctrl: true }), false)).toBe('new')
    expect(fileKey(chord('s', { meta: true }), true)).toBe('save')
    expect(fileKey(chord('s', { meta: true }), false)).toBeNull()
    expect(fileKey(chord('s', { ctrl: true }), true)).toBeNull()
    expect(fileKey(chord('s', { ctrl: true, alt: true }), false)).toBeNull()
    expect(fileKey(chord('o', { ctrl: true, shift: true }), false)).toBeNull()
    expect(fileKey(chord('z', { ctrl: true }), false)).toBeNull()
  })

  it('labels them for menus and assistive technology', () => {
    expect(shortcutLabel('save-as', false)).toBe('Ctrl+Shift+S')
    expect(shortcutLabel('save-as', true)).toBe('⇧⌘S')
    expect(ariaShortcut('open', false)).toBe('Control+O')
    expect(ariaShortcut('save-as', true)).toBe('Meta+Shift+S')
  })
})
