// The studio as tests see it: locators by the stable test ids and accessible names, and the
// pointer gestures a person makes on the canvas (wiring sockets, dropping palette items).
import type { Locator, Page } from '@playwright/test'

export const node = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="node"][data-node-id="${id}"]`)
export const nodes = (page: Page): Locator => page.getByTestId('node')
export const links = (page: Page): Locator =>
  page.locator('[data-testid="connection"][data-link-id]')
export const toolbar = (page: Page): Locator => page.getByRole('toolbar', { name: 'Canvas' })
export const canvas = (page: Page): Locator => page.getByLabel('Graph canvas')
export const paletteItem = (page: Page, type: string): Locator =>
  page.locator(`[data-testid="palette-item"][data-layer-type="${type}"]`)

export function socket(page: Page, id: string, side: 'input' | 'output', port: string): Locator {
  return node(page, id).getByTestId(`${side}-${port}`).getByTestId(`${side}-socket`)
}

export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  // A node redraws its sockets when the engine's answer arrives: measure once it has settled.
  let box = null
  for (let i = 0; !box && i < 20; i++) box = await locator.boundingBox({ timeout: 2000 })
  if (!box) throw new Error('element has no box')
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

/** Presses on the output socket and releases on the input socket, as a person drags. */
export async function drag(page: Page, from: Locator, to: Locator, release = true): Promise<void> {
  const a = await centreOf(from)
  const b = await centreOf(to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 10 })
  if (release) await page.mouse.up()
}
