// Desktop host: the Bridge is window.dendrite from the preload, and the engine's port arrives
// from main through the preload as a window message (context isolation forbids passing it
// directly). A new port arrives whenever main replaces the engine window.
import type { Bridge } from '../../electron/bridge'
import { ENGINE_PORT_MESSAGE } from '../../engine/protocol/port-message'
import type { PortLike } from '../../engine/protocol/port'
import type { Platform } from './platform'

declare global {
  interface Window {
    dendrite?: Bridge
  }
}

export function desktopPlatform(bridge: Bridge): Platform {
  const later = new Set<(port: PortLike) => void>()
  let first: ((port: PortLike) => void) | null = null
  const enginePort = new Promise<PortLike>((resolve) => (first = resolve))
  window.addEventListener('message', (event: MessageEvent) => {
    const port = event.ports[0]
    if (event.source !== window || event.data !== ENGINE_PORT_MESSAGE || !port) return
    if (first) {
      first(port)
      first = null
      return
    }
    for (const listener of later) listener(port)
  })
  return {
    bridge,
    enginePort,
    onEnginePort: (listener) => {
      later.add(listener)
      return () => later.delete(listener)
    },
  }
}
