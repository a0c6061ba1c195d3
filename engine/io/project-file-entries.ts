// Checks of the project file's entries other than weights: the manifest (format, version and
// the migrations from older versions), JSON entries (UTF-8, syntax with line and column) and the
// imported CSV (parsed as the data panel would, each problem at its row and column).
import type { DataIssue } from '../data/dataset'
import { makeDataset } from '../data/registry'
import type { CsvSpec } from '../data/spec'
import { jsonSyntaxText, parseJson } from './json-text'

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

/** The entry's JSON value, or undefined after pushing what is wrong and where. */
export function parseJsonEntry(
  name: string,
  bytes: Uint8Array | undefined,
  errors: string[],
): unknown {
  const text = utf8Entry(name, bytes, errors)
  if (text === undefined) return undefined
  const parsed = parseJson(text)
  if (parsed.ok) return parsed.value
  errors.push(`${name}: ${jsonSyntaxText(text, parsed)}`)
  return undefined
}

/** The entry as UTF-8 text, or undefined after pushing the first bad byte's offset. */
export function utf8Entry(
  name: string,
  bytes: Uint8Array | undefined,
  errors: string[],
): string | undefined {
  if (!bytes) {
    errors.push(`${name}: missing`)
    return undefined
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    errors.push(`${name}: byte ${firstBadUtf8(bytes)}: not UTF-8 text`)
    return undefined
  }
}

/** Offset of the first byte that breaks UTF-8 (the whole length when none does). */
export function firstBadUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const lead = utf8Lead(bytes[i] ?? 0)
    if (lead === null) return i
    for (let k = 1; k <= lead.follow; k++) {
      const b = bytes[i + k]
      const [lo, hi] = k === 1 ? [lead.lo, lead.hi] : [0x80, 0xbf]
      if (b === undefined || b < lo || b > hi) return i
    }
    i += lead.follow + 1
  }
  return bytes.length
}

/**
 * How many continuation bytes a lead byte announces, and the range of the first: narrower after
 * E0 and F0 (no overlong forms), ED (no surrogates) and F4 (nothing past U+10FFFF); null for a
 * byte that cannot lead.
 */
function utf8Lead(b: number): { follow: number; lo: number; hi: number } | null {
  if (b < 0x80) return { follow: 0, lo: 0, hi: 0 }
  if (b >= 0xc2 && b < 0xe0) return { follow: 1, lo: 0x80, hi: 0xbf }
  if (b >= 0xe0 && b < 0xf0) {
    return { follow: 2, lo: b === 0xe0 ? 0xa0 : 0x80, hi: b === 0xed ? 0x9f : 0xbf }
  }
  if (b >= 0xf0 && b < 0xf5) {
    return { follow: 3, lo: b === 0xf0 ? 0x90 : 0x80, hi: b === 0xf4 ? 0x8f : 0xbf }
  }
  return null
}

/** The CSV's text when it makes a data set with the project's settings. */
export function checkCsvEntry(
  name: string,
  bytes: Uint8Array | undefined,
  spec: CsvSpec,
  errors: string[],
): string | undefined {
  const text = utf8Entry(name, bytes, errors)
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
