// Node's way to make a project's data set: MNIST from assets/data/mnist.bin, a CSV from the text
// a .dendrite file carries or else from the file the spec names (relative to the project),
// everything else generated. A CSV file must be UTF-8 text: other bytes are refused, naming the
// file and the first bad byte, as they are inside a .dendrite file, never replaced by U+FFFD.
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { DatasetResult } from '../data/dataset'
import { readMnistFile } from '../data/mnist-node'
import { makeDataset } from '../data/registry'
import type { DataSpec } from '../data/spec'
import { utf8Text } from './utf8'

export type CsvText =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string }

/** A CSV file's text, or one sentence naming the file and why it cannot be used. */
export async function readCsvText(path: string): Promise<CsvText> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (err) {
    return { ok: false, error: `cannot read ${path}: ${err instanceof Error ? err.message : err}` }
  }
  const errors: string[] = []
  const text = utf8Text(path, bytes, errors)
  return text === undefined ? { ok: false, error: errors.join('; ') } : { ok: true, text }
}

export async function loadDataset(
  spec: DataSpec,
  projectPath: string,
  csvText?: string,
): Promise<DatasetResult> {
  if (spec.kind === 'csv') {
    if (csvText !== undefined) return makeDataset(spec, { csv: csvText })
    const read = await readCsvText(resolve(dirname(projectPath), spec.name))
    if (!read.ok) return { ok: false, errors: [{ field: 'name', message: read.error }] }
    return makeDataset(spec, { csv: read.text })
  }
  if (spec.name === 'mnist') return makeDataset(spec, { mnist: await readMnistFile() })
  return makeDataset(spec)
}
