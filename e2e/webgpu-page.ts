// The WebGPU harness page (out/webgpu-harness: node scripts/build-webgpu-pages.mjs) that a
// spec's tests share, one page per worker: opened before them with its adapter named, closed
// after, and each test skipped, saying why, where this Chromium has no WebGPU. A failing test
// gets a fresh worker, so later ones still run.
import { resolve } from 'node:path'
import { test } from '@playwright/test'
import type { Page } from '@playwright/test'
import type { Harness } from './webgpu/api'
import type { StaticPage } from './static-page'
import { openStaticPage } from './static-page'

const ROOT = resolve(import.meta.dirname, '../out/webgpu-harness')

/**
 * The page's harness method `method` called with `args`, which travel into the page as
 * Playwright serializes them, as the result travels back.
 */
export type CallHarness = <K extends keyof Harness>(
  method: K,
  ...args: Parameters<Harness[K]>
) => Promise<Awaited<ReturnType<Harness[K]>>>

/** Registers the hooks that open and close the page for the calling spec; returns its caller. */
export function useHarnessPage(): CallHarness {
  let opened: StaticPage | undefined
  let page: Page | undefined
  let unavailable: string | null = null

  function harness<K extends keyof Harness>(
    method: K,
    ...args: Parameters<Harness[K]>
  ): Promise<Awaited<ReturnType<Harness[K]>>> {
    if (page === undefined) throw new Error('the WebGPU harness page is not open')
    const call = page.evaluate(
      async ([m, a]) => {
        const h = window.dendriteHarness
        if (!h) throw new Error('harness not loaded')
        return (h[m] as (...xs: unknown[]) => Promise<unknown>).apply(h, a)
      },
      [method, args] as const,
    )
    return call as Promise<Awaited<ReturnType<Harness[K]>>>
  }

  test.beforeAll(async () => {
    opened = await openStaticPage(ROOT, 'node scripts/build-webgpu-pages.mjs')
    page = opened.page
    await page.waitForFunction(() => window.dendriteHarness !== undefined)
    try {
      const adapter = await harness('init')
      console.log(`webgpu adapter: ${adapter ?? '?'}`)
    } catch (err) {
      unavailable = `no WebGPU in this Chromium: ${String(err)}`
      console.log(`skipped: ${unavailable}`)
    }
  })

  test.afterAll(async () => {
    await opened?.close()
  })

  test.beforeEach(() => {
    test.skip(unavailable !== null, unavailable ?? '')
  })

  return harness
}
