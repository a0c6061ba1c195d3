// What the studio needs from whichever host it runs in: the Bridge and the engine's port, and
// on the desktop the ports that follow when main replaces a crashed or hung engine.
import type { Bridge } from '../../electron/bridge'
import type { PortLike } from '../../engine/protocol/port'

export interface Platform {
  bridge: Bridge
  enginePort: Promise<PortLike>
  /** Each later port (a restarted engine); returns the function that stops listening. */
  onEnginePort(listener: (port: PortLike) => void): () => void
}
