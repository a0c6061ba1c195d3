// The node canvas used with the pointer and the keyboard: wiring sockets, refused connections
// with their reasons, undo and redo of every edit, delete, duplicate, box selection, the context
// menu, drops from the palette, auto-arrange and zoom to fit.
import { expect, test } from './fixtures'
import {
  addFromMenu,
  canvas,
  collapseDock,
  centreOf,
  drag,
  dropLayer,
  expectDefaultGraph,
  expectUndo,
  links,
  node,
  nodes,
  positions,
  socket,
  toolbar,
} from './studio.page'

test.beforeEach(async ({ studio }) => {
  await expectDefaultGraph(studio)
  await collapseDock(studio)
})

test('wiring with the pointer makes one undo step; shapes and parameters follow', async ({
  studio,
}) => {
  await addFromMenu(studio, 420, 380, ['Add layer', 'Layers', 'Dense'])
  await expect(node(studio, 'dense-3')).toBeVisible()
  await expect(node(studio, 'dense-3').getByTestId('node-shape')).toHaveText('?')
  await expect(links(studio)).toHaveCount(4)

  await drag(
    studio,
    socket(studio, 'tanh-1', 'output', 'y'),
    socket(studio, 'dense-3', 'input', 'x'),
  )
  await expect(links(studio)).toHaveCount(5)
  await expect(node(studio, 'dense-3').getByTestId('node-shape')).toHaveText('8')
  await expect(node(studio, 'dense-3').getByTestId('node-params')).toHaveText('72 parameters')

  const undo = toolbar(studio).getByRole('button', { name: 'Undo' })
  await expectUndo(studio, /Undo Connect/)
  await undo.click()
  await expect(links(studio)).toHaveCount(4)
  await expect(node(studio, 'dense-3').getByTestId('node-params')).not.toHaveText('72 parameters')
  await undo.click()
  await expect(node(studio, 'dense-3')).toHaveCount(0)
  await toolbar(studio).getByRole('button', { name: 'Redo' }).click()
  await expect(node(studio, 'dense-3')).toBeVisible()
  await studio.keyboard.press('Control+Shift+Z')
  await expect(links(studio)).toHaveCount(5)
  await expect(node(studio, 'dense-3').getByTestId('node-params')).toHaveText('72 parameters')
  await studio.keyboard.press('Control+z')
  await expect(links(studio)).toHaveCount(4)
  await studio.keyboard.press('Control+y')
  await expect(links(studio)).toHaveCount(5)

  // Dragging a connection off its input and dropping it on empty canvas disconnects it.
  const input = await centreOf(socket(studio, 'dense-3', 'input', 'x'))
  await studio.mouse.move(input.x, input.y)
  await studio.mouse.down()
  await studio.mouse.move(input.x - 60, input.y + 90, { steps: 8 })
  await studio.mouse.up()
  await expect(links(studio)).toHaveCount(4)
  await expectUndo(studio, /Undo Disconnect/)
  await undo.click()
  await expect(links(studio)).toHaveCount(5)

  // A click on a connection selects it; Delete removes it.
  const mid = await studio
    .locator('[data-link-id="tanh-1->dense-2"] path.hit')
    .evaluate((path: SVGPathElement) => {
      const p = path.getPointAtLength(path.getTotalLength() / 2)
      const screen = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM() ?? undefined)
      return { x: screen.x, y: screen.y }
    })
  await studio.mouse.click(mid.x, mid.y)
  await expect(studio.locator('[data-link-id="tanh-1->dense-2"].selected')).toHaveCount(1)
  await studio.keyboard.press('Delete')
  await expect(links(studio)).toHaveCount(4)
  await expectUndo(studio, /Undo Delete connection/)
})

test('a connection that cannot be valid is refused while dragging, with the reason', async ({
  studio,
}) => {
  const refusal = studio.getByTestId('connection-refusal')
  // An occupied input.
  await drag(
    studio,
    socket(studio, 'softmax-1', 'output', 'y'),
    socket(studio, 'dense-1', 'input', 'x'),
    false,
  )
  await expect(refusal).toBeVisible()
  await expect(refusal).toContainText('already has a connection')
  await studio.mouse.up()
  await expect(links(studio)).toHaveCount(4)

  // Shapes that cannot agree: a vector into a 2-D convolution.
  await addFromMenu(studio, 560, 430, ['Add layer', 'Layers', 'Conv2D'])
  await drag(
    studio,
    socket(studio, 'tanh-1', 'output', 'y'),
    socket(studio, 'conv2d-1', 'input', 'x'),
    false,
  )
  await expect(refusal).toContainText('Shapes cannot agree')
  await expect(refusal).toContainText('image')
  await studio.screenshot({ path: 'test-results/canvas/refused-connection.png' })
  await studio.mouse.up()
  await expect(links(studio)).toHaveCount(4)

  // A loop: Add 1 → Add 2 → back into Add 1.
  await addFromMenu(studio, 120, 430, ['Add layer', 'Structure', 'Add'])
  await addFromMenu(studio, 330, 430, ['Add layer', 'Structure', 'Add'])
  await drag(studio, socket(studio, 'add-1', 'output', 'y'), socket(studio, 'add-2', 'input', 'a'))
  await expect(links(studio)).toHaveCount(5)
  await drag(
    studio,
    socket(studio, 'add-2', 'output', 'y'),
    socket(studio, 'add-1', 'input', 'a'),
    false,
  )
  await expect(refusal).toContainText('loop')
  await studio.mouse.up()
  await expect(links(studio)).toHaveCount(5)
  // The canvas recorded no edit for any refused drop.
  await expectUndo(studio, /Undo Connect/)
})

test('move, delete, duplicate and select all are each one undo step', async ({ studio }) => {
  const before = await positions(studio)
  const title = await centreOf(node(studio, 'tanh-1').getByTestId('node-title'))
  await studio.mouse.move(title.x, title.y)
  await studio.mouse.down()
  await studio.mouse.move(title.x + 40, title.y + 140, { steps: 8 })
  await studio.mouse.up()
  const moved = await positions(studio)
  expect(moved['tanh-1']).not.toBe(before['tanh-1'])
  expect(moved['dense-1']).toBe(before['dense-1'])
  await studio.keyboard.press('Control+z')
  await expect.poll(() => positions(studio)).toEqual(before)
  await studio.keyboard.press('Control+Shift+z')
  await expect.poll(() => positions(studio)).toEqual(moved)

  // Arrow keys nudge the selection (Shift: further), one step each.
  await node(studio, 'softmax-1').getByTestId('node-title').click()
  const start = (await positions(studio))['softmax-1']
  await studio.keyboard.press('ArrowRight')
  await expect.poll(async () => (await positions(studio))['softmax-1']).not.toBe(start)
  await studio.keyboard.press('Control+z')
  await expect.poll(async () => (await positions(studio))['softmax-1']).toBe(start)
  await expect.poll(() => positions(studio)).toEqual(moved)

  // Delete takes the node and its connections; undo brings all back.
  await node(studio, 'dense-2').getByTestId('node-title').click()
  await expect(node(studio, 'dense-2')).toHaveClass(/selected/)
  await studio.keyboard.press('Delete')
  await expect(nodes(studio)).toHaveCount(4)
  await expect(links(studio)).toHaveCount(2)
  await studio.keyboard.press('Control+z')
  await expect(nodes(studio)).toHaveCount(5)
  await expect(links(studio)).toHaveCount(4)

  // Duplicate two wired nodes: copies of both and of the link between them.
  await node(studio, 'dense-1').getByTestId('node-title').click()
  await node(studio, 'tanh-1')
    .getByTestId('node-title')
    .click({ modifiers: ['Control'] })
  await studio.keyboard.press('Control+d')
  await expect(nodes(studio)).toHaveCount(7)
  await expect(node(studio, 'dense-3')).toHaveClass(/selected/)
  await expect(node(studio, 'tanh-2')).toHaveClass(/selected/)
  await expect(links(studio)).toHaveCount(5)
  await studio.keyboard.press('Control+z')
  await expect(nodes(studio)).toHaveCount(5)

  // Select all, then Backspace: an empty canvas; one undo brings the whole graph back.
  await canvas(studio).click({ position: { x: 60, y: 460 } })
  await studio.keyboard.press('Control+a')
  await expect(studio.locator('[data-testid="node"].selected')).toHaveCount(5)
  await studio.keyboard.press('Backspace')
  await expect(nodes(studio)).toHaveCount(0)
  await studio.keyboard.press('Control+z')
  await expect(nodes(studio)).toHaveCount(5)
  await expect.poll(() => positions(studio)).toEqual(moved)
})

test('box selection with Shift-drag selects the nodes it touches', async ({ studio }) => {
  const a = await node(studio, 'dense-1').boundingBox()
  const b = await node(studio, 'tanh-1').boundingBox()
  if (!a || !b) throw new Error('no nodes')
  await studio.keyboard.down('Shift')
  await studio.mouse.move(a.x + 20, a.y - 30)
  await studio.mouse.down()
  await studio.mouse.move(b.x + b.width - 20, b.y + b.height + 30, { steps: 6 })
  await studio.mouse.up()
  await studio.keyboard.up('Shift')
  const selected = studio.locator('[data-testid="node"].selected')
  await expect(selected).toHaveCount(2)
  await expect(node(studio, 'dense-1')).toHaveClass(/selected/)
  await expect(node(studio, 'tanh-1')).toHaveClass(/selected/)
  // A click on empty canvas clears the selection.
  await canvas(studio).click({ position: { x: 60, y: 460 } })
  await expect(selected).toHaveCount(0)
})

test('the context menu adds at the pointer and deletes or duplicates a node', async ({
  studio,
}) => {
  await addFromMenu(studio, 300, 420, ['Add layer', 'Activations', 'ReLU'])
  const relu = node(studio, 'relu-1')
  await expect(relu).toBeVisible()
  const box = await canvas(studio).boundingBox()
  const placed = await relu.boundingBox()
  if (!box || !placed) throw new Error('no boxes')
  // Centred on the pointer.
  expect(Math.abs(placed.x + placed.width / 2 - (box.x + 300))).toBeLessThan(12)

  await relu.getByTestId('node-title').click({ button: 'right' })
  await studio.getByRole('menuitem', { name: 'Duplicate' }).click()
  await expect(node(studio, 'relu-2')).toBeVisible()
  await node(studio, 'relu-2').getByTestId('node-title').click({ button: 'right' })
  await studio.getByRole('menuitem', { name: 'Delete' }).click()
  await expect(node(studio, 'relu-2')).toHaveCount(0)
  // The keyboard reaches the menu too.
  const spot = { x: box.x + 80, y: box.y + 440 }
  await studio.mouse.click(spot.x, spot.y, { button: 'right' })
  await expect(studio.getByRole('menuitem', { name: 'Add layer' })).toBeFocused()
  await studio.keyboard.press('Escape')
  await expect(studio.getByTestId('context-menu')).toHaveCount(0)
})

test('a layer dropped from the palette lands at the drop point', async ({ studio }) => {
  const box = await canvas(studio).boundingBox()
  if (!box) throw new Error('no canvas')
  const at = { x: box.x + 260, y: box.y + 430 }
  await dropLayer(studio, 'sigmoid', at)
  const added = node(studio, 'sigmoid-1')
  await expect(added).toBeVisible()
  const placed = await centreOf(added)
  expect(Math.abs(placed.x - at.x)).toBeLessThan(12)
  await expectUndo(studio, /Undo Add Sigmoid/)
})

test('auto-arrange moves nodes as one step; F fits the graph into view', async ({ studio }) => {
  await addFromMenu(studio, 120, 430, ['Add layer', 'Activations', 'ReLU'])
  await drag(
    studio,
    socket(studio, 'dense-2', 'output', 'y'),
    socket(studio, 'relu-1', 'input', 'x'),
  )
  await expect(links(studio)).toHaveCount(5)
  const before = await positions(studio)
  await toolbar(studio).getByRole('button', { name: 'Auto-arrange' }).click()
  await expect.poll(() => positions(studio)).not.toEqual(before)
  const arranged = await positions(studio)
  await expectUndo(studio, /Undo Auto-arrange/)
  await studio.keyboard.press('Control+z')
  await expect.poll(() => positions(studio)).toEqual(before)
  await studio.keyboard.press('Control+y')
  await expect.poll(() => positions(studio)).toEqual(arranged)

  // Zoom far out with the wheel, then F brings every node back into view.
  const zoom = toolbar(studio).getByTestId('canvas-zoom')
  await canvas(studio).hover({ position: { x: 40, y: 60 } })
  for (let i = 0; i < 8; i++) await studio.mouse.wheel(0, 400)
  await expect.poll(async () => parseInt((await zoom.textContent()) ?? '0', 10)).toBeLessThan(30)
  await canvas(studio).click({ position: { x: 40, y: 60 } })
  await studio.keyboard.press('f')
  await expect.poll(async () => parseInt((await zoom.textContent()) ?? '0', 10)).toBeGreaterThan(40)
  const view = await canvas(studio).boundingBox()
  if (!view) throw new Error('no canvas')
  for (const id of ['input-1', 'softmax-1', 'relu-1']) {
    const b = await node(studio, id).boundingBox()
    expect(b && b.x >= view.x && b.x + b.width <= view.x + view.width).toBe(true)
  }
})
