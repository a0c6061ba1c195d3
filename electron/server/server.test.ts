import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { get } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_HEADER } from '../bridge'
import { STUDIO_PORTS, startServer, startServerOnPorts } from './server'
import type { RunningServer } from './server'
import { resolveInside } from './static-files'

let server: RunningServer
const root = mkdtempSync(join(tmpdir(), 'dendrite-server-'))

beforeAll(async () => {
  mkdirSync(join(root, 'renderer'))
  writeFileSync(join(root, 'renderer/index.html'), '<!doctype html><title>studio</title>')
  writeFileSync(join(tmpdir(), 'dendrite-secret.txt'), 'secret')
  server = await startServer({
    root,
    token: 'tok',
    appInfo: { name: 'Dendrite', version: '0.1.0', platform: 'browser', os: 'linux' },
  })
})
afterAll(() => server.close())

describe('browser-mode server', () => {
  it('binds to 127.0.0.1 and serves the page with the token, then by cookie', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const first = await fetch(server.url)
    expect(first.status).toBe(200)
    expect(first.headers.get('content-security-policy')).toContain("default-src 'self'")
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? ''
    expect(cookie).toBe('dendrite_token=tok')
    const again = await fetch(`${server.origin}/renderer/index.html`, { headers: { cookie } })
    expect(again.status).toBe(200)
  })

  it('refuses pages without the token, with a wrong one, or for another Host', async () => {
    expect((await fetch(`${server.origin}/renderer/index.html`)).status).toBe(403)
    expect((await fetch(`${server.origin}/renderer/index.html?token=nope`)).status).toBe(403)
    // fetch() will not send a foreign Host header; node:http will (a DNS-rebinding attempt).
    expect(await statusWithHost(server.url, 'evil.example')).toBe(403)
    expect(await statusWithHost(server.url, new URL(server.origin).host)).toBe(200)
  })

  it('answers the Bridge only with the token header from our own origin', async () => {
    const route = `${server.origin}/api/app-info`
    expect((await fetch(route)).status).toBe(403)
    expect((await fetch(route, { headers: { cookie: 'dendrite_token=tok' } })).status).toBe(403)
    const foreign = await fetch(route, { headers: { [TOKEN_HEADER]: 'tok', origin: 'http://x.y' } })
    expect(foreign.status).toBe(403)
    const ok = await fetch(route, { headers: { [TOKEN_HEADER]: 'tok' } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ name: 'Dendrite', platform: 'browser' })
  })

  it('never serves files outside its folder', async () => {
    const escape = await fetch(`${server.origin}/..%2fdendrite-secret.txt?token=tok`)
    expect(escape.status).toBe(404)
    expect(resolveInside('/srv/app', '/../etc/passwd')).toBeNull()
    expect(resolveInside('/srv/app', '/a/../../app2/x')).toBeNull()
    expect(resolveInside('/srv/app', '/renderer/index.html')).toBe('/srv/app/renderer/index.html')
  })
})

describe("browser mode's port", () => {
  const options = {
    root,
    appInfo: { name: 'Dendrite', version: '0.1.0', platform: 'browser' as const, os: 'linux' },
  }
  const portOf = (s: RunningServer): number => Number(new URL(s.origin).port)

  it('is the first free one of its list, the same one run after run', async () => {
    expect(STUDIO_PORTS.length).toBeGreaterThan(1)
    const taken = await startServer({ ...options, port: 0 })
    // A port that is free now: bound by the system, then let go.
    const probe = await startServer({ ...options, port: 0 })
    const free = portOf(probe)
    await probe.close()
    try {
      const first = await startServerOnPorts(options, [portOf(taken), free])
      expect([portOf(first), first.fellBack]).toEqual([free, false])
      await first.close()
      // Another run, once the first has stopped: the same origin, so the page's storage with it.
      const again = await startServerOnPorts(options, [portOf(taken), free])
      expect(again.origin).toBe(first.origin)
      await again.close()
    } finally {
      await taken.close()
    }
  })

  it("is one of the system's choosing, said so, where every one of the list is taken", async () => {
    const taken = await startServer({ ...options, port: 0 })
    try {
      const other = await startServerOnPorts(options, [portOf(taken)])
      expect(other.fellBack).toBe(true)
      expect(portOf(other)).not.toBe(portOf(taken))
      expect((await fetch(other.url)).status).toBe(200)
      await other.close()
    } finally {
      await taken.close()
    }
  })
})

function statusWithHost(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode)
    }).on('error', reject)
  })
}
