// The sample lessons: the welcome strip at launch, the start screen with every sample, and each
// sample opening with its lesson shown and no errors from the engine.
import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { canvas, node, nodes, toolbar } from './studio.page'

interface SampleFile {
  name: string
  lesson: string
  graph: { nodes: unknown[] }
}

const dir = resolve(import.meta.dirname, '../assets/examples')
const samples = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as SampleFile) // our own files

type Box = { x: number; y: number; width: number; height: number }
const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
const inside = (a: Box, b: Box): boolean =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height

/** The ids of nodes not wholly in view: past the canvas's edges, under its toolbar or minimap. */
async function nodesOutOfView(page: Page): Promise<string[]> {
  const area = await canvas(page).boundingBox()
  const bar = await toolbar(page).boundingBox()
  const minimap = await page.locator('.minimap').boundingBox()
  if (!area || !bar || !minimap) throw new Error('the canvas is not drawn')
  const hidden: string[] = []
  for (const n of await nodes(page).all()) {
    const box = await n.boundingBox()
    if (!box || !inside(box, area) || overlaps(box, bar) || overlaps(box, minimap)) {
      hidden.push((await n.getAttribute('data-node-id')) ?? '?')
    }
  }
  return hidden
}

async function openStart(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Samples', exact: true }).click()
  await expect(page.getByRole('dialog', { name: 'Start' })).toBeVisible()
}

test('every sample opens in view, shows its lesson and validates without errors', async ({
  studio,
}) => {
  expect(samples.length).toBeGreaterThanOrEqual(6)
  await studio.getByTestId('dock-tab-problems').click()
  for (const sample of samples) {
    await openStart(studio)
    await expect(studio.getByTestId('sample-card')).toHaveCount(samples.length)
    await studio.getByRole('button', { name: `Open ${sample.name}`, exact: true }).click()
    await expect(studio.getByRole('dialog', { name: 'Start' })).toBeHidden()

    await expect(studio.getByTestId('project-name')).toHaveText(sample.name)
    await expect(studio.getByTestId('lesson')).toContainText(sample.lesson)
    await expect(studio.getByTestId('node')).toHaveCount(sample.graph.nodes.length)
    // Fitted into view, clear of the toolbar and the minimap that float over the canvas.
    await expect.poll(() => nodesOutOfView(studio)).toEqual([])
    await expect(studio.getByTestId('problems-panel').getByRole('status')).not.toHaveText(
      /Checking/,
    )
    await expect(studio.locator('[data-testid="problem"][data-severity="error"]')).toHaveCount(0)
    await expect(studio.getByTestId('status-problems')).not.toContainText('error')
  }
})

test('in a laptop’s 1280×720 window the samples still open wholly in view', async ({ studio }) => {
  await studio.setViewportSize({ width: 1280, height: 720 })
  await studio.reload()
  for (const name of ['Spiral', 'Activation zoo']) {
    await openStart(studio)
    await studio.getByRole('button', { name: `Open ${name}`, exact: true }).click()
    await expect(studio.getByTestId('project-name')).toHaveText(name)
    await expect.poll(() => nodesOutOfView(studio)).toEqual([])
  }
})

test('the two-linear-layers lesson’s hint marks the second Dense on the canvas', async ({
  studio,
}) => {
  await openStart(studio)
  await studio.getByRole('button', { name: 'Open Two linear layers are one' }).click()
  await expect(studio.getByTestId('lesson')).toContainText('marks the second Dense with a hint')
  const dense2 = node(studio, 'dense2')
  const badge = dense2.getByTestId('node-problem')
  await expect(badge).toHaveAttribute('data-severity', 'hint')
  await expect(badge).toContainText('Two Dense layers with no activation between them')
  await expect(badge.getByRole('img', { name: 'Hint' })).toBeVisible()
  await expect(dense2).toHaveClass(/worst-hint/)
  await expect(dense2).toHaveAttribute('title', /^Hint: Two Dense layers/)
  await expect(node(studio, 'dense1').getByTestId('node-problem')).toHaveCount(0)
  await expect(studio.getByTestId('status-problems')).toHaveText('1 hint')
})

test('the lesson can be dismissed and shown again', async ({ studio }) => {
  await openStart(studio)
  await studio.getByRole('button', { name: 'Open XOR needs a nonlinearity' }).click()
  const lesson = studio.getByTestId('lesson')
  await expect(lesson).toContainText('XOR cannot be split by one straight line')
  await lesson.getByRole('button', { name: 'Dismiss lesson' }).click()
  await expect(lesson).toHaveCount(0)
  await studio.getByRole('button', { name: 'Lesson' }).click()
  await expect(lesson).toBeVisible()
})

test('the welcome strip opens a lesson and stays away once dismissed', async ({ studio }) => {
  const welcome = studio.getByTestId('welcome')
  await expect(welcome).toBeVisible()
  await welcome.getByRole('button', { name: 'XOR needs a nonlinearity' }).click()
  await expect(studio.getByTestId('lesson')).toBeVisible()
  await expect(welcome).toHaveCount(0)

  await studio.reload()
  await expect(welcome).toBeVisible()
  await welcome.getByRole('button', { name: 'Dismiss welcome' }).click()
  await expect(welcome).toHaveCount(0)
  await studio.reload()
  await expect(studio.getByTestId('node')).toHaveCount(5)
  await expect(welcome).toHaveCount(0)
})

test('the start screen offers an empty project and the default graph', async ({ studio }) => {
  await openStart(studio)
  await studio.getByRole('button', { name: /New empty project/ }).click()
  await expect(studio.getByTestId('node')).toHaveCount(0)
  await expect(studio.getByTestId('project-name')).toHaveText('Untitled')
  await openStart(studio)
  await studio.keyboard.press('Escape')
  await expect(studio.getByRole('dialog', { name: 'Start' })).toBeHidden()
  await openStart(studio)
  await studio.getByRole('button', { name: /Default graph/ }).click()
  await expect(studio.getByTestId('node')).toHaveCount(5)
  await expect(studio.getByTestId('lesson')).toHaveCount(0)
})
