// The desktop app as a person starts it: Electron opens the built studio, the preload bridge
// answers, the engine's port arrives, and the default graph shows the engine's numbers. Where no
// Electron binary is installed the launch test says so and skips; the preload check always runs.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import type { ElectronApplication, Page } from '@playwright/test'

const repo = resolve(import.meta.dirname, '..')
const STUDIO_PAGE = '/renderer/index.html'

/** Why Electron cannot start here, or null when its binary is present. */
function electronMissing(): string | null {
  try {
    // The electron package's main export is the binary's path; it throws when the download
    // was skipped or failed ("Electron failed to install correctly").
    const binary: unknown = createRequire(import.meta.url)('electron')
    if (typeof binary !== 'string') return 'the electron package did not name a binary'
    return existsSync(binary) ? null : `no Electron binary at ${binary}`
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

function skipWithReason(reason: string): void {
  console.log(`[desktop e2e] skipped: ${reason}`)
  test.skip(true, `Electron binary absent: ${reason}`)
}

async function launch(): Promise<ElectronApplication> {
  // Built pages only: a leftover dev-server URL would point the windows elsewhere.
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'ELECTRON_RENDERER_URL') env[key] = value
  }
  // Chromium refuses to run as root with its sandbox on (containers, CI).
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : []
  return electron.launch({ args: [...rootArgs, '.'], cwd: repo, env })
}

/** The studio window, not the hidden engine window (both are pages to Playwright). */
async function studioWindow(app: ElectronApplication): Promise<Page> {
  const isStudio = (page: Page): boolean => page.url().endsWith(STUDIO_PAGE)
  await expect.poll(() => app.windows().some(isStudio), { timeout: 30_000 }).toBe(true)
  const page = app.windows().find(isStudio)
  if (!page) throw new Error('the studio window disappeared')
  return page
}

test('the desktop studio opens with the engine connected and no console errors', async () => {
  const missing = electronMissing()
  if (missing !== null) return skipWithReason(missing)

  let app: ElectronApplication
  try {
    app = await launch()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/failed to install correctly/i.test(message)) return skipWithReason(message)
    throw error
  }

  const problems: string[] = []
  app.context().on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${msg.page()?.url() ?? '?'}: ${msg.text()}`)
  })
  app.context().on('weberror', (error) => problems.push(`pageerror: ${error.error().message}`))
  try {
    const studio = await studioWindow(app)
    await studio.waitForLoadState('load')

    // The preload's bridge, reached the way the renderer reaches it.
    const info = await studio.evaluate(async () => {
      // window.dendrite is the preload's Bridge; e2e code does not import the app's types.
      const bridge = (window as unknown as { dendrite?: { platform: string; appInfo(): unknown } })
        .dendrite
      return bridge ? { platform: bridge.platform, info: await bridge.appInfo() } : null
    })
    expect(info).toMatchObject({ platform: 'desktop', info: { name: 'Dendrite' } })

    // A backend named in the status bar means the engine's port reached both windows.
    await expect(studio.getByTestId('status-backend')).toHaveText(/webgpu|cpu/i)
    const dense = studio.locator('[data-testid="node"][data-node-type="dense"]')
    await expect(dense.first().getByTestId('node-params')).toHaveText('24 parameters')
    expect(problems, 'the studio logged console errors').toEqual([])
  } finally {
    await app.close()
  }
})

test('each preload is one self-contained file, as a sandboxed preload must be', () => {
  for (const name of ['studio.cjs', 'engine.cjs']) {
    const file = resolve(repo, 'out/preload', name)
    expect(existsSync(file), `${file} is built`).toBe(true)
    const code = readFileSync(file, 'utf8')
    const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])
    // A sandboxed preload can require only a few built-ins; a shared chunk would not load.
    expect(
      required.filter((id) => id !== 'electron'),
      `${name} requires only electron`,
    ).toEqual([])
  }
})
