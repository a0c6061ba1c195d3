// What the studio needs from whichever host it runs in: the Bridge and the engine's port.
import type { Bridge } from '../../electron/bridge'
import type { PortLike } from '../../engine/protocol/port'

export interface Platform {
  bridge: Bridge
  enginePort: Promise<PortLike>
}
