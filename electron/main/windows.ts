// The studio window and the hidden engine window: where their pages and preloads live, and the
// locked-down webPreferences both share (context isolation, sandbox, no Node in pages).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow } from 'electron'
import type { WebPreferences } from 'electron'
import { MIN_SIZE } from './window-state'

/** Pages by their path under the renderer build (out/renderer) and the dev server's root. */
const PAGES = {
  studio: 'renderer/index.html',
  engine: 'engine/host/engine.html',
} as const
export type PageName = keyof typeof PAGES

// This file is bundled into out/main/index.js; the preloads and pages are its siblings in out/.
const OUT_DIR = join(import.meta.dirname, '..')

/** Set by `electron-vite dev`: pages then come from the Vite dev server, not from out/renderer. */
export function devServerUrl(): string | null {
  const url = process.env['ELECTRON_RENDERER_URL']
  return url !== undefined && url !== '' ? url : null
}

function pageFile(page: PageName): string {
  return join(OUT_DIR, 'renderer', PAGES[page])
}

/** The URL a page of ours has: file:// under out/renderer, or the dev server's. */
export function pageUrl(page: PageName): string {
  const dev = devServerUrl()
  if (dev !== null) return new URL(PAGES[page], dev.endsWith('/') ? dev : `${dev}/`).href
  return pathToFileURL(pageFile(page)).href
}

function lockedDown(preload: string, extra: WebPreferences = {}): WebPreferences {
  return {
    preload: join(OUT_DIR, 'preload', preload),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    ...extra,
  }
}

function load(window: BrowserWindow, page: PageName): void {
  const loading =
    devServerUrl() === null ? window.loadFile(pageFile(page)) : window.loadURL(pageUrl(page))
  loading.catch((error: unknown) => {
    console.error(`[dendrite] could not load the ${page} page:`, error)
  })
}

/** The studio window at the remembered place (window-state.ts), maximised if it was. */
export function createStudioWindow(
  bounds: { x?: number; y?: number; width: number; height: number },
  maximized: boolean,
): BrowserWindow {
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Dendrite',
    backgroundColor: '#1e1f24',
    webPreferences: lockedDown('studio.cjs'),
  })
  window.once('ready-to-show', () => {
    if (maximized) window.maximize()
    window.show()
  })
  load(window, 'studio')
  return window
}

export function createEngineWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 320,
    height: 240,
    show: false,
    skipTaskbar: true,
    title: 'Dendrite engine',
    // The engine trains while the studio has focus; a throttled hidden page would stall it.
    webPreferences: lockedDown('engine.cjs', { backgroundThrottling: false }),
  })
  load(window, 'engine')
  return window
}
