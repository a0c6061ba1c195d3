// Wires the studio to the engine: a MessageChannelMain with one port for each window, handed over
// whenever both pages have (re)loaded. Main is not on the data path. When the engine's renderer
// dies or hangs, or the studio page reloads, the engine window is replaced and the studio gets a
// fresh port; a crash or hang is also reported, so that the studio can say so.
import { MessageChannelMain } from 'electron'
import type { BrowserWindow, RenderProcessGoneDetails } from 'electron'
import { ENGINE_PORT_CHANNEL } from '../bridge'

/** How long an unresponsive engine may stay so before it is replaced. */
const HANG_GRACE_MS = 10_000
/** More restarts than this within RESTART_WINDOW_MS means the engine cannot start: stop trying. */
const MAX_RESTARTS = 3
const RESTART_WINDOW_MS = 60_000

export interface EngineLink {
  /** The hidden engine window now serving, if any (for the dev menu's engine devtools). */
  engineWindow(): BrowserWindow | null
  /** Closes the engine window and stops restarting it (the studio closed or the app quits). */
  dispose(): void
}

interface Side {
  window: BrowserWindow | null
  loaded: boolean
}

/** Told when the engine was replaced after a crash or hang, or given up on. */
export interface EngineWatch {
  restarted(reason: string): void
  stopped(reason: string): void
}

export function linkEngine(
  studio: BrowserWindow,
  createEngine: () => BrowserWindow,
  watch?: EngineWatch,
): EngineLink {
  const studioSide: Side = { window: studio, loaded: false }
  const engineSide: Side = { window: null, loaded: false }
  const restarts: number[] = []
  let hangTimer: NodeJS.Timeout | null = null
  let disposed = false

  /** A new channel each time: a port that went to a page that has since gone is unusable. */
  function connect(): void {
    const s = studioSide.window
    const e = engineSide.window
    if (disposed || !studioSide.loaded || !engineSide.loaded || !s || !e) return
    if (s.isDestroyed() || e.isDestroyed()) return
    const { port1, port2 } = new MessageChannelMain()
    e.webContents.postMessage(ENGINE_PORT_CHANNEL, null, [port2])
    s.webContents.postMessage(ENGINE_PORT_CHANNEL, null, [port1])
  }

  function clearHang(): void {
    if (hangTimer) clearTimeout(hangTimer)
    hangTimer = null
  }

  function startEngine(): void {
    const win = createEngine()
    engineSide.window = win
    engineSide.loaded = false
    const current = (): boolean => engineSide.window === win && !disposed
    win.webContents.on('did-navigate', () => {
      if (current()) engineSide.loaded = false
    })
    win.webContents.on('did-finish-load', () => {
      if (!current()) return
      engineSide.loaded = true
      connect()
    })
    win.webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
      if (current()) restart(`renderer gone (${details.reason}, exit code ${details.exitCode})`)
    })
    win.on('unresponsive', () => {
      if (!current() || hangTimer) return
      hangTimer = setTimeout(() => restart('unresponsive'), HANG_GRACE_MS)
    })
    win.on('responsive', () => {
      if (current()) clearHang()
    })
  }

  function stopEngine(): void {
    clearHang()
    const win = engineSide.window
    engineSide.window = null
    engineSide.loaded = false
    if (win && !win.isDestroyed()) win.destroy()
  }

  function restart(reason: string): void {
    if (disposed) return
    stopEngine()
    const now = Date.now()
    restarts.push(now)
    while (restarts.length > 0 && (restarts[0] ?? now) < now - RESTART_WINDOW_MS) restarts.shift()
    if (restarts.length > MAX_RESTARTS) {
      console.error(`[dendrite] engine ${reason}; it failed too often, not restarting it`)
      watch?.stopped(reason)
      return
    }
    console.warn(`[dendrite] engine ${reason}; starting a new engine`)
    startEngine()
    watch?.restarted(reason)
  }

  // A studio page that reloads loses its port and whatever the engine held for it (sessions,
  // a running training loop): it gets a fresh engine, and a fresh channel once both have loaded.
  // did-navigate fires once the new document commits, so a refused navigation changes nothing.
  let studioLoadedOnce = false
  studio.webContents.on('did-navigate', () => {
    studioSide.loaded = false
    if (!studioLoadedOnce || disposed) return
    stopEngine()
    startEngine()
  })
  studio.webContents.on('did-finish-load', () => {
    studioLoadedOnce = true
    studioSide.loaded = true
    connect()
  })
  studio.on('closed', () => {
    studioSide.window = null
  })
  startEngine()

  return {
    engineWindow: () => engineSide.window,
    dispose: () => {
      disposed = true
      stopEngine()
    },
  }
}
