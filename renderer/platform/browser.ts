// Browser mode: the Bridge is HTTP on 127.0.0.1 with the per-launch token, and the engine runs
// in a Web Worker behind the same port protocol as the desktop's hidden window.
import type { AppInfo, Bridge } from '../../electron/bridge'
import { BRIDGE_ROUTES, TOKEN_HEADER, TOKEN_QUERY } from '../../electron/bridge'
import { ENGINE_PORT_MESSAGE } from '../../engine/protocol/port-message'
import type { Platform } from './platform'

const TOKEN_KEY = 'dendrite.token'

/** Takes the token from the launch URL once, keeps it for reloads, and hides it from the bar. */
function launchToken(): string {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get(TOKEN_QUERY)
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete(TOKEN_QUERY)
    window.history.replaceState(null, '', url)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

async function call<T>(route: string, token: string): Promise<T> {
  const response = await fetch(route, { headers: { [TOKEN_HEADER]: token } })
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`)
  // The server is ours and answers with the Bridge's types; this is the HTTP edge.
  return (await response.json()) as T
}

export function browserPlatform(): Platform {
  const token = launchToken()
  const bridge: Bridge = {
    platform: 'browser',
    appInfo: () => call<AppInfo>(BRIDGE_ROUTES.appInfo, token),
  }
  const worker = new Worker(new URL('../../engine/host/worker.ts', import.meta.url), {
    type: 'module',
    name: 'dendrite-engine',
  })
  const channel = new MessageChannel()
  worker.postMessage(ENGINE_PORT_MESSAGE, [channel.port2])
  return { bridge, enginePort: Promise.resolve(channel.port1) }
}
