// App lifecycle only: one instance, GPU switches, then ready → bridge → windows → engine link →
// menu, and quit when the studio closes (except on macOS, where apps stay until Quit).
import { app } from 'electron'
import type { BrowserWindow } from 'electron'
import { linkEngine } from './engine-link'
import type { EngineLink } from './engine-link'
import { registerBridge } from './ipc'
import { installMenu } from './menu'
import { installSecurity } from './security'
import { createEngineWindow, createStudioWindow } from './windows'

let studio: BrowserWindow | null = null
let link: EngineLink | null = null

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

function openStudio(): void {
  const window = createStudioWindow()
  studio = window
  link = linkEngine(window, createEngineWindow)
  // The hidden engine window would keep 'window-all-closed' from ever firing: it goes too.
  window.on('closed', () => {
    link?.dispose()
    link = null
    studio = null
  })
}

function focusStudio(): void {
  if (!studio || studio.isDestroyed()) return
  if (studio.isMinimized()) studio.restore()
  studio.focus()
}

function start(): void {
  enableWebGpu()
  installSecurity()
  app.on('second-instance', focusStudio)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (app.isReady() && studio === null) openStudio()
  })
  app
    .whenReady()
    .then(() => {
      registerBridge(() => studio)
      openStudio()
      installMenu({ engineWindow: () => link?.engineWindow() ?? null })
    })
    .catch((error: unknown) => {
      console.error('[dendrite] startup failed:', error)
      app.exit(1)
    })
}

// A second launch hands its focus to the first instance (second-instance) and leaves.
if (app.requestSingleInstanceLock()) start()
else app.quit()
