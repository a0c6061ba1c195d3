// The dock's panels in a laptop's window, after a short run: nothing runs under its neighbour
// and nothing is cut off (the curve tools wrap, the confusion matrix keeps its width), and a first
// run's curves and heatmaps are readable at the default dock height.
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'

async function trainXor(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Data', exact: true }).click()
  await page.getByLabel('Sample project').selectOption('xor')
  await page.getByRole('button', { name: 'Open sample' }).click()
  await page.getByRole('tab', { name: 'Training', exact: true }).click()
  await page.getByRole('button', { name: 'Train' }).click()
  await expect(page.getByTestId('train-state')).toHaveText('Done', { timeout: 30_000 })
}

test('at 1280×720 the curve tools stay clear of the output, and the matrix is whole', async ({
  studio,
}) => {
  await studio.setViewportSize({ width: 1280, height: 720 })
  await trainXor(studio)
  const tools = await studio.getByRole('button', { name: 'Export CSV' }).boundingBox()
  const output = await studio.getByRole('heading', { name: 'Output' }).boundingBox()
  expect(tools && output && tools.x + tools.width).toBeLessThanOrEqual(output?.x ?? 0)

  await studio.setViewportSize({ width: 1440, height: 900 })
  await studio.getByRole('tab', { name: 'Runs', exact: true }).click()
  const matrix = studio.getByTestId('confusion-matrix')
  await expect(matrix.getByRole('table')).toBeVisible()
  const clipped = await matrix.evaluate((el) => {
    const box = el.getBoundingClientRect()
    const dock = el.closest('.tp-body')?.getBoundingClientRect()
    return el.scrollWidth > el.clientWidth || (dock !== undefined && box.right > dock.right)
  })
  expect(clipped).toBe(false)
})

/** Where `locator` is drawn; it must be on the page. */
async function boxOf(locator: Locator): Promise<{ y: number; height: number }> {
  const box = await locator.boundingBox()
  if (!box) throw new Error('the element is not drawn')
  return box
}

test('a first run in a 1440×900 window shows its curves and heatmaps without resizing', async ({
  studio,
}) => {
  await trainXor(studio)
  const plot = await boxOf(studio.getByRole('img', { name: 'Loss chart' }))
  expect(plot.height).toBeGreaterThanOrEqual(120)
  // The canvas keeps the larger part of the window.
  const canvas = await boxOf(studio.getByLabel('Graph canvas'))
  const dock = await boxOf(studio.getByTestId('dock'))
  expect(canvas.height).toBeGreaterThan(dock.height)

  await studio.getByRole('tab', { name: 'Heatmaps', exact: true }).click()
  const tiles = studio.getByTestId('neuron-heatmaps').locator('canvas')
  await expect(tiles.first()).toBeVisible()
  const first = await boxOf(tiles.first())
  const panel = await boxOf(studio.getByRole('tabpanel'))
  // At least two rows of neuron tiles show inside the panel.
  expect(first.y + 2 * first.height).toBeLessThanOrEqual(panel.y + panel.height)
})
