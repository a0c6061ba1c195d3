// Exporting a model that has not trained, as Keras and PyTorch save one straight after it is
// built: the fresh default graph (no loss yet) exports its initial weights, and ONNX Runtime runs
// the file. A graph the engine cannot build says why, naming the node.
import { mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import * as ort from 'onnxruntime-node'
import { compareWeights, expectedWeights } from '../engine/io/import-weights'
import { ONNX_OUTPUT } from '../engine/io/onnx'
import { weightsGraph } from '../engine/io/project-file'
import { readSafetensors } from '../engine/io/safetensors'
import { expect, test } from './fixtures'
import { expectDefaultGraph, nodes, paletteItem } from './studio.page'

const dir = resolve(import.meta.dirname, '../test-results/export-untrained')

async function chooseExport(page: Page, item: string): Promise<void> {
  await page.getByTestId('file-menu').click()
  await page.getByRole('menuitem', { name: 'Export', exact: true }).click()
  await page.getByRole('menuitem', { name: item, exact: true }).click()
}

async function exportDownload(page: Page, item: string): Promise<string> {
  const downloading = page.waitForEvent('download')
  await chooseExport(page, item)
  const download = await downloading
  const path = resolve(dir, download.suggestedFilename())
  await download.saveAs(path)
  return path
}

test('the default graph, untrained and without a loss, exports its initial weights', async ({
  studio,
}) => {
  mkdirSync(dir, { recursive: true })
  await expectDefaultGraph(studio)
  const file = readSafetensors(readFileSync(await exportDownload(studio, 'Weights (safetensors)…')))
  if (!file.ok) throw new Error(JSON.stringify(file.errors))
  const described = weightsGraph(file.file)
  if (!described.ok) throw new Error(described.errors.join('\n'))
  expect(described.graph.nodes.map((n) => n.id)).toEqual([
    'input-1',
    'dense-1',
    'tanh-1',
    'dense-2',
    'softmax-1',
  ])
  expect(compareWeights(expectedWeights(described.graph), file.file.tensors)).toBeNull()
  // Initialised, not zeros: Dense's default initialiser draws its weights.
  const weights = Object.values(file.file.tensors).find((t) => t.shape.join() === '8,2')
  expect(weights?.data.some((v) => v !== 0)).toBe(true)

  const session = await ort.InferenceSession.create(await exportDownload(studio, 'ONNX model…'))
  const x = new ort.Tensor('float32', Float32Array.from([0.5, -1, 2, 0.25]), [2, 2])
  const out = (await session.run({ [session.inputNames[0] ?? '']: x }))[ONNX_OUTPUT]
  const p = Array.from(out?.data as Float32Array)
  expect(p).toHaveLength(4)
  // The model ends in Softmax: each row is a distribution.
  expect((p[0] ?? 0) + (p[1] ?? 0)).toBeCloseTo(1, 5)
  expect((p[2] ?? 0) + (p[3] ?? 0)).toBeCloseTo(1, 5)
  await expect(studio.getByTestId('file-message')).toBeHidden()
})

test('a graph the engine cannot build is not exported, and the message names why', async ({
  studio,
}) => {
  await expectDefaultGraph(studio)
  await paletteItem(studio, 'relu').dblclick()
  await expect(nodes(studio)).toHaveCount(6)
  await chooseExport(studio, 'Weights (safetensors)…')
  const message = studio.getByTestId('file-message')
  await expect(message).toContainText('Nothing to export')
  const lines = studio.getByTestId('file-message-lines')
  await expect(lines).toContainText('relu-1')
  await expect(lines).toContainText('not connected')
  await expect(lines).not.toContainText('load its data')
  await message.getByRole('button', { name: 'OK' }).click()
  await expect(message).toBeHidden()
})
