// Node's way to make a project's data set: MNIST from assets/data/mnist.bin, a CSV from the text
// a .dendrite file carries or else from the file the spec names (relative to the project),
// everything else generated.
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { DatasetResult } from '../data/dataset'
import { readMnistFile } from '../data/mnist-node'
import { makeDataset } from '../data/registry'
import type { DataSpec } from '../data/spec'

export async function loadDataset(
  spec: DataSpec,
  projectPath: string,
  csvText?: string,
): Promise<DatasetResult> {
  if (spec.kind === 'csv') {
    if (csvText !== undefined) return makeDataset(spec, { csv: csvText })
    const path = resolve(dirname(projectPath), spec.name)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      return { ok: false, errors: [{ field: 'name', message: `cannot read ${path}: ${why}` }] }
    }
    return makeDataset(spec, { csv: text })
  }
  if (spec.name === 'mnist') return makeDataset(spec, { mnist: await readMnistFile() })
  return makeDataset(spec)
}
