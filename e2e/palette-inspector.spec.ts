// The palette, the inspector and the Problems panel, used as a person would: find a layer by a
// name they know, put it on the canvas, change its attributes (valid values written as one undo
// step, invalid ones refused with the range), and jump from a problem to its node.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { node, paletteItem } from './studio.page'

async function selectNode(page: Page, id: string): Promise<void> {
  await node(page, id).getByTestId('node-title').click()
  await expect(page.getByTestId('inspector').getByTestId('inspector-title')).toBeVisible()
}

test('search finds Dense by its other names; activations show their curve', async ({ studio }) => {
  const search = studio.getByRole('searchbox', { name: 'Search layers' })
  for (const query of ['fc', 'linear', 'perceptron']) {
    await search.fill(query)
    await expect(studio.getByTestId('palette-item').first()).toHaveAttribute(
      'data-layer-type',
      'dense',
    )
  }
  await expect(studio.getByRole('button', { name: 'Add Dense' })).toBeVisible()
  await search.fill('qqzzx')
  await expect(studio.getByTestId('palette-item')).toHaveCount(0)
  await expect(studio.getByText('No layer is called “qqzzx”.')).toBeVisible()
  await search.fill('')
  await expect(paletteItem(studio, 'tanh').getByTestId('activation-plot')).toBeVisible()
  // "/" anywhere outside a text field jumps to the search.
  await search.blur()
  await studio.keyboard.press('/')
  await expect(search).toBeFocused()
  await expect(paletteItem(studio, 'dense').getByTestId('activation-plot')).toHaveCount(0)
})

test('a layer dragged from the palette lands on the canvas', async ({ studio }) => {
  const nodes = studio.getByTestId('node')
  await expect(nodes).toHaveCount(5)
  await paletteItem(studio, 'dense').dragTo(studio.getByLabel('Graph canvas'), {
    targetPosition: { x: 300, y: 320 },
  })
  await expect(nodes).toHaveCount(6)
  await expect(node(studio, 'dense-3')).toBeVisible()
  await expect(studio.getByTestId('inspector-title')).toHaveText('Dense')
})

test('double-click or Enter on a palette item adds the layer', async ({ studio }) => {
  const nodes = studio.getByTestId('node')
  await expect(nodes).toHaveCount(5)
  await paletteItem(studio, 'relu').dblclick()
  await expect(nodes).toHaveCount(6)
  await expect(studio.getByTestId('inspector-title')).toHaveText('ReLU')
  const search = studio.getByRole('searchbox', { name: 'Search layers' })
  await search.fill('mse')
  await search.press('ArrowDown')
  await expect(paletteItem(studio, 'mse')).toBeFocused()
  await studio.keyboard.press('Enter')
  await expect(nodes).toHaveCount(7)
  await expect(node(studio, 'mse-1')).toBeVisible()
})

test('units set in the inspector change shapes and parameters; undo reverts one step', async ({
  studio,
}) => {
  const dense = node(studio, 'dense-1')
  await expect(dense.getByTestId('node-params')).toHaveText('24 parameters')
  await selectNode(studio, 'dense-1')
  const inspector = studio.getByTestId('inspector')
  await expect(inspector.getByTestId('inspector-lecture')).toContainText(
    '8 units over 2 inputs: 2·8 + 8 = 24 parameters',
  )
  const units = inspector.getByLabel('Units')
  await expect(units).toHaveValue('8')

  await units.fill('16')
  await units.press('Enter')
  await expect(dense.getByTestId('node-shape')).toHaveText('16')
  await expect(dense.getByTestId('node-params')).toHaveText('48 parameters')
  await expect(inspector.getByTestId('inspector-params')).toHaveText('48 parameters')
  await expect(inspector.getByTestId('inspector-shape')).toContainText('16')
  await expect(inspector.getByTestId('inspector-lecture')).toContainText('2·16 + 16 = 48')
  // Dense 2 after it now has 16 inputs: 16·2 + 2.
  await expect(node(studio, 'dense-2').getByTestId('node-params')).toHaveText('34 parameters')

  await units.fill('32')
  await units.press('Enter')
  await expect(dense.getByTestId('node-params')).toHaveText('96 parameters')

  // Ctrl+Z in the field that holds the committed value undoes the last edit only.
  await units.press('Control+z')
  await expect(dense.getByTestId('node-params')).toHaveText('48 parameters')
  await expect(units).toHaveValue('16')
  await units.press('Control+Shift+z')
  await expect(units).toHaveValue('32')
  await units.press('Control+z')
  await units.press('Control+z')
  await expect(units).toHaveValue('8')
  await expect(dense.getByTestId('node-params')).toHaveText('24 parameters')
})

test('an out-of-range value is refused with the range and not written', async ({ studio }) => {
  await selectNode(studio, 'dense-1')
  const inspector = studio.getByTestId('inspector')
  const units = inspector.getByLabel('Units')
  await expect(inspector.getByText('1 to 65536')).toBeVisible()
  for (const bad of ['0', '100000', '2.5']) {
    await units.fill(bad)
    await units.press('Enter')
    await expect(inspector.getByTestId('attr-error')).toContainText('Units must be ')
    await expect(inspector.getByTestId('attr-error')).toContainText('between 1 and 65536')
    await expect(units).toHaveAttribute('aria-invalid', 'true')
  }
  // Nothing reached the graph: the node still has 8 units and the project is unedited.
  await expect(node(studio, 'dense-1').getByTestId('node-shape')).toHaveText('8')
  await expect(studio.getByTestId('project-dirty')).toHaveCount(0)
  // Escape puts the committed value back.
  await units.press('Escape')
  await expect(units).toHaveValue('8')
  await expect(inspector.getByTestId('attr-error')).toHaveCount(0)
})

test('switches, choices and the name are each written as one edit', async ({ studio }) => {
  await selectNode(studio, 'dense-1')
  const inspector = studio.getByTestId('inspector')
  const dense = node(studio, 'dense-1')

  const bias = inspector.getByRole('switch', { name: 'Bias' })
  await bias.uncheck()
  await expect(dense.getByTestId('node-params')).toHaveText('16 parameters')
  await expect(inspector.getByTestId('inspector-lecture')).toContainText('2·8 = 16 parameters')
  await expect(studio.getByTestId('project-dirty')).toBeVisible()

  const init = inspector.getByLabel('Initialiser')
  await init.selectOption('he-normal')
  await expect(init).toHaveValue('he-normal')

  const name = inspector.getByLabel('Name')
  await name.fill('Hidden')
  await name.press('Enter')
  await expect(dense.getByTestId('node-title')).toHaveText('Hidden')
  await expect(inspector.getByTestId('inspector-title')).toHaveText('Hidden')

  // Each was one step: three undos from the inspector's fields put everything back.
  await name.press('Control+z')
  await expect(dense.getByTestId('node-title')).toHaveText('Dense')
  await expect(init).toHaveValue('he-normal')
  await init.press('Control+z')
  await expect(init).toHaveValue('xavier-uniform')
  await expect(bias).not.toBeChecked()
  await bias.press('Control+z')
  await expect(bias).toBeChecked()
  await expect(dense.getByTestId('node-params')).toHaveText('24 parameters')
})

test('the Problems panel lists problems and selects the node of one', async ({ studio }) => {
  await studio.getByTestId('dock-tab-problems').click()
  const panel = studio.getByTestId('problems-panel')
  await expect(panel.getByTestId('problem')).toHaveCount(1)
  await expect(panel.getByTestId('problem')).toHaveAttribute('data-code', 'no-loss')

  // A Dense with nothing wired into it is an error that names it.
  await paletteItem(studio, 'dense').dblclick()
  const problem = panel.locator('[data-testid="problem"][data-node-id="dense-3"]')
  await expect(problem.first()).toHaveAttribute('data-severity', 'error')
  await expect(studio.getByTestId('status-problems')).toContainText('1 error')

  await selectNode(studio, 'dense-1')
  await problem.first().click()
  const inspector = studio.getByTestId('inspector')
  await expect(inspector.getByText('dense-3', { exact: true })).toBeVisible()
  await expect(node(studio, 'dense-3')).toHaveClass(/selected/)
})

test('the dock resizes by keyboard and pointer, collapses, and reopens from the status bar', async ({
  studio,
}) => {
  const dock = studio.getByTestId('dock')
  const grip = studio.getByRole('separator', { name: 'Resize panels' })
  const height = async (): Promise<number> => (await dock.boundingBox())?.height ?? 0
  const start = await height()
  await grip.focus()
  await studio.keyboard.press('ArrowUp')
  await expect.poll(height).toBeGreaterThan(start + 10)
  const box = await grip.boundingBox()
  if (!box) throw new Error('no grip')
  await studio.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await studio.mouse.down()
  await studio.mouse.move(box.x + box.width / 2, box.y - 100, { steps: 5 })
  await studio.mouse.up()
  await expect.poll(height).toBeGreaterThan(start + 100)

  await studio.getByRole('button', { name: 'Collapse panels' }).click()
  await expect(studio.getByTestId('problems-panel')).toHaveCount(0)
  await studio.getByTestId('status-problems').click()
  await expect(studio.getByTestId('problems-panel')).toBeVisible()
  await expect(studio.getByRole('tab', { name: /Problems/ })).toHaveAttribute(
    'aria-selected',
    'true',
  )
})
