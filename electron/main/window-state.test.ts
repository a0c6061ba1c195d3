// The studio window opens where it was, unless that place is on no display any more.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SIZE,
  WINDOW_STATE_FILE,
  parseWindowState,
  placeWindow,
  readWindowState,
  writeWindowState,
} from './window-state'

const screen = { x: 0, y: 0, width: 1920, height: 1050 }
const second = { x: 1920, y: 0, width: 1280, height: 1000 }

describe('window state', () => {
  it('round-trips through the settings folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dendrite-window-')), 'settings')
    expect(await readWindowState(dir)).toEqual({ maximized: false })
    const state = { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true }
    writeWindowState(dir, state)
    expect(await readWindowState(dir)).toEqual(state)
  })

  it('reads a damaged or foreign file as nothing remembered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-window-'))
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"bounds": {"x": 1')
    expect(await readWindowState(dir)).toEqual({ maximized: false })
    expect(parseWindowState('{"format":"other","maximized":true}')).toEqual({ maximized: false })
    const bad = '{"format":"dendrite.window-state","bounds":{"x":"1","y":0,"width":5,"height":5}}'
    expect(parseWindowState(bad)).toEqual({ maximized: false })
  })

  it('keeps a place on some display, shrunk and moved to fit it', () => {
    const kept = { bounds: { x: 100, y: 40, width: 1200, height: 800 }, maximized: false }
    expect(placeWindow(kept, [screen, second])).toEqual(kept.bounds)
    const onSecond = { bounds: { x: 2000, y: 40, width: 1600, height: 900 }, maximized: false }
    expect(placeWindow(onSecond, [screen, second])).toEqual({
      x: 1920,
      y: 40,
      width: 1280,
      height: 900,
    })
  })

  it('drops a place on a display that is gone, and starts with the default size', () => {
    const gone = { bounds: { x: 2000, y: 40, width: 1200, height: 800 }, maximized: false }
    expect(placeWindow(gone, [screen])).toEqual(DEFAULT_SIZE)
    expect(placeWindow({ maximized: false }, [{ ...screen, width: 1280, height: 720 }])).toEqual({
      width: 1280,
      height: 720,
    })
  })
})
