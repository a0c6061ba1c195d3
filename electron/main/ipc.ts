// The Bridge's main-process side: one handler per BRIDGE_CHANNELS entry, each reached only from
// the studio window's own page, with its arguments validated before electron/services runs.
import { join } from 'node:path'
import { app, ipcMain } from 'electron'
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import { BRIDGE_CHANNELS } from '../bridge'
import type { AppInfo, Bridge } from '../bridge'
import { readAppInfo } from '../services/app-info'
import { pageUrl } from './windows'

type BridgeMethod = keyof typeof BRIDGE_CHANNELS

/**
 * A handler receives the call's arguments as unknown values and must validate them itself; the
 * result type follows the Bridge method, so a handler cannot drift from the interface.
 */
type Handler<K extends BridgeMethod> = (
  args: readonly unknown[],
) => ReturnType<Bridge[K]> extends Promise<infer R> ? R | Promise<R> : never

type Handlers = { [K in BridgeMethod]: Handler<K> }

class BridgeError extends Error {
  override name = 'BridgeError'
}

function expectArity(channel: string, args: readonly unknown[], count: number): void {
  if (args.length !== count) {
    throw new BridgeError(`${channel}: expected ${count} argument(s), got ${args.length}`)
  }
}

let appInfo: AppInfo | null = null

const handlers = {
  appInfo: (args) => {
    expectArity(BRIDGE_CHANNELS.appInfo, args, 0)
    appInfo ??= readAppInfo(join(app.getAppPath(), 'package.json'), 'desktop')
    return appInfo
  },
} satisfies Handlers

/** Our studio page's URL without query or fragment: the only document allowed to call. */
function studioDocument(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin === 'null' ? parsed.protocol : parsed.origin}${parsed.pathname}`
}

function checkSender(
  event: IpcMainInvokeEvent,
  studio: BrowserWindow | null,
  channel: string,
): void {
  const frame = event.senderFrame
  const trusted =
    studio !== null &&
    !studio.isDestroyed() &&
    event.sender === studio.webContents &&
    frame !== null &&
    frame.parent === null &&
    studioDocument(frame.url) === studioDocument(pageUrl('studio'))
  if (!trusted) {
    throw new BridgeError(`${channel}: refused a call from ${frame?.url ?? 'a gone frame'}`)
  }
}

/** Registers every Bridge handler once; `studio` names the one window whose page may call. */
export function registerBridge(studio: () => BrowserWindow | null): void {
  // Object.keys loses the key type; `handlers` satisfies Handlers, so these are exactly its keys.
  for (const method of Object.keys(handlers) as BridgeMethod[]) {
    const channel = BRIDGE_CHANNELS[method]
    const handler: Handler<BridgeMethod> = handlers[method]
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      checkSender(event, studio(), channel)
      return handler(args)
    })
  }
}
