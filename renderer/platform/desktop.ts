// Desktop host: the Bridge is window.dendrite from the preload, and the engine's port arrives
// from main through the preload as a window message (context isolation forbids passing it directly).
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
  const enginePort = new Promise<PortLike>((resolve) => {
    const onMessage = (event: MessageEvent): void => {
      const port = event.ports[0]
      if (event.source !== window || event.data !== ENGINE_PORT_MESSAGE || !port) return
      window.removeEventListener('message', onMessage)
      resolve(port)
    }
    window.addEventListener('message', onMessage)
  })
  return { bridge, enginePort }
}
