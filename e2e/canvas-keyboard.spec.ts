// The canvas without a pointer: a person who uses only the keyboard adds layers from the palette
// (after the selected one, wired, when it can take its output), connects them (C on a layer
// lists the inputs its output can go to; "Add layer after" in its menu adds the next layer
// already wired), reads the network back from the connections' names, and deletes a connection
// with Delete and brings it back with Ctrl+Z.
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { emptyProjectByKeyboard, links, node } from './studio.page'

const isFocused = (target: Locator): Promise<boolean> =>
  target.evaluate((el) => el === document.activeElement)

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a person walks the page. */
async function tabTo(page: Page, target: Locator, key = 'Tab', most = 150): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await isFocused(target)) return
    await page.keyboard.press(key)
  }
  await expect(target).toBeFocused()
}

/** Moves down an open menu with ↓ until `name` has the focus, then presses `key` on it. */
async function pick(page: Page, name: string, key = 'Enter'): Promise<void> {
  const item = page.getByRole('menuitem', { name, exact: true })
  await expect(item).toBeVisible()
  for (let i = 0; i < 60 && !(await isFocused(item)); i++) await page.keyboard.press('ArrowDown')
  await expect(item).toBeFocused()
  await page.keyboard.press(key)
}

/** Types into the palette's search ("/" reaches it from anywhere); Enter adds the best match. */
async function addFromPalette(page: Page, query: string, id: string): Promise<void> {
  const search = page.getByRole('searchbox', { name: 'Search layers' })
  if (!(await isFocused(search))) await page.keyboard.press('/')
  await expect(search).toBeFocused()
  await page.keyboard.type(query)
  await page.keyboard.press('Enter')
  await expect(node(page, id)).toBeVisible()
  // Escape empties the search and leaves the focus in it.
  await page.keyboard.press('Escape')
  await expect(search).toHaveValue('')
}

const link = (page: Page, name: string): Locator => page.getByRole('button', { name, exact: true })

test('a network is built, checked and edited with the keyboard alone', async ({ studio }) => {
  test.setTimeout(120_000)
  await emptyProjectByKeyboard(studio)

  // With Dense selected, ReLU from the palette goes after it, wired; an Input takes no input, so
  // it is added on its own.
  await addFromPalette(studio, 'dense', 'dense-1')
  await addFromPalette(studio, 'relu', 'relu-1')
  await expect(link(studio, 'Dense → ReLU')).toBeVisible()
  await addFromPalette(studio, 'input', 'input-1')
  await expect(links(studio)).toHaveCount(1)

  // C on a layer: a menu of the inputs its output can go to; Enter connects, Escape cancels.
  // ReLU's input is taken by Dense already.
  await tabTo(studio, node(studio, 'input-1'))
  await studio.keyboard.press('c')
  const connectMenu = studio.getByRole('menu', { name: 'Connect Input to' })
  await expect(connectMenu).toBeVisible()
  await expect(connectMenu.getByRole('menuitem')).toHaveText(['Dense · x'])
  await studio.keyboard.press('Escape')
  await expect(connectMenu).toHaveCount(0)
  await expect(node(studio, 'input-1')).toBeFocused()
  await expect(links(studio)).toHaveCount(1)
  await studio.keyboard.press('c')
  await pick(studio, 'Dense · x')
  await expect(link(studio, 'Input → Dense')).toBeVisible()
  await expect(node(studio, 'input-1')).toBeFocused()
  await expect(links(studio)).toHaveCount(2)

  // The layer's menu (Shift+F10) adds the next layer already wired, and focus moves onto it.
  await tabTo(studio, node(studio, 'relu-1'))
  await studio.keyboard.press('Shift+F10')
  await pick(studio, 'Add layer after', 'ArrowRight')
  await pick(studio, 'Layers', 'ArrowRight')
  await pick(studio, 'Dense')
  await expect(node(studio, 'dense-2')).toBeFocused()
  await studio.keyboard.press('Shift+F10')
  await pick(studio, 'Add layer after', 'ArrowRight')
  await pick(studio, 'Losses', 'ArrowRight')
  await pick(studio, 'Cross-entropy')
  await expect(node(studio, 'softmax-cross-entropy-1')).toBeFocused()

  // The graph: four connections named for their ends, shapes inferred, no problems.
  await expect(links(studio)).toHaveCount(4)
  for (const name of [
    'Input → Dense 1',
    'Dense 1 → ReLU',
    'ReLU → Dense 2',
    'Dense 2 → Cross-entropy · prediction',
  ]) {
    await expect(link(studio, name)).toHaveCount(1)
  }
  await expect(node(studio, 'dense-1').getByTestId('node-params')).toHaveText('24 parameters')
  await expect(node(studio, 'dense-2').getByTestId('node-params')).toHaveText('72 parameters')
  for (const id of ['input-1', 'dense-1', 'relu-1', 'dense-2']) {
    await expect(node(studio, id).getByTestId('node-shape')).toHaveText(/^\d+$/)
  }
  await expect(studio.getByTestId('status-problems')).toHaveText('No problems')
  await tabTo(studio, node(studio, 'relu-1'))
  await studio.keyboard.press('Shift+F10')
  await pick(studio, 'Connect output to…')
  await expect(studio.getByRole('status').filter({ hasText: 'Nothing can take' })).toBeVisible()
  await studio.screenshot({ path: 'test-results/canvas-keyboard.png' })

  // A connection is a tab stop: focus selects it, → and ← go to its ends, Delete removes it.
  const relu = link(studio, 'Dense 1 → ReLU')
  await tabTo(studio, relu, 'Shift+Tab')
  await expect(relu).toHaveClass(/selected/)
  await studio.keyboard.press('ArrowRight')
  await expect(node(studio, 'relu-1')).toBeFocused()
  await tabTo(studio, relu, 'Shift+Tab')
  await studio.keyboard.press('Delete')
  await expect(links(studio)).toHaveCount(3)
  await expect(relu).toHaveCount(0)
  await expect(node(studio, 'dense-1')).toBeFocused()
  await expect(studio.getByTestId('status-problems')).not.toHaveText('No problems')

  await studio.keyboard.press('Control+z')
  await expect(links(studio)).toHaveCount(4)
  await expect(relu).toHaveCount(1)
  await expect(studio.getByTestId('status-problems')).toHaveText('No problems')
})
