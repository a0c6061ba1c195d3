// Browser mode's Bridge over HTTP: each route answers with the same service the desktop's IPC
// handler calls. Only GET routes for now; every one is behind the token check in server.ts.
import type { AppInfo } from '../bridge'
import { BRIDGE_ROUTES } from '../bridge'

export interface RouteContext {
  appInfo: AppInfo
}

export type Route = (ctx: RouteContext) => Promise<unknown>

export const routes: ReadonlyMap<string, Route> = new Map<string, Route>([
  [BRIDGE_ROUTES.appInfo, (ctx) => Promise.resolve(ctx.appInfo)],
])
