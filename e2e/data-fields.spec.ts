// The Data tab's number fields and CSV picker refuse bad input out loud: the field keeps its last
// good value and says why, and a CSV file that is not UTF-8 is refused at its first bad byte.
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'

async function openData(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Data', exact: true }).click()
  await page.getByRole('separator', { name: 'Resize panels' }).focus()
  await page.keyboard.press('End')
  await page.getByLabel('Sample project').selectOption('spiral')
  await page.getByRole('button', { name: 'Open sample' }).click()
  await expect(page.getByTestId('data-summary')).toContainText('spiral')
}

async function setField(field: Locator, value: string): Promise<void> {
  await field.fill(value)
  await field.press('Tab')
}

test('Data seed and Examples refuse bad values with a reason and keep the last good one', async ({
  studio,
}) => {
  await openData(studio)
  const panel = studio.getByTestId('data-panel')
  const seed = studio.getByTestId('data-seed')
  const good = await seed.inputValue()

  await setField(seed, '-5')
  await expect(panel.getByRole('alert')).toHaveText(
    'Data seed must be between 0 and 4294967295 (got -5)',
  )
  await expect(seed).toHaveValue(good)
  await setField(seed, '3.7')
  await expect(panel.getByRole('alert')).toHaveText(
    'Data seed must be a whole number between 0 and 4294967295 (got 3.7)',
  )
  await expect(seed).toHaveValue(good)
  await setField(seed, '7')
  await expect(panel.getByRole('alert')).toHaveCount(0)
  await expect(seed).toHaveValue('7')

  const size = studio.getByTestId('data-size')
  const examples = await size.inputValue()
  const max = Number(await size.getAttribute('max'))
  await setField(size, String(max + 1))
  await expect(panel.getByRole('alert')).toContainText(
    `Examples must be between ${await size.getAttribute('min')} and ${max} (got ${max + 1})`,
  )
  await expect(size).toHaveValue(examples)
  await expect(studio.getByTestId('data-summary')).toContainText(`${examples} examples`)
})

test('a CSV file that is not UTF-8 is refused with its name and the first bad byte', async ({
  studio,
}) => {
  await openData(studio)
  // "é" in Latin-1 (0xe9) at byte 13 (from 0): "a,b,t\n1,2,caf" before it is 13 bytes.
  const latin1 = Buffer.concat([
    Buffer.from('a,b,t\n1,2,caf'),
    Buffer.from([0xe9]),
    Buffer.from('\n3,4,tea\n'),
  ])
  await studio.getByLabel('Import CSV').setInputFiles({
    name: 'cafes.csv',
    mimeType: 'text/csv',
    buffer: latin1,
  })
  await expect(studio.getByTestId('csv-read-error')).toHaveText(
    'cafes.csv: byte 13: not UTF-8 text. Save the file as UTF-8 and pick it again.',
  )
  await expect(studio.getByTestId('csv-preview')).toHaveCount(0)
})
