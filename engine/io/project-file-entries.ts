// Checks of the project file's entries other than weights: the manifest (format, version and
// the migrations from older versions), JSON entries (size, UTF-8, syntax with line and column, no
// key twice) and the imported CSV (parsed as the data panel would, each problem at its row and
// column).
import type { DataIssue } from '../data/dataset'
import { makeDataset } from '../data/registry'
import type { CsvSpec } from '../data/spec'
import { parseJsonDocument } from './json-text'
import { utf8Text } from './utf8'

/**
 * The most bytes a project's JSON may hold, as an entry of a .dendrite file (checked from the
 * size the zip declares, before inflating) or as a JSON project file: 64 MiB. A project's JSON is
 * its graph, settings and run history, a few kilobytes to a few megabytes (a run keeps about a
 * hundred curve points of ~150 bytes), so this leaves room for thousands of runs; the weights and
 * the CSV are entries of their own. Reading JSON holds it several times over (the bytes, the text,
 * the parsed values, the checked copy), so a document far past any real project is refused before
 * it can exhaust the memory of the window or the CLI.
 */
export const MAX_JSON_BYTES = 64 * 2 ** 20

/** Why JSON of this many bytes (or characters, each at least a byte) is not read, or null. */
export function jsonTooLarge(size: number, unit = 'bytes'): string | null {
  if (size <= MAX_JSON_BYTES) return null
  return (
    `${size} ${unit}; a project's JSON may hold at most ${MAX_JSON_BYTES} bytes ` +
    `(${MAX_JSON_BYTES / 2 ** 20} MiB)`
  )
}

/** Upgrades a zip layout of version n to n + 1, in place. None yet: version 1 is the first. */
type Migration = (entries: Map<string, Uint8Array>) => void
const MIGRATIONS: Readonly<Record<number, Migration>> = {}

export type ManifestResult =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly errors: readonly string[] }

export function readManifest(
  bytes: Uint8Array | undefined,
  format: string,
  current: number,
  entries: Map<string, Uint8Array> = new Map(),
): ManifestResult {
  const name = 'manifest.json'
  const fail = (message: string): ManifestResult => ({ ok: false, errors: [`${name}: ${message}`] })
  if (!bytes) return fail('missing, so this is not a Dendrite project')
  const errors: string[] = []
  const value = parseJsonEntry(name, bytes, errors)
  if (value === undefined) return { ok: false, errors }
  const m = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  if (m.format !== format) {
    return fail(`format: expected "${format}", got ${JSON.stringify(m.format) ?? 'nothing'}`)
  }
  const version = checkVersion(m.version, current)
  if (typeof version === 'string') return fail(`version: ${version}`)
  for (let v = version; v < current; v++) {
    const step = MIGRATIONS[v]
    if (!step) return fail(`version: no migration from ${v}`)
    step(entries)
  }
  return { ok: true, version }
}

/** The version when this Dendrite reads it, or why not. */
export function checkVersion(version: unknown, current: number): number | string {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return 'expected a whole number ≥ 1'
  }
  if (version <= current) return version
  return (
    `the project was saved by a newer Dendrite (file format ${version}; this one reads 1 to ` +
    `${current}). Update Dendrite to open it.`
  )
}

/** The entry's JSON value, or undefined after pushing what is wrong and where (a key given
 * twice included: JSON.parse would keep the last, and saving would lose the first). */
export function parseJsonEntry(
  name: string,
  bytes: Uint8Array | undefined,
  errors: string[],
): unknown {
  const tooLarge = bytes ? jsonTooLarge(bytes.length) : null
  if (tooLarge !== null) {
    errors.push(`${name}: ${tooLarge}`)
    return undefined
  }
  const text = utf8Text(name, bytes, errors)
  if (text === undefined) return undefined
  const parsed = parseJsonDocument(text)
  if (parsed.ok) return parsed.value
  errors.push(...parsed.errors.map((e) => `${name}: ${e}`))
  return undefined
}

/** The CSV's text when it makes a data set with the project's settings. */
export function checkCsvEntry(
  name: string,
  bytes: Uint8Array | undefined,
  spec: CsvSpec,
  errors: string[],
): string | undefined {
  const text = utf8Text(name, bytes, errors)
  if (text === undefined) return undefined
  const made = makeDataset(spec, { csv: text })
  if (!made.ok) errors.push(...made.errors.map((e) => `${name}: ${dataIssueText(e)}`))
  return text
}

export function dataIssueText(issue: DataIssue): string {
  const where = [
    issue.row === undefined ? '' : `row ${issue.row}`,
    issue.column === undefined ? '' : `column ${issue.column}`,
    issue.columnName === undefined ? '' : `(${issue.columnName})`,
    issue.offset === undefined ? '' : `byte ${issue.offset}`,
    issue.field === undefined ? '' : `field ${issue.field}`,
  ].filter(Boolean)
  return where.length > 0 ? `${where.join(' ')}: ${issue.message}` : issue.message
}
