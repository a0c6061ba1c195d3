// Project files in browser mode, used as a person would: open a sample, train it briefly, save
// it (a download), reload the page, open the downloaded file, and find the same graph, settings,
// curves and weights; a corrupt file is refused with a message naming where, and what was open
// stays. The files are also read with the engine's own reader.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { readProjectFile } from '../engine/io/project-file'
import type { ProjectFile } from '../engine/io/project-file'
import { writeSafetensors } from '../engine/io/safetensors'
import { readZip, writeZip } from '../engine/io/zip'
import { expect, test } from './fixtures'
import { canvas } from './studio.page'

const dir = resolve(import.meta.dirname, '../test-results/project-file')
const NAME = 'XOR needs a nonlinearity'

async function showTab(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click()
}

async function setField(field: Locator, value: string): Promise<void> {
  await field.fill(value)
  await field.press('Tab')
}

async function fileMenu(page: Page, ...path: string[]): Promise<void> {
  await page.getByTestId('file-menu').click()
  for (const name of path) await page.getByRole('menuitem', { name, exact: true }).click()
}

/** Saves (menu or keys); the download is kept as test-results/project-file/<folder>/<name>. */
async function saveDownload(page: Page, folder: string, how: () => Promise<void>): Promise<string> {
  const downloading = page.waitForEvent('download')
  await how()
  const download = await downloading
  expect(download.suggestedFilename()).toBe(`${NAME}.dendrite`)
  const path = resolve(dir, folder, download.suggestedFilename())
  await download.saveAs(path)
  return path
}

async function openFile(page: Page, path: string): Promise<void> {
  const choosing = page.waitForEvent('filechooser')
  await fileMenu(page, 'Open…')
  await (await choosing).setFiles(path)
}

/** What the canvas shows of the graph: each node's id, type and shape badge. */
async function graphOnCanvas(page: Page): Promise<string[]> {
  const nodes = page.getByTestId('node')
  await expect(nodes.first()).toBeVisible()
  return nodes.evaluateAll((els) =>
    els
      .map((el) => {
        const shape = el.querySelector('[data-testid="node-shape"]')?.textContent ?? ''
        return `${el.getAttribute('data-node-id')}:${el.getAttribute('data-node-type')}:${shape}`
      })
      .sort(),
  )
}

async function runRows(page: Page): Promise<string[]> {
  await showTab(page, 'Runs')
  return page
    .getByTestId('run-row')
    .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim()))
}

function opened(path: string): ProjectFile {
  const read = readProjectFile(readFileSync(path))
  if (!read.ok) throw new Error(read.errors.join('\n'))
  return read.file
}

function weightBytes(file: ProjectFile): Uint8Array | null {
  const w = file.weights
  return w ? writeSafetensors(w.tensors, w.metadata) : null
}

/** The saved file with graph.nodes[1].type made a number: a valid zip, a bad document. */
function corrupted(path: string): string {
  const zip = readZip(readFileSync(path))
  if (!zip.ok) throw new Error('the saved file is not a zip')
  const entries = [...zip.entries].map(([name, data]) => {
    if (name !== 'project.json') return { name, data }
    const doc = JSON.parse(new TextDecoder().decode(data)) as {
      graph: { nodes: { type: unknown }[] }
    }
    const node = doc.graph.nodes[1]
    if (node) node.type = 42
    return { name, data: new TextEncoder().encode(JSON.stringify(doc)) }
  })
  const out = resolve(dir, 'corrupt.dendrite')
  writeFileSync(out, writeZip(entries))
  return out
}

/**
 * A canvas's own pixels, as a data URL: unlike a screenshot, untouched by where the dock's
 * scrolling puts the canvas against its frame's rounded corners.
 */
const pixelsOf = (canvas: Locator): Promise<string> =>
  canvas.evaluate((el) => (el as HTMLCanvasElement).toDataURL()) // the locator names a <canvas>

/** A canvas's pixels once they have stayed the same for a second and a half. */
async function settledPicture(canvas: Locator): Promise<string> {
  let last = await pixelsOf(canvas)
  let same = 0
  for (let i = 0; i < 60 && same < 3; i++) {
    await new Promise((r) => setTimeout(r, 500))
    const next = await pixelsOf(canvas)
    same = next === last ? same + 1 : 0
    last = next
  }
  if (same < 3) throw new Error('the picture never settled')
  return last
}

test('save, reload, open: the same graph, settings, curves and weights come back', async ({
  studio,
}) => {
  test.setTimeout(90_000)
  mkdirSync(dir, { recursive: true })
  await studio.getByRole('tab', { name: 'Data', exact: true }).click()
  await studio.getByLabel('Sample project').selectOption('xor')
  await studio.getByRole('button', { name: 'Open sample' }).click()
  await expect(studio.getByTestId('project-name')).toHaveText(NAME)

  await showTab(studio, 'Training')
  await setField(studio.getByTestId('setting-epochs'), '12')
  await setField(studio.getByTestId('setting-lr'), '0.03')
  await studio.getByRole('button', { name: 'Train' }).click()
  await expect(studio.getByTestId('train-state')).toHaveText('Done', { timeout: 30_000 })
  await expect(studio.getByTestId('project-dirty')).toBeVisible()
  await expect(studio).toHaveTitle(`${NAME} • — Dendrite`)

  // Zoomed in off the fitted view: the file keeps where the canvas looked.
  const zoom = studio.getByTestId('canvas-zoom')
  const fitted = await zoom.textContent()
  await canvas(studio).hover({ position: { x: 60, y: 80 } })
  for (let i = 0; i < 3; i++) await studio.mouse.wheel(0, -200)
  await expect(zoom).not.toHaveText(fitted ?? '')
  const zoomed = await zoom.textContent()

  const graph = await graphOnCanvas(studio)
  const runs = await runRows(studio)
  expect(runs).toHaveLength(1)
  // The trained decision boundary: the same picture again means the same weights in the engine.
  await showTab(studio, 'Heatmaps')
  const boundary = studio.getByTestId('decision-boundary')
  await expect(boundary).toBeVisible()
  // The tab asks for a fresh picture when it opens: wait until it has the final weights' one.
  const trained = await settledPicture(boundary)
  const first = await saveDownload(studio, 'first', () => fileMenu(studio, 'Save'))
  await expect(studio.getByTestId('project-dirty')).toHaveCount(0)
  await expect(studio).toHaveTitle(`${NAME}.dendrite — Dendrite`)

  const saved = opened(first)
  expect(saved.project.training.epochs).toBe(12)
  expect(saved.project.runs?.[0]?.curve.length).toBeGreaterThanOrEqual(2)
  expect(saved.project.runs?.[0]?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  expect(weightBytes(saved)).not.toBeNull()
  expect(`${Math.round((saved.project.view?.zoom ?? 0) * 100)}%`).toBe(zoomed)

  // A fresh page: the default graph, no runs.
  await studio.reload()
  await expect(studio.getByTestId('node')).toHaveCount(5)
  await expect(studio.getByTestId('project-name')).toHaveText('Untitled')

  await openFile(studio, first)
  await expect(studio.getByTestId('project-name')).toHaveText(NAME)
  await expect(studio).toHaveTitle(`${NAME}.dendrite — Dendrite`)
  // Shapes come back from the engine a moment after the graph is drawn.
  await expect.poll(() => graphOnCanvas(studio)).toEqual(graph)
  await expect(zoom).toHaveText(zoomed ?? '')
  await showTab(studio, 'Training')
  await expect(studio.getByTestId('setting-epochs')).toHaveValue('12')
  await expect(studio.getByTestId('setting-lr')).toHaveValue('0.03')
  expect(await runRows(studio)).toEqual(runs)
  await expect(studio.getByTestId('project-dirty')).toHaveCount(0)
  await showTab(studio, 'Heatmaps')
  await expect
    .poll(async () => (await pixelsOf(boundary)) === trained, { timeout: 30_000 })
    .toBe(true)
  await expect(studio.getByTestId('notice')).toHaveCount(0)

  // Saved again untouched: the same document and byte-identical weights.
  const second = await saveDownload(studio, 'second', () => fileMenu(studio, 'Save As…'))
  const again = opened(second)
  expect(again.project).toEqual(saved.project)
  expect(weightBytes(again)).toEqual(weightBytes(saved))

  // The project moves to other data: the run still names the data it was trained on.
  await showTab(studio, 'Data')
  await studio.getByLabel('Data set', { exact: true }).selectOption('circle')
  await expect(studio.getByTestId('data-summary')).toContainText('circle')
  const third = await saveDownload(studio, 'third', () => fileMenu(studio, 'Save'))
  expect(opened(third).project.data).toMatchObject({ kind: 'builtin', name: 'circle' })
  await studio.reload()
  await expect(studio.getByTestId('project-name')).toHaveText('Untitled')
  await openFile(studio, third)
  await expect(studio.getByTestId('project-name')).toHaveText(NAME)
  expect(await runRows(studio)).toEqual(runs)
})

test('a corrupt file is refused with where it is wrong, and the open project stays', async ({
  studio,
}) => {
  mkdirSync(dir, { recursive: true })
  await studio.getByRole('tab', { name: 'Data', exact: true }).click()
  await studio.getByLabel('Sample project').selectOption('xor')
  await studio.getByRole('button', { name: 'Open sample' }).click()
  await expect(studio.getByTestId('project-name')).toHaveText(NAME)
  const good = await saveDownload(studio, 'good', () => studio.keyboard.press('Control+s'))
  const bad = corrupted(good)
  const truncated = resolve(dir, 'truncated.dendrite')
  writeFileSync(truncated, readFileSync(good).subarray(0, 300))

  // Unsaved changes: opening asks first; Cancel keeps everything as it is.
  await showTab(studio, 'Training')
  await setField(studio.getByTestId('setting-lr'), '0.07')
  await expect(studio.getByTestId('project-dirty')).toBeVisible()
  const graph = await graphOnCanvas(studio)
  await fileMenu(studio, 'Open…')
  const ask = studio.getByTestId('unsaved-dialog')
  await expect(ask).toContainText(`Save changes to ${NAME}.dendrite?`)
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toBeHidden()

  const message = studio.getByTestId('file-message')
  for (const [path, where] of [
    [bad, /project\.json: graph\.nodes\[1\]\.type/],
    [truncated, /zip: byte \d+: no zip end record/],
  ] as const) {
    const choosing = studio.waitForEvent('filechooser')
    await fileMenu(studio, 'Open…')
    await ask.getByRole('button', { name: "Don't Save" }).click()
    await (await choosing).setFiles(path)
    await expect(message).toContainText('cannot be opened')
    await expect(studio.getByTestId('file-message-lines')).toContainText(where)
    await message.getByRole('button', { name: 'OK' }).click()
    await expect(message).toBeHidden()
    // What was open stays, unsaved changes and all.
    await expect(studio.getByTestId('project-name')).toHaveText(NAME)
    await expect.poll(() => graphOnCanvas(studio)).toEqual(graph)
    await expect(studio.getByTestId('setting-lr')).toHaveValue('0.07')
    await expect(studio.getByTestId('project-dirty')).toBeVisible()
  }
})

/** Whether browser mode holds a recovery copy. */
const recoveryStored = (page: Page): Promise<boolean> =>
  page.evaluate(() => localStorage.getItem('dendrite.recovery') !== null)

/** A minute of unsaved changes (learning rate 0.042) on the page's fake clock: autosave keeps a copy. */
async function unsavedMinute(page: Page): Promise<void> {
  await page.clock.install()
  await page.reload()
  await showTab(page, 'Training')
  await setField(page.getByTestId('setting-lr'), '0.042')
  await expect(page.getByTestId('project-dirty')).toBeVisible()
  await page.clock.fastForward(61_000)
  await expect.poll(() => recoveryStored(page)).toBe(true)
}

test('after a crash the next start offers the autosaved project back', async ({
  studio,
  server,
}) => {
  await unsavedMinute(studio)

  // The tab is gone without saving; a new one finds the copy and offers it.
  const next = await studio.context().newPage()
  await next.goto(server.url)
  const notice = next.getByTestId('notice')
  await expect(notice).toContainText('kept unsaved work on “Untitled” from last time')
  await notice.getByRole('button', { name: 'Restore' }).click()
  await next.getByRole('tab', { name: 'Training', exact: true }).click()
  await expect(next.getByTestId('setting-lr')).toHaveValue('0.042')
  await expect(next.getByTestId('project-dirty')).toBeVisible()
  await expect(next).toHaveTitle('Untitled • — Dendrite')
  await next.close()
})

test('a recovery copy that could not be replaced is not offered as the latest', async ({
  studio,
  server,
}) => {
  await unsavedMinute(studio)
  const stored = () => recoveryStored(studio)

  // The next copy is over the storage quota: the first one must not pass for it.
  await studio.evaluate(() => {
    const setItem = Storage.prototype.setItem
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key === 'dendrite.recovery')
        throw new DOMException('over the quota', 'QuotaExceededError')
      setItem.call(this, key, value)
    }
  })
  await setField(studio.getByTestId('setting-lr'), '0.043')
  await studio.clock.fastForward(61_000)
  await expect(studio.getByTestId('notice')).toContainText('No recovery copy is kept')
  await expect.poll(stored).toBe(false)

  const next = await studio.context().newPage()
  await next.goto(server.url)
  await expect(next.getByTestId('node').first()).toBeVisible()
  await expect(next.getByTestId('notice')).toHaveCount(0)
  await next.close()
})

test('a JSON project opens as it is, and Save writes a .dendrite file of the same name', async ({
  studio,
}) => {
  mkdirSync(resolve(dir, 'json'), { recursive: true })
  const json = resolve(dir, 'json', 'my-net.json')
  writeFileSync(json, readFileSync(resolve(import.meta.dirname, '../assets/examples/xor.json')))
  await openFile(studio, json)
  await expect(studio.getByTestId('project-name')).toHaveText(NAME)
  await expect(studio.getByTestId('notice')).toContainText(
    'my-net.json is in an older format: Save leaves it as it is and writes my-net.dendrite.',
  )
  // Once the project has loaded (a Save while it opens is not taken).
  await showTab(studio, 'Training')
  await expect(studio.getByTestId('train-state')).toHaveText('Ready')
  const downloading = studio.waitForEvent('download')
  await studio.keyboard.press('Control+s')
  const download = await downloading
  expect(download.suggestedFilename()).toBe('my-net.dendrite')
  const saved = resolve(dir, 'json', download.suggestedFilename())
  await download.saveAs(saved)
  expect(opened(saved).project.name).toBe(NAME)
})
