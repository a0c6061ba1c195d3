// A layer added from the palette while one layer is selected goes after that layer, wired to its
// output, as one undo step, and becomes the selection: search ("/"), type, Enter, again, builds a
// chain. A layer whose input cannot take the output is added unwired, clear of every node, and
// the status says why; a layer dragged onto the canvas still lands at the pointer, unwired.
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import {
  canvas,
  centreOf,
  dropLayer,
  emptyProjectByKeyboard,
  expectUndo,
  links,
  node,
  nodes,
} from './studio.page'

const link = (page: Page, name: string): Locator => page.getByRole('button', { name, exact: true })

/** "/" (from anywhere), the query, Enter; then Escape empties the search for the next one. */
async function addFromSearch(page: Page, query: string, id: string): Promise<void> {
  const search = page.getByRole('searchbox', { name: 'Search layers' })
  if (!(await search.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('/')
  }
  await expect(search).toBeFocused()
  await page.keyboard.type(query)
  await page.keyboard.press('Enter')
  await expect(node(page, id)).toBeVisible()
  await expect(node(page, id)).toHaveClass(/selected/)
  await page.keyboard.press('Escape')
  await expect(search).toHaveValue('')
}

/** The nodes whose cards the card of `id` covers. */
async function covered(page: Page, id: string): Promise<string[]> {
  const cards = await nodes(page).evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      const name = el instanceof HTMLElement ? (el.dataset.nodeId ?? '') : ''
      return { id: name, left: r.left, top: r.top, right: r.right, bottom: r.bottom }
    }),
  )
  const a = cards.find((c) => c.id === id)
  if (!a) throw new Error(`no node ${id}`)
  return cards
    .filter((b) => b.id !== id)
    .filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
    .map((b) => b.id)
}

test('Enter in the palette search builds a chain after the selected layer', async ({ studio }) => {
  test.setTimeout(90_000)
  await emptyProjectByKeyboard(studio)
  const hint = studio.getByTestId('palette-hint')
  await expect(hint).toContainText('Select a layer on the canvas')

  await addFromSearch(studio, 'input', 'input-1')
  await expect(hint).toHaveText('Adds after Input, connected to its output.')
  await addFromSearch(studio, 'dense', 'dense-1')
  await expectUndo(studio, /^Undo Add Dense after Input \(/)
  await addFromSearch(studio, 'relu', 'relu-1')
  await expectUndo(studio, /^Undo Add ReLU after Dense \(/)
  await addFromSearch(studio, 'dense', 'dense-2')
  await expectUndo(studio, /^Undo Add Dense after ReLU \(/)

  await expect(links(studio)).toHaveCount(3)
  for (const name of ['Input → Dense 1', 'Dense 1 → ReLU', 'ReLU → Dense 2']) {
    await expect(link(studio, name)).toHaveCount(1)
  }
  // Each one to the right of the one before.
  const xs: number[] = []
  for (const id of ['input-1', 'dense-1', 'relu-1', 'dense-2']) {
    xs.push((await centreOf(node(studio, id))).x)
  }
  expect(xs).toEqual([...xs].sort((a, b) => a - b))
  expect(new Set(xs).size).toBe(4)

  // One undo takes back the last layer and its connection together.
  await studio.getByRole('searchbox', { name: 'Search layers' }).blur()
  await studio.keyboard.press('Control+z')
  await expect(nodes(studio)).toHaveCount(3)
  await expect(node(studio, 'dense-2')).toHaveCount(0)
  await expect(links(studio)).toHaveCount(2)
  await expect(link(studio, 'Dense → ReLU')).toHaveCount(1)
  await expect(link(studio, 'Input → Dense')).toHaveCount(1)

  // Shapes that do not fit: added unwired, covering no node, and the status says why.
  await node(studio, 'input-1').getByTestId('node-title').click()
  await expect(hint).toHaveText('Adds after Input, connected to its output.')
  await addFromSearch(studio, 'conv2d', 'conv2d-1')
  await expect(links(studio)).toHaveCount(2)
  await expect(
    studio.getByRole('status').filter({ hasText: 'Conv2D was added but not connected' }),
  ).toBeVisible()
  expect(await covered(studio, 'conv2d-1')).toEqual([])

  // A drop still lands at the pointer, unwired, whatever is selected.
  await node(studio, 'relu-1').getByTestId('node-title').click()
  const box = await canvas(studio).boundingBox()
  if (!box) throw new Error('no canvas')
  const at = { x: box.x + 200, y: box.y + box.height - 120 }
  await dropLayer(studio, 'sigmoid', at)
  await expect(node(studio, 'sigmoid-1')).toBeVisible()
  expect(Math.abs((await centreOf(node(studio, 'sigmoid-1'))).x - at.x)).toBeLessThan(12)
  await expect(links(studio)).toHaveCount(2)
  await expectUndo(studio, /^Undo Add Sigmoid \(/)
})
