// Types only: the Bridge between the studio page and the machine (files, dialogs, settings).
// The desktop preload implements it over IPC, browser mode over HTTP; both reach electron/services.

export type PlatformKind = 'desktop' | 'browser'

export interface AppInfo {
  name: string
  version: string
  platform: PlatformKind
  /** process.platform of the machine serving the studio: linux, darwin, win32. */
  os: string
}

export interface Bridge {
  readonly platform: PlatformKind
  appInfo(): Promise<AppInfo>
}

/** IPC channel names (desktop) and HTTP routes (browser mode) for each Bridge call. */
export const BRIDGE_CHANNELS = {
  appInfo: 'dendrite:app-info',
} as const satisfies Record<Exclude<keyof Bridge, 'platform'>, string>

export const BRIDGE_ROUTES = {
  appInfo: '/api/app-info',
} as const satisfies Record<Exclude<keyof Bridge, 'platform'>, string>

/** Header that carries browser mode's per-launch token on API calls. */
export const TOKEN_HEADER = 'x-dendrite-token'
export const TOKEN_COOKIE = 'dendrite_token'
export const TOKEN_QUERY = 'token'

/** Sent by main to the studio page with the engine's MessagePort. */
export const ENGINE_PORT_CHANNEL = 'dendrite:engine-port'
