// Exports from the UI in browser mode reach real clients: train the XOR sample briefly, export
// safetensors and ONNX (downloads), read them with the engine's own readers, and run the ONNX
// file in onnxruntime-node. Its predictions match the engine's CPU inference with the exported
// weights, and its test-set loss and accuracy are the ones the studio's evaluate reported.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import * as ort from 'onnxruntime-node'
import { COUNT, predict } from '../engine/io/export-cases-node'
import { compareWeights, expectedWeights } from '../engine/io/import-weights'
import { loadDataset } from '../engine/io/load-data-node'
import { ONNX_OUTPUT } from '../engine/io/onnx'
import { weightsGraph } from '../engine/io/project-file'
import { parseProjectText } from '../engine/io/project-json'
import { readSafetensors } from '../engine/io/safetensors'
import { expect, test } from './fixtures'

const dir = resolve(import.meta.dirname, '../test-results/export-clients')
const sample = resolve(import.meta.dirname, '../assets/examples/xor.json')

async function exportDownload(page: Page, item: string): Promise<string> {
  const downloading = page.waitForEvent('download')
  await page.getByTestId('file-menu').click()
  await page.getByRole('menuitem', { name: 'Export', exact: true }).click()
  await page.getByRole('menuitem', { name: item, exact: true }).click()
  const download = await downloading
  const path = resolve(dir, download.suggestedFilename())
  await download.saveAs(path)
  return path
}

/** The Runs row's final loss and accuracy, as the studio's evaluate on the test set gave them. */
async function studioTestMetrics(page: Page): Promise<{ loss: number; accuracy: number }> {
  await page.getByRole('tab', { name: 'Runs', exact: true }).click()
  const cells = page.getByTestId('run-row').first().locator('td')
  const loss = Number((await cells.nth(4).textContent())?.trim())
  const accuracy = Number.parseFloat((await cells.nth(5).textContent()) ?? '') / 100
  return { loss, accuracy }
}

/** Mean softmax cross-entropy and accuracy of logits [n, classes] against class indices. */
function crossEntropy(logits: Float32Array, y: Float32Array, classes: number) {
  let loss = 0
  let right = 0
  for (let i = 0; i < y.length; i++) {
    const row = Array.from(logits.subarray(i * classes, (i + 1) * classes))
    const top = Math.max(...row)
    const sum = row.reduce((s, v) => s + Math.exp(v - top), 0)
    loss += top + Math.log(sum) - (row[y[i] ?? 0] ?? 0)
    if (row.indexOf(top) === y[i]) right++
  }
  return { loss: loss / y.length, accuracy: right / y.length }
}

test('safetensors and ONNX exported from the UI give the studio’s predictions', async ({
  studio,
}) => {
  test.setTimeout(90_000)
  await studio.getByRole('tab', { name: 'Data', exact: true }).click()
  await studio.getByLabel('Sample project').selectOption('xor')
  await studio.getByRole('button', { name: 'Open sample' }).click()
  await studio.getByRole('tab', { name: 'Training', exact: true }).click()
  const epochs = studio.getByTestId('setting-epochs')
  await epochs.fill('15')
  await epochs.press('Tab')
  await studio.getByRole('button', { name: 'Train' }).click()
  await expect(studio.getByTestId('train-state')).toHaveText('Done', { timeout: 30_000 })
  const reported = await studioTestMetrics(studio)

  // The engine's own reader: tensors named and shaped as the graph in the metadata says.
  const weightsFile = readSafetensors(
    readFileSync(await exportDownload(studio, 'Weights (safetensors)…')),
  )
  if (!weightsFile.ok) throw new Error(JSON.stringify(weightsFile.errors))
  const described = weightsGraph(weightsFile.file)
  if (!described.ok) throw new Error(described.errors.join('\n'))
  const graph = described.graph
  const tensors = weightsFile.file.tensors
  expect(compareWeights(expectedWeights(graph), tensors)).toBeNull()
  expect(tensors['dense1.weight']?.shape).toEqual([4, 2])
  const xor = parseProjectText(readFileSync(sample, 'utf8'))
  if (!xor.ok) throw new Error(xor.errors.join('\n'))
  expect(graph.nodes.map((n) => n.id)).toEqual(xor.project.graph.nodes.map((n) => n.id))

  const onnxPath = await exportDownload(studio, 'ONNX model…')
  // The same data the studio made from the sample's recipe (generated from its seed).
  const data = await loadDataset(xor.project.data, sample)
  if (!data.ok) throw new Error('the XOR data set did not load')
  const split = data.dataset.test
  const session = await ort.InferenceSession.create(onnxPath)
  const run = async (x: Float32Array, n: number) => {
    const feeds = { [session.inputNames[0] ?? '']: new ort.Tensor('float32', x, [n, 2]) }
    return (await session.run(feeds))[ONNX_OUTPUT]?.data as Float32Array
  }

  // The engine's CPU inference with the downloaded weights, and ONNX Runtime, on 100 inputs.
  const first = split.x.slice(0, COUNT * 2)
  const engine = predict(graph, tensors, first)
  const onnx = await run(first, COUNT)
  expect(onnx.length).toBe(engine.length)
  const worst = Math.max(
    ...engine.map((v, i) => Math.abs(v - (onnx[i] ?? NaN)) / Math.max(1, Math.abs(v))),
  )
  expect(worst).toBeLessThanOrEqual(1e-5)

  // The whole test split through ONNX Runtime: the loss and accuracy the studio reported.
  const measured = crossEntropy(await run(split.x, split.count), split.y, 2)
  console.log(
    `export-clients: studio test loss ${reported.loss}, accuracy ${reported.accuracy}; ` +
      `onnxruntime ${measured.loss.toFixed(5)}, ${measured.accuracy.toFixed(4)}; ` +
      `max relative difference to the engine ${worst.toExponential(2)}`,
  )
  expect(Math.abs(measured.loss - reported.loss)).toBeLessThanOrEqual(0.006 * reported.loss + 1e-4)
  expect(Math.abs(measured.accuracy - reported.accuracy)).toBeLessThanOrEqual(0.0006)
  await session.release()
})
