// The .dendrite file in memory: its entries, round trips, versions and refusals. (The services'
// tests cover files on disk, killed saves and fuzzing.)
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { mlp } from '../train/train-fixtures'
import { trainSettings } from '../train/settings'
import { randomWeights } from './export-cases-node'
import type { ProjectFile } from './project-file'
import {
  csvEntry,
  projectWeights,
  readProjectFile,
  weightsNormalization,
  writeProjectFile,
} from './project-file'
import { MAX_JSON_BYTES } from './project-file-entries'
import { writeSafetensors } from './safetensors'
import { readZip } from './zip'

const graph = mlp('2', [3], 'relu', 2, 'softmax-cross-entropy')
const file: ProjectFile = {
  project: {
    name: 'Spiral',
    graph,
    data: { kind: 'builtin', name: 'spiral', noise: 0.1, size: 500, trainRatio: 0.5, seed: 4 },
    training: trainSettings({ epochs: 2 }),
    runs: [
      {
        id: 'r1',
        steps: 50,
        end: 'diverged',
        curve: [{ step: 50, train: { loss: null, accuracy: 0.5 } }],
      },
    ],
  },
  weights: projectWeights(graph, randomWeights(graph, 2)),
}

const entries = (bytes: Uint8Array) => unzipSync(bytes)
const rezip = (bytes: Uint8Array, change: (e: Record<string, Uint8Array>) => void) => {
  const e = entries(bytes)
  change(e)
  return zipSync(e)
}
const errors = (bytes: Uint8Array) => {
  const r = readProjectFile(bytes)
  return r.ok ? [] : r.errors
}
const xorJson = () => readFileSync(resolve(import.meta.dirname, '../../assets/examples/xor.json'))

/** The file with the named entry's unzipped size set to `size` in its local and central headers. */
function declaring(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const out = bytes.slice()
  const view = new DataView(out.buffer)
  for (let at = 0; at + 46 < out.length; at++) {
    const central = view.getUint32(at, true) === 0x02014b50
    if (!central && view.getUint32(at, true) !== 0x04034b50) continue
    const nameAt = at + (central ? 46 : 30)
    const length = view.getUint16(at + (central ? 28 : 26), true)
    if (new TextDecoder().decode(out.subarray(nameAt, nameAt + length)) !== name) continue
    view.setUint32(at + (central ? 24 : 22), size, true)
  }
  return out
}

/** The file with its weights' tensors or metadata changed. */
const withWeights = (
  change: (w: ReturnType<typeof projectWeights>) => void,
  base: ProjectFile = file,
): Uint8Array =>
  rezip(writeProjectFile(base), (e) => {
    const w = projectWeights(graph, randomWeights(graph, 2))
    change(w)
    e['weights.safetensors'] = writeSafetensors(w.tensors, w.metadata)
  })

describe('the .dendrite file', () => {
  it('holds a manifest, the project document and the weights', () => {
    const bytes = writeProjectFile(file)
    expect(Object.keys(entries(bytes))).toEqual([
      'manifest.json',
      'project.json',
      'weights.safetensors',
    ])
    const manifest = JSON.parse(new TextDecoder().decode(entries(bytes)['manifest.json']))
    expect(manifest).toMatchObject({ format: 'dendrite.file', version: 1 })
  })

  it('reopens to the same project and is byte-identical when written again', () => {
    const bytes = writeProjectFile(file)
    const r = readProjectFile(bytes)
    if (!r.ok) throw new Error(r.errors.join('\n'))
    expect(r.file.project).toEqual(file.project)
    expect(r.migratedFrom).toBeUndefined()
    const w = r.file.weights
    expect(w && writeSafetensors(w.tensors, w.metadata)).toEqual(
      entries(bytes)['weights.safetensors'],
    )
    expect(writeProjectFile(r.file)).toEqual(bytes)
  })

  it('stores an imported CSV as data/<its name> and checks it on open', () => {
    const csv = 'x,y,label\n1,2,a\n3,4,b\n'
    const withCsv: ProjectFile = {
      project: {
        ...file.project,
        data: {
          kind: 'csv',
          name: 'C:\\data\\points.csv',
          task: 'auto',
          standardize: false,
          trainRatio: 0.5,
          seed: 1,
        },
      },
      csv,
    }
    expect(csvEntry('C:\\data\\points.csv')).toBe('data/points.csv')
    const bytes = writeProjectFile(withCsv)
    const r = readProjectFile(bytes)
    expect(r.ok && r.file.csv).toBe(csv)
    const broken = rezip(bytes, (e) => (e['data/points.csv'] = strToU8('x,y,label\n1,two,a\n')))
    expect(errors(broken)).toEqual([
      expect.stringMatching(/^data\/points\.csv: row 2 column 2 \(y\)/),
    ])
  })

  it('opens a JSON project document as format version 0', () => {
    const sample = readFileSync(resolve(import.meta.dirname, '../../assets/examples/xor.json'))
    const r = readProjectFile(sample)
    expect(r.ok && r.migratedFrom).toBe(0)
    expect(r.ok && r.file.project.name).toBe('XOR needs a nonlinearity')
    const bad = errors(strToU8('{"format": "dendrite.project", "version": 1, "graph": 3}'))
    expect(bad).toContain('JSON project: graph: Invalid input: expected object, received number')
    // Latin-1 "Café" in the name: refused at the byte, not saved back as "Caf\uFFFD".
    const latin1 = Uint8Array.from([...strToU8('{"name": "Caf'), 0xe9, ...strToU8('"}')])
    expect(errors(latin1)).toEqual(['JSON project: byte 13: not UTF-8 text'])
  })

  it('refuses a newer version, saying so, and a zip that is not a project', () => {
    const newer = rezip(writeProjectFile(file), (e) => {
      e['manifest.json'] = strToU8('{"format": "dendrite.file", "version": 2}')
    })
    expect(errors(newer)[0]).toMatch(/newer Dendrite \(file format 2; this one reads 1 to 1\)/)
    expect(errors(zipSync({ 'a.txt': strToU8('hi') }))[0]).toMatch(/^manifest\.json: missing/)
  })

  it('names the JSON path of a bad field and the weights that do not fit their graph', () => {
    const bytes = rezip(writeProjectFile(file), (e) => {
      const doc = JSON.parse(new TextDecoder().decode(e['project.json'])) as {
        training: { batchSize: number }
      }
      doc.training.batchSize = 0
      e['project.json'] = strToU8(JSON.stringify(doc))
      const other = projectWeights(graph, { ...randomWeights(graph, 1) })
      delete other.tensors['dense2.bias']
      e['weights.safetensors'] = writeSafetensors(other.tensors, other.metadata)
    })
    expect(errors(bytes)).toEqual([
      expect.stringMatching(/^project\.json: training\.batchSize: /),
      'weights.safetensors: missing tensor "dense2.bias": the graph needs [2] (2)',
    ])
  })

  it('keeps the input standardisation with the weights, and checks it', () => {
    const norm = { mean: [0.5, 1], std: [2, 3] }
    const withNorm = { ...file, weights: projectWeights(graph, randomWeights(graph, 2), norm) }
    const r = readProjectFile(writeProjectFile(withNorm))
    expect(r.ok && r.file.weights && weightsNormalization(r.file.weights)).toEqual(norm)
    const bad = rezip(writeProjectFile(withNorm), (e) => {
      const w = projectWeights(graph, randomWeights(graph, 2), norm)
      w.metadata['dendrite.input_normalization'] = '{"mean": 3}'
      e['weights.safetensors'] = writeSafetensors(w.tensors, w.metadata)
    })
    expect(errors(bad)).toEqual([expect.stringMatching(/input_normalization must be JSON/)])
  })

  it('refuses a truncated file at the byte where the zip ends', () => {
    const bytes = writeProjectFile(file)
    expect(errors(bytes.slice(0, 200))).toEqual([
      'zip: byte 200: no zip end record: the file is not a zip, or truncated',
    ])
    const cut = readZip(bytes.slice(0, bytes.length - 1))
    expect(cut.ok).toBe(false)
  })

  it('refuses a JSON entry declared past 64 MiB before inflating it', () => {
    const bomb = declaring(writeProjectFile(file), 'project.json', 200_000_000)
    expect(errors(bomb)).toEqual([
      expect.stringMatching(
        /^zip: project\.json: byte \d+: unzips to 200000000 bytes; a project's JSON entry may hold at most 67108864 bytes \(64 MiB\)$/,
      ),
    ])
  })

  it('refuses any other entry declared past its own limit before inflating it', () => {
    const extra = rezip(writeProjectFile(file), (e) => (e['junk.bin'] = new Uint8Array(10)))
    const declared = declaring(extra, 'junk.bin', 2_000_000_000)
    expect(errors(declared)).toEqual([
      expect.stringMatching(
        /^zip: junk\.bin: byte \d+: unzips to 2000000000 bytes; an entry a project does not have may hold at most 1048576 bytes \(1 MiB\)$/,
      ),
    ])
    // A small one is inflated, and told as not belonging.
    expect(errors(extra)).toEqual(['zip: entry "junk.bin" does not belong in a Dendrite project'])
  })

  it('refuses a JSON project past 64 MiB before decoding it', () => {
    const big = new Uint8Array(MAX_JSON_BYTES + 1).fill(0x20)
    big[0] = 0x7b
    expect(errors(big)).toEqual([
      "JSON project: the file has 67108865 bytes; a project's JSON may hold at most 67108864 " +
        'bytes (64 MiB)',
    ])
  })

  it('refuses a key given twice, in project.json and in a JSON project, at its path', () => {
    const bytes = rezip(writeProjectFile(file), (e) => {
      const text = new TextDecoder().decode(e['project.json'])
      e['project.json'] = strToU8(text.replace('"epochs": 2', '"epochs": 5,\n    "epochs": 2'))
    })
    expect(errors(bytes)).toEqual([
      expect.stringMatching(
        /^project\.json: training\.epochs: the key is there twice; the second is at line \d+, column 5 \(byte \d+\)$/,
      ),
    ])
    const xor = xorJson().toString().replace('"units": 4', '"units": 4, "units": 64')
    expect(errors(strToU8(xor))).toEqual([
      expect.stringMatching(
        /^JSON project: graph\.nodes\[1\]\.attrs\.units: the key is there twice/,
      ),
    ])
    const manifest = rezip(writeProjectFile(file), (e) => {
      e['manifest.json'] = strToU8('{"format": "dendrite.file", "version": 1, "version": 2}')
    })
    expect(errors(manifest)).toEqual([
      'manifest.json: version: the key is there twice; the second is at line 1, column 43 (byte 42)',
    ])
  })

  it('opens and saves the weights of a diverged run as they are (exports refuse them)', () => {
    const weights = projectWeights(graph, randomWeights(graph, 2))
    const bias = weights.tensors['dense1.bias']
    if (bias) bias.data.set([NaN, Infinity])
    const r = readProjectFile(writeProjectFile({ ...file, weights }))
    expect(r.ok && r.file.project).toEqual(file.project)
    const back = r.ok ? r.file.weights?.tensors['dense1.bias']?.data : undefined
    expect(Array.from(back ?? []).slice(0, 2)).toEqual([NaN, Infinity])
  })

  it('refuses a standardisation that is not finite, divides by zero or does not fit the input', () => {
    const norm = (text: string) =>
      errors(withWeights((w) => (w.metadata['dendrite.input_normalization'] = text)))
    const key = 'weights.safetensors: __metadata__.dendrite.input_normalization'
    expect(norm('{"mean": [1, 1], "std": [0, -1e-30]}')).toEqual([
      `${key}.std[0]: 0; a standard deviation must be finite and > 0`,
    ])
    expect(norm('{"mean": [1, 1e999], "std": [1, 1]}')).toEqual([
      `${key}.mean[1]: Infinity; a mean must be a finite number`,
    ])
    expect(norm('{"mean": [1, 2, 3], "std": [1, 1]}')).toEqual([
      `${key}: 3 means but 2 standard deviations`,
    ])
    expect(norm('{"mean": [1, 2, 3], "std": [1, 1, 1]}')).toEqual([
      `${key}: 3 means and standard deviations, but each input has 2 values (the graph's Input ` +
        'is [2])',
    ])
    expect(norm('{"mean": [1, 2], "std": [1, 1], "std": [2, 2]}')).toEqual([
      `${key}: std: the key is there twice; the second is at line 1, column 33 (byte 32)`,
    ])
    expect(norm('{"mean": [0, 1], "std": [1, 0.5]}')).toEqual([])
  })

  it('takes a JSON project after any whitespace, and reads a top-level array as JSON', () => {
    const padded = new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8(' \n'.repeat(100)), ...xorJson()])
    expect(readProjectFile(padded).ok).toBe(true)
    expect(errors(strToU8('  [1, 2]'))).toEqual([
      'JSON project: (root): Invalid input: expected object, received array',
    ])
    expect(errors(strToU8(`${' '.repeat(100)}{"name": NaN}`))).toEqual([
      "JSON project: not valid JSON at line 1, column 110 (byte 109): Unexpected token 'N'",
    ])
  })
})
