// The studio as tests see it: locators by the stable test ids and accessible names, and the
// pointer gestures a person makes on the canvas (wiring sockets, dropping palette items).
import { expect } from '@playwright/test'
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

/** Every node's position on the canvas, as the area draws it (its CSS translate). */
/** A palette layer dropped on the canvas at a point (page coordinates), as a drag from it ends. */
export async function dropLayer(page: Page, type: string, at: { x: number; y: number }) {
  await canvas(page).evaluate(
    (el, { type, at }) => {
      const data = new DataTransfer()
      data.setData('application/x-dendrite-layer', type)
      const init = { dataTransfer: data, clientX: at.x, clientY: at.y, bubbles: true }
      el.dispatchEvent(new DragEvent('dragover', { ...init, cancelable: true }))
      el.dispatchEvent(new DragEvent('drop', { ...init, cancelable: true }))
    },
    { type, at },
  )
}

export async function positions(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {}
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid="node"]')) {
      out[el.dataset.nodeId ?? ''] = el.parentElement?.style.transform ?? ''
    }
    return out
  })
}

/** Right-clicks empty canvas at (dx, dy) from its top-left corner and walks the menu. */
export async function addFromMenu(
  page: Page,
  dx: number,
  dy: number,
  path: string[],
): Promise<void> {
  const box = await canvas(page).boundingBox()
  if (!box) throw new Error('no canvas')
  await page.mouse.click(box.x + dx, box.y + dy, { button: 'right' })
  const menu = page.getByTestId('context-menu')
  await expect(menu).toBeVisible()
  for (const [i, label] of path.entries()) {
    const item = page.getByRole('menuitem', { name: label, exact: true })
    if (i < path.length - 1) await item.hover()
    else await item.click()
  }
  await expect(menu).toHaveCount(0)
}

/** What the toolbar's Undo would undo, from its tooltip. */
export async function expectUndo(page: Page, label: RegExp): Promise<void> {
  await expect(toolbar(page).getByRole('button', { name: 'Undo' })).toHaveAttribute('title', label)
}

export async function grantClipboard(page: Page, origin: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
}

/** The studio has opened with its default graph and the engine has answered for it. */
export async function expectDefaultGraph(page: Page): Promise<void> {
  await expect(nodes(page)).toHaveCount(5)
  await expect(node(page, 'dense-1').getByTestId('node-params')).toHaveText('24 parameters')
}

/**
 * Collapses the bottom dock, as someone working on the graph does: the canvas then has the
 * window's height, so canvas tests' fixed offsets land on it whatever the dock's default height.
 */
export async function collapseDock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Collapse panels' }).click()
  await expect(page.getByRole('button', { name: 'Expand panels' })).toBeVisible()
}

/** An empty project, reached with the keyboard alone: Samples, then New empty project. */
export async function emptyProjectByKeyboard(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Samples', exact: true }).press('Enter')
  await page.getByRole('button', { name: /New empty project/ }).press('Enter')
  await expect(nodes(page)).toHaveCount(0)
  await expect(page.getByRole('dialog')).toBeHidden()
}
