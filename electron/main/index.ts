// App lifecycle: one instance, GPU switches, then ready → bridge → studio window (where it was
// last) → engine link → menu. Files the system opens the app with (a double-click on a .dendrite
// file, a second launch) go to the page as commands; a window with unsaved changes asks first.
import { join } from 'node:path'
import { app, dialog, screen } from 'electron'
import type { BrowserWindow } from 'electron'
import type { AppInfo, RecentFile, StudioCommand } from '../bridge'
import { readAppInfo } from '../services/app-info'
import { createDesktopBridge } from './bridge-handlers'
import type { DesktopBridge, DesktopHost, SaveKind } from './bridge-handlers'
import { linkEngine } from './engine-link'
import type { EngineLink } from './engine-link'
import { registerBridge, sendCommand } from './ipc'
import { installMenu } from './menu'
import type { MenuDeps } from './menu'
import { installSecurity } from './security'
import { placeWindow, readWindowState, writeWindowState } from './window-state'
import { createEngineWindow, createStudioWindow } from './windows'

let studio: BrowserWindow | null = null
let link: EngineLink | null = null
let bridge: DesktopBridge | null = null
let pageReady = false
/** Project paths the system handed us before the page could take them. */
const pending: string[] = []
let quitting = false

const FILTERS: Record<SaveKind, Electron.FileFilter[]> = {
  project: [{ name: 'Dendrite project', extensions: ['dendrite'] }],
  safetensors: [{ name: 'safetensors weights', extensions: ['safetensors'] }],
  onnx: [{ name: 'ONNX model', extensions: ['onnx'] }],
  pytorch: [{ name: 'PyTorch module', extensions: ['py'] }],
}

/**
 * WebGPU is behind a flag in Electron; on Linux it also needs Chromium's Vulkan feature, which
 * Electron leaves off (electron/electron#40929, #41763: requestAdapter() resolves to null).
 * Without a Vulkan driver Chromium falls back to SwiftShader: slow but correct. Switches must be
 * set before `ready`; one 'enable-features' value, since a second one replaces the first.
 */
function enableWebGpu(): void {
  app.commandLine.appendSwitch('enable-unsafe-webgpu')
  if (process.platform === 'linux') app.commandLine.appendSwitch('enable-features', 'Vulkan')
}

const send = (command: StudioCommand): void => sendCommand(studio, command)

function desktopHost(): DesktopHost {
  let info: AppInfo | null = null
  const parent = (): BrowserWindow | undefined => studio ?? undefined
  return {
    settingsDir: app.getPath('userData'),
    appInfo: () => (info ??= readAppInfo(join(app.getAppPath(), 'package.json'), 'desktop')),
    chooseProjectToOpen: async () => {
      const options: Electron.OpenDialogOptions = {
        title: 'Open Project',
        properties: ['openFile'],
        filters: [{ name: 'Dendrite project', extensions: ['dendrite', 'json'] }],
      }
      const w = parent()
      const r = await (w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options))
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    chooseSavePath: async (defaultName, kind) => {
      const options: Electron.SaveDialogOptions = {
        defaultPath: defaultName,
        filters: FILTERS[kind],
      }
      const w = parent()
      const r = await (w ? dialog.showSaveDialog(w, options) : dialog.showSaveDialog(options))
      return r.canceled || !r.filePath ? null : r.filePath
    },
    documentState: (state) => {
      if (!studio || studio.isDestroyed() || process.platform !== 'darwin') return
      studio.setDocumentEdited(state.dirty)
      studio.setRepresentedFilename(state.path ?? '')
    },
    recentChanged: (list) => {
      refreshMenu(list)
      const newest = list[0]
      if (newest) app.addRecentDocument(newest.path)
    },
    closeWindow: () => {
      if (!studio || studio.isDestroyed()) return
      closeAllowed = true
      studio.close()
      if (quitting) app.quit()
    },
  }
}

const menuDeps: MenuDeps = {
  engineWindow: () => link?.engineWindow() ?? null,
  send,
  clearRecent: () => void bridge?.clearRecent(),
}

function refreshMenu(recent: readonly RecentFile[]): void {
  installMenu(menuDeps, recent)
}

/** A .dendrite file from the system: opened by the page once it is there (it asks first). */
function openFromSystem(path: string): void {
  if (!bridge) {
    pending.push(path)
    return
  }
  const full = bridge.grant(path)
  if (pageReady) send({ type: 'open-path', path: full })
  else pending.push(full)
}

function projectArgs(argv: readonly string[]): string[] {
  return argv.slice(1).filter((a) => !a.startsWith('-') && /\.dendrite$/i.test(a))
}

let closeAllowed = false
let hung = false

/** Closing with unsaved changes: the page asks, then calls closeWindow(). A page that crashed
 * or hangs cannot ask, so it does not keep the window open. */
function guardClose(window: BrowserWindow, event: Electron.Event): void {
  if (closeAllowed || !bridge?.state.dirty || hung || window.webContents.isCrashed()) return
  event.preventDefault()
  send({ type: 'close-window' })
}

async function openStudio(): Promise<void> {
  const settingsDir = app.getPath('userData')
  const saved = await readWindowState(settingsDir)
  const areas = screen.getAllDisplays().map((d) => d.workArea)
  const window = createStudioWindow(placeWindow(saved, areas), saved.maximized)
  studio = window
  closeAllowed = false
  pageReady = false
  link = linkEngine(window, createEngineWindow, {
    restarted: (reason) => send({ type: 'engine-restarted', reason }),
    stopped: (reason) => send({ type: 'engine-stopped', reason }),
  })
  hung = false
  window.on('unresponsive', () => (hung = true))
  window.on('responsive', () => (hung = false))
  window.webContents.on('did-start-loading', () => (pageReady = false))
  window.webContents.on('did-finish-load', () => {
    pageReady = true
    for (const path of pending.splice(0)) openFromSystem(path)
  })
  window.on('close', (event) => {
    guardClose(window, event)
    if (event.defaultPrevented) return
    const bounds = window.getNormalBounds()
    try {
      writeWindowState(settingsDir, { bounds, maximized: window.isMaximized() })
    } catch (error) {
      console.error('[dendrite] could not remember the window:', error)
    }
  })
  // The hidden engine window would keep 'window-all-closed' from ever firing: it goes too.
  window.on('closed', () => {
    link?.dispose()
    link = null
    studio = null
  })
}

function focusStudio(argv: readonly string[]): void {
  for (const path of projectArgs(argv)) openFromSystem(path)
  if (!studio || studio.isDestroyed()) return
  if (studio.isMinimized()) studio.restore()
  studio.focus()
}

async function ready(): Promise<void> {
  bridge = createDesktopBridge(desktopHost())
  registerBridge(bridge, () => studio)
  for (const path of pending.splice(0)) openFromSystem(path)
  for (const path of projectArgs(process.argv)) openFromSystem(path)
  await openStudio()
  refreshMenu(await bridge.recentFiles())
}

function start(): void {
  enableWebGpu()
  installSecurity()
  app.on('second-instance', (_event, argv) => focusStudio(argv))
  // macOS hands files over as events, also before ready.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    openFromSystem(path)
  })
  app.on('before-quit', () => (quitting = true))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (app.isReady() && studio === null) void openStudio()
  })
  app
    .whenReady()
    .then(ready)
    .catch((error: unknown) => {
      console.error('[dendrite] startup failed:', error)
      app.exit(1)
    })
}

// A second launch hands its files and its focus to the first instance (second-instance).
if (app.requestSingleInstanceLock()) start()
else app.quit()
