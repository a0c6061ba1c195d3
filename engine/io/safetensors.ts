// safetensors, the weights file PyTorch and Hugging Face load: an 8-byte little-endian header
// length, a JSON header (dtype, shape, data_offsets per tensor, and __metadata__ strings), then
// the raw data. The studio writes F32 only, in a canonical order, so a file read and written
// again is byte-identical; reading checks everything and names the byte offset of each problem.
import { duplicateKeys, parseJson } from './json-text'
import { utf8Length } from './utf8'

export interface Tensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}
export type WeightMap = Readonly<Record<string, Tensor>>

/** A problem in a file, at a byte offset from its start. */
export interface ByteIssue {
  readonly offset: number
  readonly message: string
}

export interface Safetensors {
  readonly tensors: Record<string, Tensor>
  readonly metadata: Record<string, string>
}

export type SafetensorsResult =
  | { readonly ok: true; readonly file: Safetensors }
  | { readonly ok: false; readonly errors: readonly ByteIssue[] }

/** Version of the studio's metadata (the keys below), not of the safetensors format. */
export const WEIGHTS_FORMAT_VERSION = '1'
export const META_FORMAT_VERSION = 'dendrite.format_version'
export const META_GRAPH = 'dendrite.graph'
/** JSON {mean, std} per input feature when the data set standardised its inputs. */
export const META_NORMALIZATION = 'dendrite.input_normalization'

const MAX_HEADER = 100 * 1024 * 1024
const METADATA = '__metadata__'

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** Writes tensors sorted by name and metadata sorted by key, the header padded to 8 bytes. */
export function writeSafetensors(
  tensors: WeightMap,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort(byCodeUnit)
  const header: Record<string, unknown> = {}
  const metaKeys = Object.keys(metadata).sort(byCodeUnit)
  if (metaKeys.length > 0)
    header[METADATA] = Object.fromEntries(metaKeys.map((k) => [k, metadata[k]]))
  let end = 0
  for (const name of names) {
    const t = tensors[name]
    if (!t) continue
    if (t.data.length !== numel(t.shape)) {
      throw new RangeError(`${name}: ${t.data.length} values for shape [${t.shape.join(', ')}]`)
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [end, end + t.data.length * 4] }
    end += t.data.length * 4
  }
  const json = new TextEncoder().encode(JSON.stringify(header))
  const headerLength = Math.ceil(json.length / 8) * 8
  const out = new Uint8Array(8 + headerLength + end)
  const view = new DataView(out.buffer)
  view.setUint32(0, headerLength, true)
  out.set(json, 8)
  out.fill(0x20, 8 + json.length, 8 + headerLength)
  let at = 8 + headerLength
  for (const name of names) {
    for (const v of tensors[name]?.data ?? []) {
      view.setFloat32(at, v, true)
      at += 4
    }
  }
  return out
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Reads and checks a whole file; every problem is reported, with its byte offset. */
export function readSafetensors(bytes: Uint8Array): SafetensorsResult {
  const head = readHeader(bytes)
  if ('errors' in head) return { ok: false, errors: head.errors }
  const { header, text, dataStart } = head
  const errors: ByteIssue[] = []
  const at = (key: string) => 8 + byteIndex(text, JSON.stringify(key))
  const metadata = readMetadata(header[METADATA], at(METADATA), errors)
  const entries: Entry[] = []
  for (const twice of duplicateKeys(text).filter((d) => d.path.length === 0)) {
    const where = 8 + utf8Length(text.slice(0, twice.offset))
    errors.push({ offset: where, message: `tensor "${twice.key}" is named twice in the header` })
  }
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA) continue
    // A plain object would take it as its prototype, and the tensor would vanish.
    if (name === '__proto__') {
      errors.push({ offset: at(name), message: 'tensor "__proto__": not a name a tensor can have' })
      continue
    }
    const entry = checkEntry(name, info, at(name), bytes.length - dataStart, errors)
    if (entry) entries.push(entry)
  }
  const refused = entries.length < Object.keys(header).filter((k) => k !== METADATA).length
  checkCoverage(entries, dataStart, bytes.length, refused, errors)
  if (errors.length > 0) return { ok: false, errors }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tensors: Record<string, Tensor> = {}
  for (const e of entries) {
    const data = new Float32Array((e.end - e.begin) / 4)
    for (let i = 0; i < data.length; i++)
      data[i] = view.getFloat32(dataStart + e.begin + i * 4, true)
    tensors[e.name] = { shape: e.shape, data }
  }
  return { ok: true, file: { tensors, metadata } }
}

interface Header {
  header: Record<string, unknown>
  text: string
  dataStart: number
}

function readHeader(bytes: Uint8Array): Header | { errors: ByteIssue[] } {
  const fail = (offset: number, message: string) => ({ errors: [{ offset, message }] })
  if (bytes.length < 8) {
    return fail(0, `the file has ${bytes.length} bytes; safetensors starts with an 8-byte length`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const declared = view.getBigUint64(0, true)
  const length = Number(declared)
  if (declared > BigInt(bytes.length - 8)) {
    return fail(
      0,
      `the header length ${declared} runs past the end of the file (${bytes.length} bytes)`,
    )
  }
  if (length > MAX_HEADER) return fail(0, `the header length ${length} is over the 100 MiB limit`)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length))
  } catch {
    return fail(8, 'the header is not UTF-8 text')
  }
  const parsed = parseJson(text)
  if (!parsed.ok) {
    const offset = 8 + utf8Length(text.slice(0, parsed.offset ?? 0))
    return fail(offset, `the header is not valid JSON (${parsed.message})`)
  }
  const header = parsed.value
  if (!isObject(header)) return fail(8, 'the header must be a JSON object')
  return { header, text, dataStart: 8 + length }
}

interface Entry {
  name: string
  shape: number[]
  begin: number
  end: number
}

function checkEntry(
  name: string,
  info: unknown,
  offset: number,
  dataLength: number,
  errors: ByteIssue[],
): Entry | null {
  const problem = (message: string) => {
    errors.push({ offset, message: `tensor "${name}": ${message}` })
    return null
  }
  if (!isObject(info)) return problem('must be an object with dtype, shape and data_offsets')
  if (info.dtype !== 'F32') {
    return problem(`dtype ${JSON.stringify(info.dtype)} is not supported (the studio reads F32)`)
  }
  const shape = info.shape
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    return problem('shape must be a list of whole numbers ≥ 0')
  }
  const range = dataRange(info.data_offsets, dataLength)
  if (typeof range === 'string') return problem(range)
  const [begin, end] = range
  if (end - begin !== numel(shape) * 4) {
    return problem(
      `shape [${shape.join(', ')}] needs ${numel(shape) * 4} bytes, got ${end - begin}`,
    )
  }
  return { name, shape, begin, end }
}

/** [begin, end] within the data, or what is wrong with it. */
function dataRange(range: unknown, dataLength: number): [number, number] | string {
  if (!Array.isArray(range) || range.length !== 2 || !range.every(isCount)) {
    return 'data_offsets must be [begin, end], two whole numbers ≥ 0'
  }
  const [begin = 0, end = 0] = range
  if (begin > end || end > dataLength) {
    return `data_offsets [${begin}, ${end}] lie outside the ${dataLength} data bytes`
  }
  return [begin, end]
}

/**
 * The tensors must tile the data exactly: no gap, no overlap, nothing left over. Where a tensor
 * was refused, the bytes it named may look like a gap: only overlaps are told then.
 */
function checkCoverage(
  entries: readonly Entry[],
  dataStart: number,
  fileLength: number,
  refused: boolean,
  errors: ByteIssue[],
): void {
  let next = 0
  for (const e of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (e.begin > next && !refused) {
      errors.push({
        offset: dataStart + next,
        message: `${e.begin - next} bytes belong to no tensor`,
      })
    } else if (e.begin < next) {
      errors.push({ offset: dataStart + e.begin, message: `tensor "${e.name}" overlaps another` })
    }
    next = Math.max(next, e.end)
  }
  if (dataStart + next < fileLength && !refused) {
    errors.push({
      offset: dataStart + next,
      message: `${fileLength - dataStart - next} bytes after the last tensor belong to no tensor`,
    })
  }
}

function readMetadata(value: unknown, offset: number, errors: ByteIssue[]): Record<string, string> {
  if (value === undefined) return {}
  if (!isObject(value)) {
    errors.push({ offset, message: '__metadata__ must be an object of strings' })
    return {}
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v
    else errors.push({ offset, message: `__metadata__.${k} must be a string` })
  }
  return out
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

/** Byte offset in the UTF-8 text of the first occurrence of `needle` (0 when absent). */
function byteIndex(text: string, needle: string): number {
  const i = text.indexOf(needle)
  return i < 0 ? 0 : utf8Length(text.slice(0, i))
}

/** One line per problem: "byte 1234: …". */
export function formatByteIssues(issues: readonly ByteIssue[]): string[] {
  return issues.map((i) => `byte ${i.offset}: ${i.message}`)
}
