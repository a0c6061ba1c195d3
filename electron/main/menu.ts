// The application menu: File (New, Open, Open Recent, Save, Save As, Export, Close), Edit, View
// and Help, with developer items only in unpackaged runs. File items send commands to the studio
// page, which asks about unsaved changes and calls the Bridge; the menu itself touches no file.
import { basename } from 'node:path'
import { app, Menu } from 'electron'
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron'
import type { RecentFile, StudioCommand } from '../bridge'

export interface MenuDeps {
  /** The hidden engine window, for its developer tools in dev runs. */
  engineWindow: () => BrowserWindow | null
  send: (command: StudioCommand) => void
  /** Forgets the recent-files list. */
  clearRecent: () => void
}

const isMac = process.platform === 'darwin'

function developerItems(deps: MenuDeps): MenuItemConstructorOptions[] {
  if (app.isPackaged) return []
  return [
    { role: 'reload' },
    { role: 'forceReload' },
    { role: 'toggleDevTools' },
    {
      label: 'Engine Developer Tools',
      click: () => deps.engineWindow()?.webContents.openDevTools({ mode: 'detach' }),
    },
    { type: 'separator' },
  ]
}

/**
 * A menu item that sends a command. The page handles Ctrl+O/S/Shift+S itself (in browser mode
 * too), so on Windows and Linux those accelerators are shown but not registered: one keypress,
 * one command. macOS menus take key equivalents before the page does, so there they register.
 */
function command(
  deps: MenuDeps,
  label: string,
  cmd: StudioCommand,
  accelerator?: string,
): MenuItemConstructorOptions {
  return {
    label,
    click: () => deps.send(cmd),
    ...(accelerator ? { accelerator, registerAccelerator: isMac } : {}),
  }
}

function recentItems(deps: MenuDeps, recent: readonly RecentFile[]): MenuItemConstructorOptions[] {
  const files = recent.map((f): MenuItemConstructorOptions => ({
    label: basename(f.path),
    sublabel: f.path,
    toolTip: f.path,
    enabled: f.exists,
    click: () => deps.send({ type: 'open-path', path: f.path }),
  }))
  return [
    ...(files.length > 0 ? files : [{ label: 'No Recent Projects', enabled: false }]),
    { type: 'separator' },
    { label: 'Clear Recently Opened', enabled: files.length > 0, click: deps.clearRecent },
  ]
}

function fileMenu(deps: MenuDeps, recent: readonly RecentFile[]): MenuItemConstructorOptions {
  return {
    label: 'File',
    submenu: [
      command(deps, 'New Project', { type: 'new' }, 'CmdOrCtrl+N'),
      command(deps, 'Open…', { type: 'open' }, 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recentItems(deps, recent) },
      { type: 'separator' },
      command(deps, 'Save', { type: 'save' }, 'CmdOrCtrl+S'),
      command(deps, 'Save As…', { type: 'save-as' }, 'Shift+CmdOrCtrl+S'),
      {
        label: 'Export',
        submenu: [
          command(deps, 'Weights (safetensors)…', { type: 'export', format: 'safetensors' }),
          command(deps, 'ONNX Model…', { type: 'export', format: 'onnx' }),
          command(deps, 'PyTorch Module (.py)…', { type: 'export', format: 'pytorch' }),
        ],
      },
      { type: 'separator' },
      command(deps, 'Close Project', { type: 'close' }),
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  }
}

function template(deps: MenuDeps, recent: readonly RecentFile[]): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    fileMenu(deps, recent),
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...developerItems(deps),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    ...(isMac ? [{ role: 'windowMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      role: 'help',
      submenu: [{ role: 'about', label: `About ${app.getName()}` }],
    },
  ]
}

/** Installs the menu; call again with the new list when the recent files change. */
export function installMenu(deps: MenuDeps, recent: readonly RecentFile[] = []): void {
  app.setAboutPanelOptions({
    applicationName: 'Dendrite',
    applicationVersion: app.getVersion(),
    copyright: 'MIT licence',
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(template(deps, recent)))
}
