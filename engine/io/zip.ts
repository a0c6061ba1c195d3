// Zip archives for project files: writing through fflate with fixed timestamps (the same project
// gives the same bytes), and a reader that checks the structure itself (end record, central
// directory, local headers, sizes, CRC-32) so that each problem names its byte offset and entry,
// and that refuses zip64, encryption and sizes beyond the limits before inflating anything. An
// entry inflates piece by piece into a buffer of its declared size and stops one byte past it, so
// what it declares bounds the memory and time it takes whatever its compressed data holds.
import { Inflate, zipSync } from 'fflate'
import type { Zippable } from 'fflate'
import type { ByteIssue } from './safetensors'

export interface ZipEntryInput {
  readonly name: string
  readonly data: Uint8Array
  /** Store without compression (data that does not shrink, like float weights). */
  readonly store?: boolean
}

export type ZipResult =
  | { readonly ok: true; readonly entries: ReadonlyMap<string, Uint8Array> }
  | { readonly ok: false; readonly errors: readonly ZipIssue[] }

export interface ZipIssue extends ByteIssue {
  readonly entry?: string
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const MAX_ENTRIES = 1000
/** The most one archive may hold once inflated: 2 GiB less one byte, a typed array's limit. */
export const MAX_UNZIPPED = 2 ** 31 - 1
const FIXED_TIME = new Date(2000, 0, 1)

/** Limits a reader sets on single entries, beyond the archive's MAX_UNZIPPED. */
export interface ZipLimits {
  /** The most bytes the named entry may unzip to, and what to call such an entry when refusing
   * it ("a project's JSON entry"); undefined for no limit of its own. */
  readonly entry?: (name: string) => { readonly bytes: number; readonly what: string } | undefined
}

export function writeZip(entries: readonly ZipEntryInput[]): Uint8Array {
  const files: Zippable = {}
  for (const e of entries) files[e.name] = [e.data, { level: e.store ? 0 : 6, mtime: FIXED_TIME }]
  return zipSync(files)
}

interface CentralEntry {
  name: string
  at: number
  method: number
  crc: number
  packed: number
  size: number
  local: number
}

export function readZip(bytes: Uint8Array, limits: ZipLimits = {}): ZipResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const issues: ZipIssue[] = []
  const fail = (offset: number, message: string, entry?: string): ZipResult => ({
    ok: false,
    errors: [{ offset, message, ...(entry === undefined ? {} : { entry }) }],
  })
  const end = findEnd(bytes, view)
  if (end < 0) return fail(bytes.length, 'no zip end record: the file is not a zip, or truncated')
  const count = view.getUint16(end + 10, true)
  const cdStart = view.getUint32(end + 16, true)
  const refused = checkEnd(view, end, count, cdStart)
  if (refused) return fail(end, refused)
  const central = readCentral(bytes, view, cdStart, count, issues)
  checkLimits(central, limits, issues)
  if (issues.length > 0) return { ok: false, errors: issues }
  const total = central.reduce((n, e) => n + e.size, 0)
  if (total > MAX_UNZIPPED) return fail(end, `the entries unzip to ${total} bytes; too large`)
  const entries = new Map<string, Uint8Array>()
  for (const e of central) {
    const data = readEntry(bytes, view, e, issues)
    if (data) entries.set(e.name, data)
  }
  return issues.length > 0 ? { ok: false, errors: issues } : { ok: true, entries }
}

/** Each entry whose declared size is past its limit, refused before anything is inflated. */
function checkLimits(central: readonly CentralEntry[], limits: ZipLimits, issues: ZipIssue[]) {
  for (const e of central) {
    const limit = limits.entry?.(e.name)
    if (!limit || e.size <= limit.bytes) continue
    const most = `${limit.what} may hold at most ${limit.bytes} bytes (${sizeText(limit.bytes)})`
    issues.push({ offset: e.at, entry: e.name, message: `unzips to ${e.size} bytes; ${most}` })
  }
}

/** "64 MiB", "1.5 KiB", "12 bytes". */
function sizeText(bytes: number): string {
  const [unit, scale] =
    bytes >= 2 ** 20 ? ['MiB', 2 ** 20] : bytes >= 1024 ? ['KiB', 1024] : ['bytes', 1]
  return `${Math.round((bytes / scale) * 10) / 10} ${unit}`
}

/** What makes the end record unreadable here, or null. */
function checkEnd(view: DataView, end: number, count: number, cdStart: number): string | null {
  const cdSize = view.getUint32(end + 12, true)
  if (count === 0xffff || cdStart === 0xffffffff) return 'zip64 archives are not read'
  if (view.getUint16(end + 8, true) !== count || view.getUint16(end + 4, true) !== 0) {
    return 'multi-part archives are not read'
  }
  if (count > MAX_ENTRIES) return `${count} entries; a project has at most ${MAX_ENTRIES}`
  if (cdStart + cdSize !== end) {
    return `the central directory (${cdSize} bytes at ${cdStart}) does not end here`
  }
  return null
}

function findEnd(bytes: Uint8Array, view: DataView): number {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) !== EOCD) continue
    if (at + 22 + view.getUint16(at + 20, true) === bytes.length) return at
  }
  return -1
}

function readCentral(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  count: number,
  issues: ZipIssue[],
): CentralEntry[] {
  const out: CentralEntry[] = []
  let at = start
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) {
      issues.push({ offset: at, message: `central directory record ${i + 1} is missing` })
      return out
    }
    const nameLength = view.getUint16(at + 28, true)
    const name = utf8(bytes.subarray(at + 46, at + 46 + nameLength))
    const flags = view.getUint16(at + 8, true)
    const e: CentralEntry = {
      name: name ?? '',
      at,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      packed: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      local: view.getUint32(at + 42, true),
    }
    const problem = checkCentral(e, flags, name, out)
    if (problem) issues.push({ offset: at, message: problem, ...(name ? { entry: name } : {}) })
    out.push(e)
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return out
}

function checkCentral(
  e: CentralEntry,
  flags: number,
  name: string | null,
  before: readonly CentralEntry[],
): string | null {
  if (name === null || name === '') return 'an entry name is not UTF-8 text'
  if (flags & 1) return 'the entry is encrypted'
  if (e.method !== 0 && e.method !== 8) return `compression method ${e.method} is not read`
  if (e.size === 0xffffffff || e.packed === 0xffffffff) return 'zip64 entries are not read'
  if (before.some((b) => b.name === e.name)) return 'the name appears twice'
  return null
}

function readEntry(
  bytes: Uint8Array,
  view: DataView,
  e: CentralEntry,
  issues: ZipIssue[],
): Uint8Array | null {
  const problem = (offset: number, message: string) => {
    issues.push({ offset, message, entry: e.name })
    return null
  }
  if (e.local + 30 > bytes.length || view.getUint32(e.local, true) !== LOCAL) {
    return problem(e.local, 'the local header is missing')
  }
  const nameLength = view.getUint16(e.local + 26, true)
  const start = e.local + 30 + nameLength + view.getUint16(e.local + 28, true)
  if (utf8(bytes.subarray(e.local + 30, e.local + 30 + nameLength)) !== e.name) {
    return problem(e.local + 30, 'the local header names another entry')
  }
  if (disagrees(view, e)) return problem(e.local, 'the local header disagrees with the directory')
  if (start + e.packed > e.at) return problem(start, `${e.packed} bytes of data run past the end`)
  const packed = bytes.subarray(start, start + e.packed)
  let data: Uint8Array
  try {
    data = e.method === 0 ? packed.slice() : inflateAtMost(packed, e.size + 1)
  } catch (err) {
    return problem(
      start,
      `the compressed data is corrupt (${err instanceof Error ? err.message : ''})`,
    )
  }
  if (data.length !== e.size) {
    return problem(
      start,
      `the data is ${data.length > e.size ? 'longer' : 'shorter'} than ${e.size} bytes`,
    )
  }
  if (crc32(data) !== e.crc) return problem(start, 'the CRC-32 does not match: the data is damaged')
  return data
}

/** Compressed data fed in pieces of this size, so that inflating stops soon after the limit. */
const PIECE = 64 * 1024

/** The data inflated, up to `most` bytes: a longer output stops there (and is refused as longer
 * than its declared size) instead of being inflated to its end. */
function inflateAtMost(packed: Uint8Array, most: number): Uint8Array {
  const out = new Uint8Array(most)
  let length = 0
  const inflater = new Inflate((chunk) => {
    out.set(chunk.subarray(0, most - length), length)
    length = Math.min(most, length + chunk.length)
  })
  for (let at = 0; at < packed.length && length < most; at += PIECE) {
    inflater.push(packed.subarray(at, at + PIECE), at + PIECE >= packed.length)
  }
  return out.subarray(0, length)
}

/** Method, CRC or sizes differ between the local header and the central directory (sizes and
 * CRC may be zero locally when a data descriptor follows the data, flag bit 3). */
function disagrees(view: DataView, e: CentralEntry): boolean {
  if (view.getUint16(e.local + 8, true) !== e.method) return true
  if (view.getUint16(e.local + 6, true) & 8) return false
  return (
    view.getUint32(e.local + 14, true) !== e.crc ||
    view.getUint32(e.local + 18, true) !== e.packed ||
    view.getUint32(e.local + 22, true) !== e.size
  )
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

let table: Uint32Array | null = null

export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

export function formatZipIssues(issues: readonly ZipIssue[]): string[] {
  return issues.map(
    (i) => `${i.entry === undefined ? '' : `${i.entry}: `}byte ${i.offset}: ${i.message}`,
  )
}
