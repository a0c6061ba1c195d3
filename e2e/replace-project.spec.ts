// Every way of replacing the project asks about unsaved edits first, as File ▸ New does: the
// welcome strip's lessons, the start screen's cards and plain beginnings, the Data tab's sample.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectDefaultGraph, node, nodes, toolbar } from './studio.page'

/** Deletes the Tanh: the title shows the unsaved mark and Undo can bring it back. */
async function editGraph(page: Page): Promise<void> {
  await expectDefaultGraph(page)
  await node(page, 'tanh-1').getByTestId('node-title').click()
  await page.keyboard.press('Delete')
  await expect(nodes(page)).toHaveCount(4)
  await expect(page.getByTestId('project-dirty')).toBeVisible()
}

/** Cancel keeps the edited project, its unsaved mark and its undo history. */
async function cancelKeepsEdits(page: Page, open: () => Promise<void>): Promise<void> {
  await open()
  const ask = page.getByTestId('unsaved-dialog')
  await expect(ask).toContainText('Save changes to Untitled?')
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toBeHidden()
  await expect(page.getByTestId('project-name')).toHaveText('Untitled')
  await expect(nodes(page)).toHaveCount(4)
  await expect(page.getByTestId('project-dirty')).toBeVisible()
  await expect(toolbar(page).getByRole('button', { name: 'Undo' })).toBeEnabled()
}

async function dontSave(page: Page): Promise<void> {
  const ask = page.getByTestId('unsaved-dialog')
  await ask.getByRole('button', { name: "Don't Save" }).click()
  await expect(ask).toBeHidden()
}

test('a welcome-strip lesson asks before it replaces unsaved edits', async ({ studio }) => {
  await editGraph(studio)
  const chip = studio
    .getByTestId('welcome')
    .getByRole('button', { name: 'XOR needs a nonlinearity' })
  await cancelKeepsEdits(studio, () => chip.click())
  await expect(studio.getByTestId('welcome')).toBeVisible()

  await chip.click()
  await dontSave(studio)
  await expect(studio.getByTestId('project-name')).toHaveText('XOR needs a nonlinearity')
  await expect(studio.getByTestId('lesson')).toBeVisible()
  await expect(studio.getByTestId('project-dirty')).toHaveCount(0)
})

test('a start-screen card or beginning asks before it replaces unsaved edits', async ({
  studio,
}) => {
  await editGraph(studio)
  const start = studio.getByRole('dialog', { name: 'Start' })
  const openStart = async (): Promise<void> => {
    await studio.getByRole('button', { name: 'Samples', exact: true }).click()
    await expect(start).toBeVisible()
  }
  await openStart()
  await cancelKeepsEdits(studio, () =>
    studio.getByRole('button', { name: 'Open XOR needs a nonlinearity' }).click(),
  )
  // Cancel leaves the start screen open, to choose again.
  await expect(start).toBeVisible()
  await cancelKeepsEdits(studio, () =>
    studio.getByRole('button', { name: /New empty project/ }).click(),
  )
  await studio.getByRole('button', { name: 'Open XOR needs a nonlinearity' }).click()
  await dontSave(studio)
  await expect(start).toBeHidden()
  await expect(studio.getByTestId('project-name')).toHaveText('XOR needs a nonlinearity')
  await expect(studio.getByTestId('project-dirty')).toHaveCount(0)
})

test("the Data tab's Open sample asks before it replaces unsaved edits", async ({ studio }) => {
  await editGraph(studio)
  await studio.getByRole('tab', { name: 'Data', exact: true }).click()
  await studio.getByLabel('Sample project').selectOption('xor')
  const openSample = studio.getByRole('button', { name: 'Open sample' })
  await cancelKeepsEdits(studio, () => openSample.click())

  await openSample.click()
  await dontSave(studio)
  await expect(studio.getByTestId('project-name')).toHaveText('XOR needs a nonlinearity')
  await expect(studio.getByTestId('project-dirty')).toHaveCount(0)
})

test('an unchanged project is replaced without a question', async ({ studio }) => {
  await expectDefaultGraph(studio)
  await studio.getByTestId('welcome').getByRole('button', { name: 'Spiral' }).click()
  await expect(studio.getByTestId('project-name')).toHaveText('Spiral')
  await expect(studio.getByTestId('unsaved-dialog')).toBeHidden()
})
