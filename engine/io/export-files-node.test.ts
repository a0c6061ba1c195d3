// Exports written to disk: real files in a temporary folder. Every format refuses weights that do
// not fit the graph (as an import of the file would), a write that fails part-way leaves the
// previous export whole and no temporary file, and a data set's standardisation reaches each.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chain } from '../graph/test-graphs'
import { FileWriteError } from './atomic-file-node'
import { randomWeights } from './export-cases-node'
import { exportFiles, writeExport } from './export-files-node'
import { ExportError } from './export-graph'
import { importWeights } from './import-weights'
import { modelProto } from './onnx-schema'
import { META_NORMALIZATION, readSafetensors } from './safetensors'

const repo = resolve(import.meta.dirname, '../..')

const mlp = chain([
  ['input', 'input', { shape: '3' }],
  ['dense1', 'dense', { units: 4 }],
  ['act', 'relu'],
  ['out', 'dense', { units: 2 }],
  ['loss', 'softmax-cross-entropy'],
])

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'dendrite-export-'))
}

async function refusal(write: Promise<unknown>): Promise<unknown> {
  return write.then(
    () => null,
    (e: unknown) => e,
  )
}

describe('writeExport', () => {
  it('writes each format, and its safetensors reads back into the same graph', async () => {
    const dir = folder()
    const weights = randomWeights(mlp, 1)
    for (const name of ['m.safetensors', 'm.onnx', 'mod.py']) {
      const written = await writeExport(join(dir, name), { graph: mlp, weights })
      expect(written).toEqual(exportFiles(join(dir, name)))
    }
    expect(readdirSync(dir).sort()).toEqual([
      'm.onnx',
      'm.safetensors',
      'mod.py',
      'mod.safetensors',
    ])
    for (const name of ['m.safetensors', 'mod.safetensors']) {
      expect(importWeights(mlp, readFileSync(join(dir, name))).ok).toBe(true)
    }
  })

  it('keeps a standardisation as safetensors metadata; ONNX and PyTorch apply it', async () => {
    const dir = folder()
    const weights = randomWeights(mlp, 1)
    const normalization = { mean: [1, 2, 3], std: [4, 5, 6] }
    for (const name of ['m.safetensors', 'm.onnx', 'mod.py']) {
      await writeExport(join(dir, name), { graph: mlp, weights, normalization })
    }
    for (const name of ['m.safetensors', 'mod.safetensors']) {
      const read = readSafetensors(readFileSync(join(dir, name)))
      if (!read.ok) throw new Error(name)
      expect(Object.keys(read.file.tensors).sort()).toEqual(Object.keys(weights).sort())
      expect(JSON.parse(read.file.metadata[META_NORMALIZATION] ?? '')).toEqual(normalization)
    }
    const onnx = readFileSync(join(dir, 'm.onnx'))
    const ops = modelProto().decode(onnx).toJSON() as { graph: { node: { opType: string }[] } }
    expect(ops.graph.node.slice(0, 2).map((n) => n.opType)).toEqual(['Sub', 'Div'])
    expect(readFileSync(join(dir, 'mod.py'), 'utf8')).toContain(
      'x = (x - self.input_mean) / self.input_std',
    )
  })

  it('refuses, in every format, weights that do not fit the graph, writing nothing', async () => {
    const dir = folder()
    const weights = randomWeights(mlp, 1)
    delete weights['out.bias']
    weights['dense1.weight'] = { shape: [3, 4], data: new Float32Array(12) }
    weights.junk = { shape: [3], data: new Float32Array(3) }
    for (const name of ['m.safetensors', 'm.onnx', 'm.py']) {
      const err = await refusal(writeExport(join(dir, name), { graph: mlp, weights }))
      expect(err, name).toBeInstanceOf(ExportError)
      expect((err as ExportError).problems).toEqual([
        'missing tensor "out.bias": the graph needs [2] (2)',
        'extra tensor "junk" [3] (3): the graph has no such slot',
        'tensor "dense1.weight" has shape [3, 4] (3×4); the graph needs [4, 3] (4×3)',
      ])
    }
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses, in every format, weights a diverged run left, naming the first bad value', async () => {
    const dir = folder()
    const weights = randomWeights(mlp, 1)
    weights['dense1.weight']?.data.set([NaN, NaN], 5)
    weights['out.bias']?.data.set([Infinity], 1)
    for (const name of ['m.safetensors', 'm.onnx', 'm.py']) {
      const err = await refusal(writeExport(join(dir, name), { graph: mlp, weights }))
      expect(err, name).toBeInstanceOf(ExportError)
      expect((err as ExportError).problems).toEqual([
        'dense1.weight: value [1, 2] (index 5) is NaN (and 1 more are not finite); a run that ' +
          'diverged leaves such weights: reset and train again before exporting',
        'out.bias: value 1 is Infinity; a run that diverged leaves such weights: reset and ' +
          'train again before exporting',
      ])
    }
    expect(readdirSync(dir)).toEqual([])
  })

  it('names the file when the disk refuses, leaving no temporary file', async () => {
    const dir = folder()
    mkdirSync(join(dir, 'out.onnx'))
    const weights = randomWeights(mlp, 1)
    const err = await refusal(writeExport(join(dir, 'out.onnx'), { graph: mlp, weights }))
    expect(err).toBeInstanceOf(FileWriteError)
    expect((err as Error).message).toBe(`cannot write ${join(dir, 'out.onnx')}: it is a folder`)
    const missing = join(dir, 'nope', 'out.safetensors')
    const err2 = await refusal(writeExport(missing, { graph: mlp, weights }))
    expect((err2 as Error).message).toBe(`cannot write ${missing}: its folder does not exist`)
    expect(readdirSync(dir)).toEqual(['out.onnx'])
  })

  it('keeps the previous export whole when a write fails part-way (file size limit)', () => {
    const dir = folder()
    const path = join(dir, 'big.safetensors')
    writeFileSync(path, 'OLD EXPORT')
    // A 1000×300 layer is 1.2 MB of weights; the child may write files of at most 256 KiB.
    const script = `
      import { chain } from './engine/graph/test-graphs.ts'
      import { randomWeights } from './engine/io/export-cases-node.ts'
      import { writeExport } from './engine/io/export-files-node.ts'
      const graph = chain([['input', 'input', { shape: '300' }], ['d', 'dense', { units: 1000 }],
        ['loss', 'mse']])
      await writeExport(${JSON.stringify(path)}, { graph, weights: randomWeights(graph, 1) })
        .then(() => console.log('written'), (e) => console.log(e.message))`
    const child = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -f 256 && exec "$0" --import tsx --input-type=module -e "$1"',
        process.execPath,
        script,
      ],
      { cwd: repo, encoding: 'utf8', timeout: 60_000 },
    )
    expect(child.stdout.trim(), child.stderr).toBe(
      `cannot write ${path}: the file is larger than this system allows`,
    )
    expect(readFileSync(path, 'utf8')).toBe('OLD EXPORT')
    expect(readdirSync(dir)).toEqual(['big.safetensors'])
  })
})
