// The studio window's size and position, remembered between launches in window-state.json in
// the settings folder. A damaged file or a position on a display that is gone falls back to a
// centred default, so the window never opens where nobody can see it. No Electron here: main
// passes the displays' work areas in.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

export const WINDOW_STATE_FILE = 'window-state.json'
const FORMAT = 'dendrite.window-state'

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface WindowState {
  /** The normal (not maximised) bounds; absent to let the system place the window. */
  readonly bounds?: Rect
  readonly maximized: boolean
}

export const DEFAULT_SIZE = { width: 1440, height: 900 } as const
export const MIN_SIZE = { width: 960, height: 600 } as const
/** How much of the window's title strip must lie on a display for the position to be kept. */
const VISIBLE = 64

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)

function parseRect(v: unknown): Rect | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const r = v as Record<string, unknown>
  if (!isInt(r.x) || !isInt(r.y) || !isInt(r.width) || !isInt(r.height)) return undefined
  if (r.width <= 0 || r.height <= 0) return undefined
  return { x: r.x, y: r.y, width: r.width, height: r.height }
}

/** The state a file holds, or the default for anything else. */
export function parseWindowState(text: string): WindowState {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { maximized: false }
  }
  if (typeof value !== 'object' || value === null) return { maximized: false }
  const v = value as Record<string, unknown>
  if (v.format !== FORMAT) return { maximized: false }
  const bounds = parseRect(v.bounds)
  return { ...(bounds ? { bounds } : {}), maximized: v.maximized === true }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return { width: Math.max(0, width), height: Math.max(0, height) }
}

/** The rectangle shrunk to the area (not below the minimum size) and moved inside it. */
function fit(r: Rect, area: Rect): Rect {
  const width = Math.max(MIN_SIZE.width, Math.min(r.width, area.width))
  const height = Math.max(MIN_SIZE.height, Math.min(r.height, area.height))
  return {
    x: Math.max(area.x, Math.min(r.x, area.x + area.width - width)),
    y: Math.max(area.y, Math.min(r.y, area.y + area.height - height)),
    width,
    height,
  }
}

/**
 * Bounds to open with: the saved ones, shrunk to the display they are on and kept only when
 * their title strip is on some display; otherwise the default size, placed by the system.
 */
export function placeWindow(
  state: WindowState,
  workAreas: readonly Rect[],
): Rect | { width: number; height: number } {
  const saved = state.bounds
  if (saved) {
    const strip = { x: saved.x, y: saved.y, width: saved.width, height: 32 }
    for (const area of workAreas) {
      const seen = overlap(strip, area)
      if (seen.width >= Math.min(VISIBLE, saved.width) && seen.height > 0) return fit(saved, area)
    }
  }
  const area = workAreas[0]
  return {
    width: Math.min(DEFAULT_SIZE.width, area?.width ?? DEFAULT_SIZE.width),
    height: Math.min(DEFAULT_SIZE.height, area?.height ?? DEFAULT_SIZE.height),
  }
}

export async function readWindowState(settingsDir: string): Promise<WindowState> {
  try {
    return parseWindowState(await readFile(join(settingsDir, WINDOW_STATE_FILE), 'utf8'))
  } catch {
    return { maximized: false }
  }
}

/** Written synchronously: it happens as the window closes, and the app may quit right after. */
export function writeWindowState(settingsDir: string, state: WindowState): void {
  const text = `${JSON.stringify({ format: FORMAT, version: 1, ...state }, null, 2)}\n`
  const file = join(settingsDir, WINDOW_STATE_FILE)
  mkdirSync(settingsDir, { recursive: true })
  writeFileSync(`${file}.tmp`, text)
  renameSync(`${file}.tmp`, file)
}
