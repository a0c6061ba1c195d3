// The Program tab, the lecture's symbolic approach made visible: the XOR sample's graph compiled
// before it trains, each compiler stage with what it left (equations, kernels, buffers) and its
// printed program; an edit on the canvas marks the program out of date until compiled again.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { node } from './studio.page'

/** The number a stage's count starts with ("141 equations" → 141). */
async function countOf(page: Page, stage: string): Promise<number> {
  const text = await page.getByTestId(`stage-${stage}`).locator('.count').textContent()
  return Number((text ?? '').replace(/[^\d]/g, ''))
}

test('the compiled program: stages from the forward program to the memory plan', async ({
  studio,
}) => {
  await studio.getByRole('tab', { name: 'Data', exact: true }).click()
  await studio.getByLabel('Sample project').selectOption('xor')
  await studio.getByRole('button', { name: 'Open sample' }).click()
  await studio.getByRole('tab', { name: 'Program', exact: true }).click()
  const panel = studio.getByTestId('program-panel')
  const text = panel.getByTestId('program-text')

  // The forward program: the two Dense layers' products, as primitive operations.
  await expect(panel.getByTestId('stage-forward')).toHaveAttribute('aria-pressed', 'true')
  await expect(panel.getByTestId('program-from')).toHaveText('From 5 layers, for the CPU.')
  await expect(text).toContainText('matmul x dense1.weight')
  await expect(text).not.toContainText('next:dense1.weight')

  // The training step: gradients and Adam's update, written by the compiler, not by hand.
  const forward = await countOf(studio, 'forward')
  const step = await countOf(studio, 'input')
  expect(step).toBeGreaterThan(2 * forward)
  await expect(panel.getByTestId('stage-input').locator('.change')).toHaveText(
    `+${step - forward} equations`,
  )
  await panel.getByTestId('stage-input').click()
  await expect(panel.getByTestId('stage-input')).toHaveAttribute('aria-pressed', 'true')
  await expect(text).toContainText('out next:dense1.weight')
  await expect(text).toContainText('state m:dense1.weight')

  // Passes shrink it; fusion makes fewer kernels than equations; memory is shared.
  expect(await countOf(studio, 'dce-2')).toBeLessThan(step)
  expect(await countOf(studio, 'fuse')).toBeLessThan(await countOf(studio, 'dce-2'))
  await panel.getByTestId('stage-fuse').click()
  await expect(text).toContainText('kernel 0: matmul')
  await panel.getByTestId('stage-memory').click()
  await expect(text).toContainText('buf0')
  await expect(panel.getByTestId('stage-memory').locator('.change')).toHaveText(
    /^[\d.]+ k?B, not [\d.]+ k?B$/,
  )

  // A wider layer: the program shown is out of date until it is compiled again.
  await expect(panel.getByRole('button', { name: 'Compile again' })).toHaveCount(0)
  await node(studio, 'dense1').getByTestId('node-title').click()
  const units = studio.getByTestId('inspector').getByLabel('Units')
  await units.fill('8')
  await units.press('Enter')
  await expect(panel).toContainText('have changed since')
  await panel.getByTestId('stage-forward').click()
  await expect(text).toContainText('f32[10,4]')
  await panel.getByRole('button', { name: 'Compile again' }).click()
  await expect(panel.getByRole('button', { name: 'Compile again' })).toHaveCount(0)
  await expect(text).toContainText('%0:f32[10,8] = matmul x dense1.weight')
})
