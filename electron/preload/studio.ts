// The studio page's preload: exposes window.dendrite, a Bridge whose methods invoke only the
// allowlisted BRIDGE_CHANNELS (no generic send, invoke or on leaks into the page), listens on
// COMMAND_CHANNEL alone, and relays the engine's port.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { BRIDGE_CHANNELS, COMMAND_CHANNEL } from '../bridge'
import type { Bridge, BridgeCall, IpcArgs, OpenCall, OpenFrom, StudioCommand } from '../bridge'
import { relayEnginePort } from './port-relay'

type Reply<K extends BridgeCall> = Awaited<ReturnType<Bridge[K]>>

/** invoke() resolves to unknown at runtime; main's handler is typed against Bridge (main/ipc.ts). */
function call<K extends BridgeCall>(name: K, ...args: IpcArgs[K]): Promise<Reply<K>> {
  return ipcRenderer.invoke(BRIDGE_CHANNELS[name], ...args) as Promise<Reply<K>>
}

/**
 * A dropped file goes to main as its path, which only a real file from the person's drop has
 * (webUtils returns '' for a File the page made up); one without a path goes as its bytes.
 */
async function openCall(from: OpenFrom): Promise<OpenCall> {
  if (from.kind !== 'file') return from
  // contextBridge hands the page's File over as a File; the type says only what we use of it.
  const path = webUtils.getPathForFile(from.file as Parameters<typeof webUtils.getPathForFile>[0])
  if (path !== '') return { kind: 'dropped', path }
  return {
    kind: 'bytes',
    name: from.file.name,
    bytes: new Uint8Array(await from.file.arrayBuffer()),
  }
}

const isCommand = (v: unknown): v is StudioCommand =>
  typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'

const bridge: Bridge = {
  platform: 'desktop',
  appInfo: () => call('appInfo'),
  openProject: async (from) => call('openProject', await openCall(from)),
  saveProject: (request) => call('saveProject', request),
  exportModel: (request) => call('exportModel', request),
  recentFiles: () => call('recentFiles'),
  setDocumentState: (state) => call('setDocumentState', state),
  writeRecovery: (document) => call('writeRecovery', document),
  readRecovery: () => call('readRecovery'),
  closeWindow: () => call('closeWindow'),
  onCommand: (listener) => {
    const handler = (_event: unknown, command: unknown): void => {
      if (isCommand(command)) listener(command)
    }
    ipcRenderer.on(COMMAND_CHANNEL, handler)
    return () => void ipcRenderer.removeListener(COMMAND_CHANNEL, handler)
  },
}

contextBridge.exposeInMainWorld('dendrite', bridge)
relayEnginePort()
