// Hands the engine's MessagePort from main to the page. Context isolation keeps the preload's
// objects out of the page, but a port transferred through window.postMessage crosses over.
import { ipcRenderer } from 'electron'
import { ENGINE_PORT_CHANNEL } from '../bridge'
import { ENGINE_PORT_MESSAGE } from '../../engine/protocol/port-message'

/**
 * The one DOM call the preloads make. electron/tsconfig has no DOM lib (main-process code must
 * not reach for it), so it is declared here; a sandboxed preload does run with a window.
 */
declare const window: {
  postMessage(message: string, targetOrigin: string, transfer: readonly unknown[]): void
}

export function relayEnginePort(): void {
  ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
    // '*' is safe: the target is this very window, whose file:// origin is opaque ('null').
    window.postMessage(ENGINE_PORT_MESSAGE, '*', event.ports)
  })
}
