// The dock's panels in a laptop's window, after a short run: nothing runs under its neighbour
// and nothing is cut off (the curve tools wrap, the confusion matrix keeps its width).
import type { Page } from '@playwright/test'
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
