// The canvas's keyboard map: each usual chord reaches its command, on Ctrl and on Cmd.
import { describe, expect, it } from 'vitest'
import { gridSpacing } from './grid'
import type { KeyLike } from './keymap'
import { GLOBAL_COMMANDS, KEYMAP, chordOf, commandFor, shortcutText } from './keymap'

function key(k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }
}

describe('keymap', () => {
  it('maps the usual shortcuts', () => {
    expect(commandFor(key('Delete'))).toBe('delete')
    expect(commandFor(key('Backspace'))).toBe('delete')
    expect(commandFor(key('z', { ctrlKey: true }))).toBe('undo')
    expect(commandFor(key('z', { metaKey: true }))).toBe('undo')
    expect(commandFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo')
    expect(commandFor(key('y', { ctrlKey: true }))).toBe('redo')
    expect(commandFor(key('c', { metaKey: true }))).toBe('copy')
    expect(commandFor(key('v', { ctrlKey: true }))).toBe('paste')
    expect(commandFor(key('x', { ctrlKey: true }))).toBe('cut')
    expect(commandFor(key('d', { ctrlKey: true }))).toBe('duplicate')
    expect(commandFor(key('a', { ctrlKey: true }))).toBe('selectAll')
    expect(commandFor(key('g', { ctrlKey: true }))).toBe('group')
    expect(commandFor(key('f'))).toBe('fit')
    expect(commandFor(key('c'))).toBe('connect')
    expect(commandFor(key('Escape'))).toBe('escape')
    expect(commandFor(key('ArrowLeft', { shiftKey: true }))).toBe('nudgeLeft')
  })

  it('ignores keys it does not own', () => {
    expect(commandFor(key('f', { ctrlKey: true }))).toBeNull()
    expect(commandFor(key('z'))).toBeNull()
    expect(commandFor(key('z', { ctrlKey: true, altKey: true }))).toBeNull()
    expect(commandFor(key('a'))).toBeNull()
  })

  it('writes chords and tooltips the way people read them', () => {
    expect(chordOf(key('z', { ctrlKey: true, shiftKey: true }))).toBe('Shift+Mod+Z')
    expect(shortcutText('redo', false)).toBe('Shift+Ctrl+Z')
    expect(shortcutText('redo', true)).toBe('⇧⌘Z')
    expect(shortcutText('fit', true)).toBe('F')
  })

  it('only undo and redo work outside the canvas', () => {
    expect([...GLOBAL_COMMANDS].sort()).toEqual(['redo', 'undo'])
    expect(Object.keys(KEYMAP)).toContain('delete')
  })
})

describe('grid', () => {
  it('keeps dots at least 12 px apart however far out the view is zoomed', () => {
    expect(gridSpacing(1)).toBe(24)
    expect(gridSpacing(0.5)).toBe(12)
    expect(gridSpacing(0.17)).toBeCloseTo(16.32)
    expect(gridSpacing(2)).toBe(48)
  })
})
