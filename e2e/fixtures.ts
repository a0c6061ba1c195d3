// Browser-mode fixtures: one studio server per worker on 127.0.0.1, a headless Chromium with
// WebGPU, and a page that fails its test on any console error or warning.
import { resolve } from 'node:path'
import { test as base, chromium, expect } from '@playwright/test'
import type { Browser, ConsoleMessage, Page } from '@playwright/test'
import { readAppInfo } from '../electron/services/app-info'
import { startServer } from '../electron/server/server'
import type { RunningServer } from '../electron/server/server'
import { CHROMIUM_ARGS } from './static-page'

const repo = resolve(import.meta.dirname, '..')

interface WorkerFixtures {
  server: RunningServer
  chromiumBrowser: Browser
}

interface TestFixtures {
  studio: Page
  consoleProblems: string[]
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    async ({}, use) => {
      const server = await startServer({
        root: resolve(repo, 'out/renderer'),
        appInfo: readAppInfo(resolve(repo, 'package.json'), 'browser'),
      })
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  chromiumBrowser: [
    async ({}, use) => {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: CHROMIUM_ARGS,
      })
      await use(browser)
      await browser.close()
    },
    { scope: 'worker' },
  ],
  consoleProblems: async ({}, use) => {
    await use([])
  },
  studio: async ({ chromiumBrowser, server, consoleProblems }, use) => {
    const context = await chromiumBrowser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        consoleProblems.push(`${msg.type()}: ${msg.text()}`)
      }
    })
    page.on('pageerror', (err) => consoleProblems.push(`pageerror: ${err.message}`))
    await page.goto(server.url)
    await use(page)
    await context.close()
    expect(consoleProblems, 'the page logged errors or warnings').toEqual([])
  },
})

export { expect }
