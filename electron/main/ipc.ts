// The Bridge's main-process side: one ipcMain handler per BRIDGE_CHANNELS entry, each reached
// only from the studio window's own page (sender.ts), with its arguments checked before
// electron/services runs (bridge-handlers.ts). Commands go the other way on COMMAND_CHANNEL.
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import { ipcMain } from 'electron'
import type { BridgeCall, StudioCommand } from '../bridge'
import { BRIDGE_CHANNELS, COMMAND_CHANNEL } from '../bridge'
import type { DesktopBridge } from './bridge-handlers'
import { refusal } from './sender'
import { pageUrl } from './windows'

class BridgeError extends Error {
  override name = 'BridgeError'
}

function checkSender(event: IpcMainInvokeEvent, studio: BrowserWindow | null, channel: string) {
  const frame = event.senderFrame
  const why = refusal(
    {
      fromStudio: studio !== null && !studio.isDestroyed() && event.sender === studio.webContents,
      frameUrl: frame?.url ?? null,
      topLevel: frame !== null && frame.parent === null,
    },
    pageUrl('studio'),
  )
  if (why !== null) throw new BridgeError(`${channel}: refused a call from ${why}`)
}

/** Registers every Bridge handler once; `studio` names the one window whose page may call. */
export function registerBridge(bridge: DesktopBridge, studio: () => BrowserWindow | null): void {
  // Object.keys loses the key type; BRIDGE_CHANNELS satisfies Record<BridgeCall, string>.
  for (const call of Object.keys(BRIDGE_CHANNELS) as BridgeCall[]) {
    const channel = BRIDGE_CHANNELS[call]
    const handler = bridge.handlers[call]
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      checkSender(event, studio(), channel)
      return handler(args)
    })
  }
}

/** Sends a command to the studio page, if it is there to hear it. */
export function sendCommand(studio: BrowserWindow | null, command: StudioCommand): void {
  if (!studio || studio.isDestroyed() || studio.webContents.isDestroyed()) return
  studio.webContents.send(COMMAND_CHANNEL, command)
}
