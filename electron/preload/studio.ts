// The studio page's preload: exposes window.dendrite, a Bridge whose methods invoke only the
// allowlisted BRIDGE_CHANNELS (no generic send or invoke leaks into the page), and relays the
// engine's port.
import { contextBridge, ipcRenderer } from 'electron'
import { BRIDGE_CHANNELS } from '../bridge'
import type { AppInfo, Bridge } from '../bridge'
import { relayEnginePort } from './port-relay'

const bridge: Bridge = {
  platform: 'desktop',
  // invoke() resolves to unknown at runtime; main's handler is typed against Bridge (main/ipc.ts).
  appInfo: () => ipcRenderer.invoke(BRIDGE_CHANNELS.appInfo) as Promise<AppInfo>,
}

contextBridge.exposeInMainWorld('dendrite', bridge)
relayEnginePort()
