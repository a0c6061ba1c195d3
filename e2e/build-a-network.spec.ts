// Issue 4's scenario, as a new user works: start empty, drag Input, Dense, ReLU, Dense and a
// cross-entropy loss from the palette, wire them with the pointer, set units in the inspector,
// watch shapes and parameter counts, read why a wrong connection is refused, undo and redo,
// auto-arrange, copy and paste a node, save a screenshot, and reopen the graph from its JSON.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import {
  canvas,
  drag as wire,
  grantClipboard,
  links,
  node,
  paletteItem,
  socket,
} from './studio.page'

async function fromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  await paletteItem(page, type).dragTo(canvas(page), { targetPosition: { x, y } })
}

/** The canvas's graph as the clipboard carries it, positions made relative. */
async function copyAll(page: Page): Promise<unknown> {
  await node(page, 'input-1').getByTestId('node-title').click()
  await page.keyboard.press('Control+a')
  await page.keyboard.press('Control+c')
  const text = await page.evaluate(() => navigator.clipboard.readText())
  const f = JSON.parse(text) as {
    nodes: { id: string; type: string; attrs: unknown; position: { x: number; y: number } }[]
    edges: { source: unknown; target: unknown }[]
  }
  const left = Math.min(...f.nodes.map((n) => n.position.x))
  const top = Math.min(...f.nodes.map((n) => n.position.y))
  return {
    nodes: f.nodes.map((n) => [
      n.type,
      n.attrs,
      Math.round(n.position.x - left),
      Math.round(n.position.y - top),
    ]),
    edges: f.edges.length,
  }
}

test('a new user builds, checks and edits a network on the canvas', async ({ studio, server }) => {
  test.setTimeout(120_000)
  await grantClipboard(studio, server.origin)
  await studio.getByRole('button', { name: 'Samples', exact: true }).click()
  await studio.getByRole('button', { name: /New empty project/ }).click()
  await expect(studio.getByTestId('node')).toHaveCount(0)

  const layers: [string, string][] = [
    ['input', 'input-1'],
    ['dense', 'dense-1'],
    ['relu', 'relu-1'],
    ['dense', 'dense-2'],
    ['softmax-cross-entropy', 'softmax-cross-entropy-1'],
  ]
  for (const [i, [type, id]] of layers.entries()) {
    await fromPalette(studio, type, 90 + i * 150, 120 + (i % 2) * 160)
    await expect(node(studio, id)).toBeVisible()
  }
  for (let i = 1; i < layers.length; i++) {
    const from = layers[i - 1]?.[1] ?? ''
    const to = layers[i]?.[1] ?? ''
    await wire(studio, socket(studio, from, 'output', 'y'), socket(studio, to, 'input', 'x'))
    await expect(links(studio)).toHaveCount(i)
  }
  // Dense 8 after 2 inputs: 2·8 + 8 parameters; the second Dense still has 8 units.
  await expect(node(studio, 'dense-1').getByTestId('node-params')).toHaveText('24 parameters')
  await expect(node(studio, 'dense-2').getByTestId('node-params')).toHaveText('72 parameters')

  // Two classes: the inspector sets the second Dense to 2 units.
  await node(studio, 'dense-2').getByTestId('node-title').click()
  const units = studio.getByTestId('inspector').getByLabel('Units')
  await units.fill('2')
  await units.press('Enter')
  await expect(node(studio, 'dense-2').getByTestId('node-shape')).toHaveText('2')
  await expect(node(studio, 'dense-2').getByTestId('node-params')).toHaveText('18 parameters')
  await expect(studio.getByTestId('status-params')).toContainText('42')

  // A wrong connection is refused while dragging, with the reason at the pointer.
  await wire(
    studio,
    socket(studio, 'relu-1', 'output', 'y'),
    socket(studio, 'dense-1', 'input', 'x'),
    false,
  )
  await expect(studio.getByTestId('connection-refusal')).toContainText('already has a connection')
  await studio.mouse.up()
  await expect(links(studio)).toHaveCount(4)

  // Undo and redo each step: the units, then the last link.
  await node(studio, 'input-1').getByTestId('node-title').click()
  await studio.keyboard.press('Control+z')
  await expect(node(studio, 'dense-2').getByTestId('node-params')).toHaveText('72 parameters')
  await studio.keyboard.press('Control+z')
  await expect(links(studio)).toHaveCount(3)
  await studio.keyboard.press('Control+Shift+z')
  await expect(links(studio)).toHaveCount(4)
  await studio.keyboard.press('Control+Shift+z')
  await expect(node(studio, 'dense-2').getByTestId('node-params')).toHaveText('18 parameters')

  await studio
    .getByRole('toolbar', { name: 'Canvas' })
    .getByRole('button', { name: 'Auto-arrange' })
    .click()
  await expect(
    studio.getByRole('toolbar', { name: 'Canvas' }).getByRole('button', { name: 'Undo' }),
  ).toHaveAttribute('title', /Auto-arrange/)

  // Copy and paste a node.
  await node(studio, 'relu-1').getByTestId('node-title').click()
  await studio.keyboard.press('Control+c')
  await canvas(studio).hover({ position: { x: 400, y: 420 } })
  await studio.keyboard.press('Control+v')
  await expect(studio.getByTestId('node')).toHaveCount(6)
  await expect(node(studio, 'relu-2')).toBeVisible()
  await studio.screenshot({ path: 'test-results/build-a-network.png' })

  // Reopen from its JSON: the same canvas.
  const before = await copyAll(studio)
  await studio.getByRole('button', { name: 'Samples', exact: true }).click()
  await studio.getByRole('button', { name: /New empty project/ }).click()
  // The edits are unsaved: the studio asks first, as File ▸ New does.
  await studio.getByTestId('unsaved-dialog').getByRole('button', { name: "Don't Save" }).click()
  await expect(studio.getByTestId('node')).toHaveCount(0)
  await canvas(studio).click({ position: { x: 300, y: 300 } })
  await studio.keyboard.press('Control+v')
  await expect(studio.getByTestId('node')).toHaveCount(6)
  await expect(links(studio)).toHaveCount(4)
  expect(await copyAll(studio)).toEqual(before)
})
