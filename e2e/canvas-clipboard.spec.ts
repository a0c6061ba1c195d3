// The canvas's clipboard and frames: copy and paste through the system clipboard (or inside the
// page when it is denied), frames that group nodes, and a round trip of the whole graph.
import { expect, test } from './fixtures'
import {
  canvas,
  collapseDock,
  expectDefaultGraph,
  expectUndo,
  grantClipboard,
  node,
  nodes,
  positions,
} from './studio.page'

test.beforeEach(async ({ studio }) => {
  await expectDefaultGraph(studio)
  await collapseDock(studio)
})

test('copy and paste through the system clipboard; foreign text is refused', async ({
  studio,
  server,
}) => {
  await grantClipboard(studio, server.origin)
  await node(studio, 'dense-1').getByTestId('node-title').click()
  await studio.keyboard.press('Control+c')
  await expect
    .poll(() => studio.evaluate(() => navigator.clipboard.readText()))
    .toContain('"format":"dendrite.fragment"')
  await canvas(studio).hover({ position: { x: 200, y: 440 } })
  await studio.keyboard.press('Control+v')
  await expect(node(studio, 'dense-3')).toBeVisible()
  await expect(node(studio, 'dense-3').getByTestId('node-title')).toHaveText('Dense')
  await expectUndo(studio, /Undo Paste Dense/)

  await studio.evaluate(() => navigator.clipboard.writeText('just some words'))
  await studio.keyboard.press('Control+v')
  await expect(studio.getByRole('status').filter({ hasText: 'no Dendrite layers' })).toBeVisible()
  await expect(nodes(studio)).toHaveCount(6)
})

test('with the clipboard denied, copy and paste still work inside the page', async ({ studio }) => {
  await node(studio, 'tanh-1').getByTestId('node-title').click()
  await studio.keyboard.press('Control+c')
  await studio.keyboard.press('Control+v')
  await expect(node(studio, 'tanh-2')).toBeVisible()
})

test('frames group nodes, keep their label, move their nodes and survive undo', async ({
  studio,
}) => {
  await node(studio, 'dense-1').getByTestId('node-title').click()
  await node(studio, 'tanh-1')
    .getByTestId('node-title')
    .click({ modifiers: ['Shift'] })
  await studio.keyboard.press('Control+g')
  const frame = studio.getByTestId('frame')
  await expect(frame).toHaveCount(1)
  const label = frame.getByTestId('frame-label')
  await expect(label).toBeFocused()
  await studio.keyboard.type('Hidden layer')
  await studio.keyboard.press('Enter')
  await expect(label).toHaveValue('Hidden layer')
  // The frame is drawn around its nodes.
  const f = await frame.boundingBox()
  for (const id of ['dense-1', 'tanh-1']) {
    const b = await node(studio, id).boundingBox()
    if (!f || !b) throw new Error('no boxes')
    expect(b.x > f.x && b.y > f.y && b.x + b.width < f.x + f.width).toBe(true)
    expect(b.y + b.height < f.y + f.height).toBe(true)
  }
  await studio.screenshot({ path: 'test-results/canvas/frame.png' })

  // Dragging the frame's header moves its nodes, as one step.
  const before = await positions(studio)
  const head = await frame.boundingBox()
  if (!head) throw new Error('no frame')
  await studio.mouse.move(head.x + head.width * 0.7, head.y + 12)
  await studio.mouse.down()
  await studio.mouse.move(head.x + head.width * 0.7 + 30, head.y + 100, { steps: 6 })
  await studio.mouse.up()
  const after = await positions(studio)
  expect(after['dense-1']).not.toBe(before['dense-1'])
  expect(after['tanh-1']).not.toBe(before['tanh-1'])
  expect(after['input-1']).toBe(before['input-1'])
  await studio.keyboard.press('Control+z')
  await expect.poll(() => positions(studio)).toEqual(before)

  // Undo the rename, then the frame; redo brings both back.
  await studio.keyboard.press('Control+z')
  await expect(label).toHaveValue('Group')
  await studio.keyboard.press('Control+z')
  await expect(frame).toHaveCount(0)
  await studio.keyboard.press('Control+Shift+z')
  await studio.keyboard.press('Control+Shift+z')
  await expect(frame.getByTestId('frame-label')).toHaveValue('Hidden layer')
  // Deleting one of its nodes keeps the frame around the other.
  await node(studio, 'tanh-1').getByTestId('node-title').click()
  await studio.keyboard.press('Delete')
  await expect(frame).toHaveCount(1)
  await studio.getByRole('button', { name: 'Remove frame Hidden layer' }).click()
  await expect(frame).toHaveCount(0)
})

test('the graph round-trips through the clipboard with positions and frames', async ({
  studio,
  server,
}) => {
  await grantClipboard(studio, server.origin)
  await node(studio, 'dense-1').getByTestId('node-title').click()
  await node(studio, 'tanh-1')
    .getByTestId('node-title')
    .click({ modifiers: ['Control'] })
  await studio.keyboard.press('Control+g')
  await studio.keyboard.type('Block')
  await studio.keyboard.press('Enter')
  await canvas(studio).click({ position: { x: 60, y: 460 } })
  const readClipboard = () => studio.evaluate(() => navigator.clipboard.readText())
  await studio.keyboard.press('Control+a')
  await studio.keyboard.press('Control+c')
  await expect.poll(readClipboard).toContain('"Block"')
  const first = JSON.parse(await readClipboard()) as Fragment
  await studio.keyboard.press('Delete')
  await expect(nodes(studio)).toHaveCount(0)
  await canvas(studio).hover({ position: { x: 300, y: 300 } })
  await studio.keyboard.press('Control+v')
  await expect(nodes(studio)).toHaveCount(5)
  await expect(studio.getByTestId('frame-label')).toHaveValue('Block')
  await studio.keyboard.press('Control+c')
  await expect.poll(readClipboard).not.toBe(JSON.stringify(first))
  const second = JSON.parse(await readClipboard()) as Fragment
  expect(normalise(second)).toEqual(normalise(first))
})

type Fragment = {
  nodes: { id: string; position: { x: number; y: number } }[]
  edges: { source: unknown; target: unknown }[]
  frames: { label: string; nodes: string[] }[]
}

/** A fragment without edge ids and with positions relative to its top-left node. */
function normalise(f: Fragment): unknown {
  const left = Math.min(...f.nodes.map((n) => n.position.x))
  const top = Math.min(...f.nodes.map((n) => n.position.y))
  return {
    nodes: f.nodes.map((n) => ({
      ...n,
      position: { x: Math.round(n.position.x - left), y: Math.round(n.position.y - top) },
    })),
    edges: f.edges.map((e) => [e.source, e.target]),
    frames: f.frames.map((fr) => [fr.label, fr.nodes]),
  }
}
