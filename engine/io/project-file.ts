// The .dendrite project file: a zip of manifest.json (format and version), project.json (graph,
// data choice, training settings, run history), the imported CSV itself under data/ when the
// project uses one, and weights.safetensors (the latest trained weights, with the graph they fit
// in their metadata). Opening validates every entry; a problem names the entry and its byte
// offset, JSON path or CSV cell. Older formats are migrated, newer ones refused. JSON (the
// entries, or a JSON project) is read up to MAX_JSON_BYTES and with no key twice; the weights'
// input standardisation must be finite, positive and one per input value. Weights that are not
// finite (a diverged run's) open and save as they are; exports refuse them.
import type { Normalization } from '../data/dataset'
import { resolveAttr } from '../graph/attrs'
import type { ModelGraph } from '../graph/model-graph'
import { parseModelGraph } from '../graph/model-graph'
import { getLayer } from '../graph/registry'
import { LoweringError } from '../lower/lower-graph'
import { ENGINE_VERSION } from '../version'
import { compareWeights, expectedWeights, mismatchLines } from './import-weights'
import { parseJsonDocument } from './json-text'
import {
  MAX_JSON_BYTES,
  checkCsvEntry,
  jsonTooLarge,
  parseJsonEntry,
  readManifest,
} from './project-file-entries'
import type { Project } from './project-json'
import { parseProject, parseProjectText, serializeProject } from './project-json'
import type { Safetensors, WeightMap } from './safetensors'
import {
  META_FORMAT_VERSION,
  META_GRAPH,
  META_NORMALIZATION,
  WEIGHTS_FORMAT_VERSION,
  formatByteIssues,
  readSafetensors,
  writeSafetensors,
} from './safetensors'
import { utf8Text } from './utf8'
import type { ZipEntryInput, ZipLimits } from './zip'
import { formatZipIssues, readZip, writeZip } from './zip'

export const FILE_FORMAT = 'dendrite.file'
/** 0: a bare JSON project document (before .dendrite files); 1: this zip layout. */
export const FILE_VERSION = 1
export const MANIFEST = 'manifest.json'
export const PROJECT_ENTRY = 'project.json'
export const WEIGHTS_ENTRY = 'weights.safetensors'

export interface ProjectFile {
  readonly project: Project
  /** The imported CSV's text, when the project's data is a CSV file. */
  readonly csv?: string
  /** The latest trained weights; their metadata holds the graph they were trained with. */
  readonly weights?: Safetensors
}

export type OpenResult =
  | { readonly ok: true; readonly file: ProjectFile; readonly migratedFrom?: number }
  | { readonly ok: false; readonly errors: readonly string[] }

/** The zip entry holding an imported CSV: data/<its file name>. */
export function csvEntry(name: string): string {
  return `data/${name.split(/[\\/]/).pop() ?? name}`
}

/**
 * Weights as a project file and the exports store them: the metadata names the graph they fit
 * and, when the data set standardised its inputs, the mean and std to apply to new inputs.
 */
export function projectWeights(
  graph: ModelGraph,
  tensors: WeightMap,
  normalization?: Normalization,
): Safetensors {
  return {
    tensors: { ...tensors },
    metadata: {
      format: 'pt',
      [META_FORMAT_VERSION]: WEIGHTS_FORMAT_VERSION,
      [META_GRAPH]: JSON.stringify(graph),
      ...(normalization ? { [META_NORMALIZATION]: JSON.stringify(normalization) } : {}),
    },
  }
}

/**
 * Encodes a project; the project document goes through its parser first, so that what is
 * written is valid and canonical (a file read and written again is byte-identical). A project
 * whose JSON is past MAX_JSON_BYTES is refused (RangeError), not written as a file that would
 * not open.
 */
export function writeProjectFile(file: ProjectFile): Uint8Array {
  const text = (s: string) => new TextEncoder().encode(s)
  const canonical = parseProject(JSON.parse(serializeProject(file.project)))
  if (!canonical.ok) throw new RangeError(`invalid project:\n${canonical.errors.join('\n')}`)
  const document = text(serializeProject(canonical.project))
  const tooLarge = jsonTooLarge(document.length)
  if (tooLarge !== null) throw new RangeError(`${PROJECT_ENTRY} would be ${tooLarge}`)
  const manifest = {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    writer: `Dendrite ${ENGINE_VERSION}`,
  }
  const entries: ZipEntryInput[] = [
    { name: MANIFEST, data: text(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: PROJECT_ENTRY, data: document },
  ]
  const data = canonical.project.data
  if (data.kind === 'csv') {
    if (file.csv === undefined) throw new RangeError(`the project uses ${data.name}; pass its text`)
    entries.push({ name: csvEntry(data.name), data: text(file.csv) })
  }
  if (file.weights) {
    const w = file.weights
    entries.push({
      name: WEIGHTS_ENTRY,
      data: writeSafetensors(w.tensors, w.metadata),
      store: true,
    })
  }
  return writeZip(entries)
}

/** Opens a .dendrite file, or a JSON project document (format version 0). Never throws. */
export function readProjectFile(bytes: Uint8Array): OpenResult {
  try {
    if (looksLikeJson(bytes)) return readJsonProject(bytes)
    return readZipProject(bytes)
  } catch (err) {
    // A bug, not a bad file: still a refusal with a reason rather than an exception.
    return { ok: false, errors: [`the file cannot be read: ${String(err)}`] }
  }
}

/** JSON when the first byte past a UTF-8 BOM and whitespace opens an object or an array (a zip
 * starts with "PK"), however much whitespace comes first. */
function looksLikeJson(bytes: Uint8Array): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (at < bytes.length) {
    const b = bytes[at]
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break
    at++
  }
  return bytes[at] === 0x7b || bytes[at] === 0x5b
}

function readJsonProject(bytes: Uint8Array): OpenResult {
  const tooLarge = jsonTooLarge(bytes.length)
  if (tooLarge !== null) return { ok: false, errors: [`JSON project: the file has ${tooLarge}`] }
  const errors: string[] = []
  const text = utf8Text('JSON project', bytes, errors)
  if (text === undefined) return { ok: false, errors }
  const parsed = parseProjectText(text)
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `JSON project: ${e}`) }
  return { ok: true, file: { project: parsed.project }, migratedFrom: 0 }
}

/** A CSV entry past this could not be read as one string (V8's limit is about 2^29). */
const MAX_CSV_ENTRY_BYTES = 2 ** 29 - 64
/** An entry no project has is refused past this before inflating (and told as extra after). */
const MAX_EXTRA_ENTRY_BYTES = 2 ** 20

/**
 * What each entry may unzip to, refused from its declared size before anything is inflated: a
 * small file declaring huge entries allocates nothing. The weights keep the archive's limit.
 */
const ZIP_LIMITS: ZipLimits = {
  entry: (name) => {
    if (name === MANIFEST || name === PROJECT_ENTRY) {
      return { bytes: MAX_JSON_BYTES, what: "a project's JSON entry" }
    }
    if (name === WEIGHTS_ENTRY) return undefined
    if (name.startsWith('data/')) return { bytes: MAX_CSV_ENTRY_BYTES, what: 'a CSV entry' }
    return { bytes: MAX_EXTRA_ENTRY_BYTES, what: 'an entry a project does not have' }
  },
}

function readZipProject(bytes: Uint8Array): OpenResult {
  const zip = readZip(bytes, ZIP_LIMITS)
  if (!zip.ok) return { ok: false, errors: formatZipIssues(zip.errors).map((e) => `zip: ${e}`) }
  const entries = new Map(zip.entries)
  const manifest = readManifest(entries.get(MANIFEST), FILE_FORMAT, FILE_VERSION, entries)
  if (!manifest.ok) return manifest
  const errors: string[] = []
  const project = readProject(entries.get(PROJECT_ENTRY), errors)
  const weightBytes = entries.get(WEIGHTS_ENTRY)
  const weights = weightBytes ? readWeights(weightBytes, errors) : undefined
  if (!project) return { ok: false, errors }
  const csv = readCsv(project, entries, errors)
  const expected = [MANIFEST, PROJECT_ENTRY, WEIGHTS_ENTRY]
  if (project.data.kind === 'csv') expected.push(csvEntry(project.data.name))
  for (const name of entries.keys()) {
    if (!expected.includes(name))
      errors.push(`zip: entry "${name}" does not belong in a Dendrite project`)
  }
  if (errors.length > 0) return { ok: false, errors }
  const file: ProjectFile = {
    project,
    ...(csv === undefined ? {} : { csv }),
    ...(weights === undefined ? {} : { weights }),
  }
  const migrated = manifest.version < FILE_VERSION ? { migratedFrom: manifest.version } : {}
  return { ok: true, file, ...migrated }
}

function readCsv(
  project: Project,
  entries: ReadonlyMap<string, Uint8Array>,
  errors: string[],
): string | undefined {
  if (project.data.kind !== 'csv') return undefined
  const name = csvEntry(project.data.name)
  return checkCsvEntry(name, entries.get(name), project.data, errors)
}

function readProject(bytes: Uint8Array | undefined, errors: string[]): Project | null {
  const json = parseJsonEntry(PROJECT_ENTRY, bytes, errors)
  if (json === undefined) return null
  const parsed = parseProject(json)
  if (!parsed.ok) {
    errors.push(...parsed.errors.map((e) => `${PROJECT_ENTRY}: ${e}`))
    return null
  }
  return parsed.project
}

function readWeights(bytes: Uint8Array, errors: string[]): Safetensors | undefined {
  const where = WEIGHTS_ENTRY
  const file = readSafetensors(bytes)
  if (!file.ok) {
    errors.push(...formatByteIssues(file.errors).map((e) => `${where}: ${e}`))
    return undefined
  }
  const { metadata, tensors } = file.file
  const version = Number(metadata[META_FORMAT_VERSION])
  if (!(version >= 1 && version <= Number(WEIGHTS_FORMAT_VERSION))) {
    errors.push(
      `${where}: __metadata__.${META_FORMAT_VERSION} must be 1 to ${WEIGHTS_FORMAT_VERSION}`,
    )
    return undefined
  }
  const graph = weightsGraph(file.file)
  const inputs = graph.ok ? inputValues(graph.graph) : null
  const norm = metadata[META_NORMALIZATION]
  if (norm !== undefined) {
    const key = `__metadata__.${META_NORMALIZATION}`
    errors.push(...normalizationProblems(key, norm, inputs).map((e) => `${where}: ${e}`))
  }
  if (!graph.ok) {
    errors.push(...graph.errors.map((e) => `${where}: ${e}`))
    return undefined
  }
  try {
    const mismatch = compareWeights(expectedWeights(graph.graph), tensors)
    if (mismatch) errors.push(...mismatchLines(mismatch).map((e) => `${where}: ${e}`))
  } catch (err) {
    if (!(err instanceof LoweringError)) throw err
    errors.push(`${where}: __metadata__.${META_GRAPH} cannot take weights: ${err.message}`)
  }
  return file.file
}

/** Values per example the graph's Input takes (every Input reads the same data), or null. */
function inputValues(graph: ModelGraph): { size: number; shape: readonly number[] } | null {
  const input = graph.nodes.find((n) => n.type === 'input')
  const spec = getLayer('input')?.attrs.shape
  if (!input || !spec) return null
  const resolved = resolveAttr(spec, input.attrs.shape)
  if (!('value' in resolved) || !Array.isArray(resolved.value)) return null
  const shape = resolved.value as readonly number[]
  return { size: shape.reduce((a, b) => a * b, 1), shape }
}

/**
 * What is wrong with the input standardisation's JSON, each at its field: it must be {mean, std}
 * with as many finite means as positive finite standard deviations (the engine gives a constant
 * feature std 1, never 0), and, when the graph is known, one of each per input value.
 */
function normalizationProblems(
  key: string,
  text: string,
  inputs: { size: number; shape: readonly number[] } | null,
): string[] {
  const parsed = parseJsonDocument(text)
  if (!parsed.ok) return parsed.errors.map((e) => `${key}: ${e}`)
  const v = parsed.value as { mean?: unknown; std?: unknown } | null
  const numbers = (a: unknown): a is number[] =>
    Array.isArray(a) && a.every((x) => typeof x === 'number')
  if (typeof v !== 'object' || v === null || !numbers(v.mean) || !numbers(v.std)) {
    return [`${key} must be JSON {mean: [], std: []}`]
  }
  const { mean, std } = v
  const problems: string[] = []
  const bad = (field: string, values: number[], ok: (x: number) => boolean, why: string) => {
    const i = values.findIndex((x) => !ok(x))
    if (i >= 0) problems.push(`${key}.${field}[${i}]: ${String(values[i])}; ${why}`)
  }
  bad('mean', mean, Number.isFinite, 'a mean must be a finite number')
  bad('std', std, (x) => Number.isFinite(x) && x > 0, 'a standard deviation must be finite and > 0')
  if (mean.length !== std.length) {
    problems.push(`${key}: ${mean.length} means but ${std.length} standard deviations`)
  } else if (inputs && mean.length !== inputs.size) {
    problems.push(
      `${key}: ${mean.length} means and standard deviations, but each input has ` +
        `${inputs.size} values (the graph's Input is [${inputs.shape.join(', ')}])`,
    )
  }
  return problems
}

/** The input standardisation the weights expect, from their metadata (checked on open); undefined
 * when there is none or it is not one that can be applied. */
export function weightsNormalization(weights: Safetensors): Normalization | undefined {
  const text = weights.metadata[META_NORMALIZATION]
  if (text === undefined || normalizationProblems('', text, null).length > 0) return undefined
  return JSON.parse(text) as Normalization
}

/** The graph the weights were trained with, from their metadata. */
export function weightsGraph(
  weights: Safetensors,
): { ok: true; graph: ModelGraph } | { ok: false; errors: string[] } {
  const key = `__metadata__.${META_GRAPH}`
  const text = weights.metadata[META_GRAPH]
  if (text === undefined) return { ok: false, errors: [`${key} is missing`] }
  const json = parseJsonDocument(text)
  if (!json.ok) return { ok: false, errors: json.errors.map((e) => `${key}: ${e}`) }
  const parsed = parseModelGraph(json.value)
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `${key}.${e}`) }
  return { ok: true, graph: parsed.value }
}
