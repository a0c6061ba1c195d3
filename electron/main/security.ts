// What every page of ours may not do: navigate, open windows, attach webviews, get permissions.
// Also a Content-Security-Policy header on http(s) responses (dev server), a second layer under
// the <meta> CSP each page carries. Installed once, before any window exists.
import { app, session } from 'electron'
import type { WebContents } from 'electron'

/**
 * The header CSP. It must admit Vite's dev client (inline <style> for HMR, a websocket) since
 * http(s) pages only come from `electron-vite dev`; built pages load over file:// and rely on
 * their <meta> CSP. Several CSPs intersect, so this can only tighten what a page declares.
 */
const DEV_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

function lockContents(contents: WebContents): void {
  // Pages are single-page apps: any navigation away from them is an attack or a bug. Reloading
  // the same page (Vite's full reload in dev, location.reload()) stays allowed.
  contents.on('will-navigate', (event, url) => {
    if (url === contents.getURL()) return
    event.preventDefault()
    console.warn(`[dendrite] refused navigation to ${url}`)
  })
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    event.preventDefault()
    console.warn(`[dendrite] refused redirect to ${url}`)
  })
  contents.setWindowOpenHandler(({ url }) => {
    console.warn(`[dendrite] refused window.open(${url})`)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function lockSession(): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
  ses.webRequest.onHeadersReceived({ urls: ['http://*/*', 'https://*/*'] }, (details, callback) => {
    const headers = { ...details.responseHeaders, 'Content-Security-Policy': [DEV_CSP] }
    callback({ responseHeaders: headers })
  })
}

/** Call once at startup, before the app is ready: handlers attach to every future WebContents. */
export function installSecurity(): void {
  app.on('web-contents-created', (_event, contents) => lockContents(contents))
  app.whenReady().then(lockSession, (error: unknown) => {
    console.error('[dendrite] could not lock the session:', error)
  })
}
