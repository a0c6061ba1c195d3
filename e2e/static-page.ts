// A built static page (the WebGPU harness, the GPU bench) served on 127.0.0.1 and opened in
// headless Chromium with WebGPU (SwiftShader where there is no GPU). Used by the WebGPU spec
// and by `npm run bench`.
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { chromium } from '@playwright/test'
import type { Page } from '@playwright/test'
import { sendFile } from '../electron/server/static-files'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--enable-unsafe-webgpu',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface StaticPage {
  readonly page: Page
  close(): Promise<void>
}

/** Serves `root` and opens its index.html; `build` says how to make `root` when it is missing. */
export async function openStaticPage(root: string, build: string): Promise<StaticPage> {
  if (!existsSync(resolve(root, 'index.html'))) {
    throw new Error(`${root} is missing: run ${build}`)
  }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    void sendFile(res, root, path === '/' ? '/index.html' : path)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo // listen() on a port gives AddressInfo
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  const page = await browser.newPage()
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`))
  await page.goto(`http://127.0.0.1:${port}/`)
  return {
    page,
    close: async () => {
      await browser.close()
      await new Promise((done) => server.close(done))
    },
  }
}
