// The application menu: File, Edit, View, Help, with developer items only in unpackaged runs.
// Issue 7 grows it with commands sent to the studio window.
import { app, Menu } from 'electron'
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron'

export interface MenuDeps {
  /** The hidden engine window, for its developer tools in dev runs. */
  engineWindow: () => BrowserWindow | null
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

function template(deps: MenuDeps): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
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
    { role: 'help', submenu: [{ role: 'about', label: `About ${app.getName()}` }] },
  ]
}

export function installMenu(deps: MenuDeps): void {
  app.setAboutPanelOptions({
    applicationName: 'Dendrite',
    applicationVersion: app.getVersion(),
    copyright: 'MIT licence',
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(template(deps)))
}
