// Making a project's data set from a CSV file on disk: real files in a temporary folder. Bytes
// that are not UTF-8 are refused with the file and the byte, never replaced by U+FFFD.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CsvSpec } from '../data/spec'
import { loadDataset, readCsvText } from './load-data-node'

const spec: CsvSpec = {
  kind: 'csv',
  name: 'cities.csv',
  target: 'city',
  task: 'auto',
  standardize: false,
  trainRatio: 0.5,
  seed: 1,
}

/** A folder with project.json beside cities.csv holding these bytes. */
function projectBeside(csv: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'dendrite-data-'))
  writeFileSync(join(dir, 'cities.csv'), csv)
  return join(dir, 'project.json')
}

const rows = (city: Uint8Array) =>
  Buffer.concat([
    Buffer.from('x,y,city\n1,2,'),
    city,
    Buffer.from('\n3,4,Paris\n5,6,Paris\n7,8,'),
    city,
    Buffer.from('\n'),
  ])

describe('loadDataset with a CSV file beside the project', () => {
  it('reads UTF-8 text, a byte order mark included', async () => {
    const path = projectBeside(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), rows(Buffer.from('München'))]),
    )
    const made = await loadDataset(spec, path)
    expect(made.ok && made.dataset.classNames).toEqual(['München', 'Paris'])
  })

  it('refuses Latin-1 text, naming the file and the first bad byte', async () => {
    // "München" in Latin-1: 0xFC, at byte 14, is not UTF-8.
    const path = projectBeside(rows(Buffer.from([0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e])))
    const csv = join(path, '..', 'cities.csv')
    const made = await loadDataset(spec, path)
    expect(made.ok ? [] : made.errors).toEqual([
      { field: 'name', message: `${csv}: byte 14: not UTF-8 text` },
    ])
    expect(await readCsvText(csv)).toEqual({
      ok: false,
      error: `${csv}: byte 14: not UTF-8 text`,
    })
  })

  it('says when the file cannot be read', async () => {
    const path = projectBeside(new Uint8Array())
    const made = await loadDataset({ ...spec, name: 'missing.csv' }, path)
    expect(made.ok ? '' : made.errors[0]?.message).toMatch(/^cannot read .*missing\.csv: ENOENT/)
  })
})
