// A layer added from the palette (double-click or Enter) lands where it covers no other node,
// so every node's card and sockets stay in sight.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectDefaultGraph, nodes, paletteItem } from './studio.page'

interface Card {
  id: string
  left: number
  top: number
  right: number
  bottom: number
}

/** Every node card as drawn on the screen. */
async function cards(page: Page): Promise<Card[]> {
  return nodes(page).evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      const id = el instanceof HTMLElement ? (el.dataset.nodeId ?? '') : ''
      return { id, left: r.left, top: r.top, right: r.right, bottom: r.bottom }
    }),
  )
}

/** The pairs of node cards that cover each other. */
async function overlapping(page: Page): Promise<string[]> {
  const all = await cards(page)
  return all.flatMap((a, i) =>
    all
      .slice(i + 1)
      .filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      .map((b) => `${a.id} covers ${b.id}`),
  )
}

test('layers added from the palette land clear of every node', async ({ studio }) => {
  await expectDefaultGraph(studio)
  await paletteItem(studio, 'relu').dblclick()
  await expect(nodes(studio)).toHaveCount(6)
  expect(await overlapping(studio)).toEqual([])

  const search = studio.getByRole('searchbox', { name: 'Search layers' })
  await search.fill('mse')
  await search.press('ArrowDown')
  await studio.keyboard.press('Enter')
  await expect(nodes(studio)).toHaveCount(7)
  await search.fill('')
  await paletteItem(studio, 'dense').dblclick()
  await paletteItem(studio, 'dense').dblclick()
  await expect(nodes(studio)).toHaveCount(9)
  expect(await overlapping(studio)).toEqual([])
})
