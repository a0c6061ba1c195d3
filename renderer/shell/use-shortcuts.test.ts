// Which key chords mean undo and redo.
import { describe, expect, it } from 'vitest'
import { historyKey } from './use-shortcuts'

type Mods = { ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean; altKey?: boolean }
const key = (k: string, mods: Mods = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

describe('historyKey', () => {
  it('reads Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z and Ctrl+Y', () => {
    expect(historyKey(key('z', { ctrlKey: true }))).toBe('undo')
    expect(historyKey(key('z', { metaKey: true }))).toBe('undo')
    expect(historyKey(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo')
    expect(historyKey(key('y', { ctrlKey: true }))).toBe('redo')
  })

  it('ignores plain letters and other chords', () => {
    expect(historyKey(key('z'))).toBeNull()
    expect(historyKey(key('z', { ctrlKey: true, altKey: true }))).toBeNull()
    expect(historyKey(key('x', { ctrlKey: true }))).toBeNull()
  })
})
