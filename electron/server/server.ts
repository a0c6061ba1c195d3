// Browser mode: serves the built studio and the Bridge over HTTP on 127.0.0.1, for machines
// without the desktop runtime. POST bodies have one content type per route and a size limit. Every request must carry the per-launch token (query on the first
// load, then an HttpOnly cookie for pages and a header for API calls); API calls must also come
// from our own origin. Anything else gets 403 and changes nothing.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { AppInfo } from '../bridge'
import { TOKEN_COOKIE, TOKEN_HEADER, TOKEN_QUERY } from '../bridge'
import { routes } from './routes'
import { sendFile } from './static-files'

export const STUDIO_PAGE = '/renderer/index.html'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

export interface ServerOptions {
  /** The built renderer (out/renderer). */
  root: string
  appInfo: AppInfo
  port?: number
  token?: string
}

export interface RunningServer {
  origin: string
  token: string
  /** The URL to open: the studio page with the token. */
  url: string
  close(): Promise<void>
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const root = resolve(options.root)
  const token = options.token ?? randomBytes(24).toString('base64url')
  let origin = ''
  const server = createServer((req, res) => {
    handle(req, res, { root, token, origin, appInfo: options.appInfo }).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(`internal error: ${err instanceof Error ? err.message : String(err)}`)
    })
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', done)
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    token,
    url: `${origin}${STUDIO_PAGE}?${TOKEN_QUERY}=${token}`,
    close: () => new Promise((done) => server.close(() => done())),
  }
}

/**
 * Ports browser mode tries first, in order. The page keeps its recovery file, layout and the
 * WebGPU tuner's choices in storage of its origin, port included, so a server that came back on
 * another port would not find them (after a crash above all): the same port, run after run.
 */
export const STUDIO_PORTS = [47180, 47181, 47182, 47183] as const

/**
 * The server on the first of `ports` that is free; on a free port of the system's choosing
 * where none is, with `fellBack` set (that page's storage is not an earlier run's).
 */
export async function startServerOnPorts(
  options: Omit<ServerOptions, 'port'>,
  ports: readonly number[] = STUDIO_PORTS,
): Promise<RunningServer & { fellBack: boolean }> {
  for (const port of ports) {
    try {
      return { ...(await startServer({ ...options, port })), fellBack: false }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    }
  }
  return { ...(await startServer({ ...options, port: 0 })), fellBack: true }
}

interface Context {
  root: string
  token: string
  origin: string
  appInfo: AppInfo
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.origin)
  const isApi = url.pathname.startsWith('/api/')
  const verdict = isApi ? checkApi(req, ctx) : checkPage(req, url, ctx)
  if (verdict !== null) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(verdict)
    return
  }
  const headers = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  if (isApi) return answerApi(req, res, url, ctx)
  if (url.searchParams.get(TOKEN_QUERY) === ctx.token) {
    res.setHeader('set-cookie', `${TOKEN_COOKIE}=${ctx.token}; HttpOnly; SameSite=Strict; Path=/`)
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end()
    return
  }
  if (url.pathname === '/') {
    res.writeHead(302, { location: STUDIO_PAGE }).end()
    return
  }
  await sendFile(res, ctx.root, url.pathname)
}

/** Pages and assets: the token in the query (first load) or in our cookie. */
function checkPage(req: IncomingMessage, url: URL, ctx: Context): string | null {
  if (!sameHost(req, ctx)) return 'forbidden: unexpected Host header'
  const given = url.searchParams.get(TOKEN_QUERY) ?? cookie(req, TOKEN_COOKIE)
  return given !== null && tokensEqual(given, ctx.token)
    ? null
    : 'forbidden: missing or wrong token'
}

/** API calls: the token in our header, and no foreign Origin (browsers send one cross-site). */
function checkApi(req: IncomingMessage, ctx: Context): string | null {
  if (!sameHost(req, ctx)) return 'forbidden: unexpected Host header'
  const origin = req.headers.origin
  if (origin !== undefined && origin !== ctx.origin) return 'forbidden: foreign origin'
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin') return 'forbidden: cross-site request'
  const given = req.headers[TOKEN_HEADER]
  return typeof given === 'string' && tokensEqual(given, ctx.token)
    ? null
    : 'forbidden: missing or wrong token'
}

/** Refuses DNS-rebinding: the Host must be the address we bound. */
function sameHost(req: IncomingMessage, ctx: Context): boolean {
  return `http://${req.headers.host ?? ''}` === ctx.origin
}

async function answerApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: Context,
): Promise<void> {
  const route = routes.get(url.pathname)
  const text = (status: number, message: string, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(message)
  if (!route) return void text(404, 'no such route')
  if (req.method !== route.method) return void text(405, 'wrong method', { allow: route.method })
  let body: Uint8Array = new Uint8Array(0)
  if (route.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
    if (type !== route.accepts) return void text(415, `expected ${route.accepts ?? 'no body'}`)
    const read = await readBody(req, route.maxBody ?? 0)
    if (read === null) {
      res.setHeader('connection', 'close')
      return void text(413, `the body is larger than ${route.maxBody ?? 0} bytes`)
    }
    body = read
  }
  const reply = await route.handle({ url, body }, { appInfo: ctx.appInfo })
  if ('bytes' in reply) {
    const type = 'application/octet-stream'
    res.writeHead(reply.status, { 'content-type': type, 'content-length': reply.bytes.length })
    res.end(reply.bytes)
    return
  }
  const json = JSON.stringify(reply.json)
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' }).end(json)
}

/** The request's body, or null once it passes `limit` bytes (the rest is drained unread). */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume()
      resolve(null)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= limit) {
        chunks.push(chunk)
        return
      }
      req.off('data', onData)
      req.resume()
      resolve(null)
    }
    req.on('data', onData)
    req.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks, size))))
    req.once('error', reject)
  })
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return null
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
