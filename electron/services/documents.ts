// The studio's documents as project files and exports, for both hosts: a StudioDocument becomes
// a ProjectFile (weights described with their graph and input standardisation), a file becomes
// an OpenedDocument, and an export request becomes the files the CLI would write.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type {
  ExportRequest,
  OpenOutcome,
  OpenedDocument,
  StudioDocument,
  StudioWeights,
} from '../bridge'
import { EXPORT_EXTENSIONS } from '../bridge'
import type { Normalization } from '../../engine/data/dataset'
import type { DataSpec } from '../../engine/data/spec'
import type { ModelGraph } from '../../engine/graph/model-graph'
import { ExportError } from '../../engine/io/export-graph'
import { writeExport } from '../../engine/io/export-files-node'
import { loadDataset } from '../../engine/io/load-data-node'
import type { ProjectFile } from '../../engine/io/project-file'
import {
  projectWeights,
  readProjectFile,
  weightsGraph,
  weightsNormalization,
  writeProjectFile,
} from '../../engine/io/project-file'
import type { Safetensors, WeightMap } from '../../engine/io/safetensors'
import type { OpenedProject } from './projects'

/** A request the services refuse: what is wrong, one line each. */
export class DocumentError extends Error {
  override name = 'DocumentError'
  constructor(readonly errors: readonly string[]) {
    super(errors.join('\n'))
  }
}

/** The standardisation the data set applies to inputs (when its spec asks for one). */
export async function normalizationFor(
  data: DataSpec,
  csv: string | undefined,
): Promise<Normalization | undefined> {
  if (data.standardize !== true) return undefined
  if (data.kind === 'csv' && csv === undefined) {
    throw new DocumentError([`weights.data: the text of ${data.name} is needed to describe them`])
  }
  const made = await loadDataset(data, '', csv)
  if (!made.ok) {
    throw new DocumentError(made.errors.map((e) => `weights.data: ${e.message}`))
  }
  return made.dataset.normalization
}

/** Weights as a project file stores them: with their graph and standardisation. */
export async function describeWeights(
  weights: StudioWeights,
  documentCsv?: string,
): Promise<Safetensors> {
  if (weights.kind === 'kept') {
    return { tensors: { ...weights.tensors }, metadata: { ...weights.metadata } }
  }
  const norm = await normalizationFor(weights.data, weights.csv ?? documentCsv)
  return projectWeights(weights.graph, weights.tensors, norm)
}

export async function toProjectFile(document: StudioDocument): Promise<ProjectFile> {
  const weights = document.weights
    ? await describeWeights(document.weights, document.csv)
    : undefined
  return {
    project: document.project,
    ...(document.csv === undefined ? {} : { csv: document.csv }),
    ...(weights === undefined ? {} : { weights }),
  }
}

/** Encodes a document and reads it back, so that nothing is written that would not open. */
export async function encodeDocument(document: StudioDocument): Promise<Uint8Array> {
  let bytes: Uint8Array
  try {
    bytes = writeProjectFile(await toProjectFile(document))
  } catch (err) {
    if (err instanceof DocumentError) throw err
    throw new DocumentError([err instanceof Error ? err.message : String(err)])
  }
  const check = readProjectFile(bytes)
  if (!check.ok) throw new DocumentError(check.errors)
  return bytes
}

export function toOpenedDocument(file: ProjectFile): OpenedDocument {
  const w = file.weights
  return {
    project: file.project,
    ...(file.csv === undefined ? {} : { csv: file.csv }),
    ...(w ? { weights: { kind: 'kept', tensors: w.tensors, metadata: w.metadata } } : {}),
  }
}

/** An opened file as the Bridge reports it. */
export function openOutcome(opened: OpenedProject): OpenOutcome {
  const name = basename(opened.path)
  if (!opened.ok) return { status: 'refused', name, errors: opened.errors }
  const migrated = opened.migratedFrom === undefined ? {} : { migratedFrom: opened.migratedFrom }
  return {
    status: 'opened',
    document: toOpenedDocument(opened.file),
    name,
    path: opened.path,
    ...migrated,
  }
}

/** A project file's bytes (a file the page read, or browser mode's upload) opened. */
export function openBytes(name: string, bytes: Uint8Array): OpenOutcome {
  const read = readProjectFile(bytes)
  if (!read.ok) return { status: 'refused', name, errors: read.errors }
  const data = read.file.project.data
  if (data.kind === 'csv' && read.file.csv === undefined) {
    const error = `data.name: ${data.name} is not inside this project; open the .dendrite file`
    return { status: 'refused', name, errors: [error] }
  }
  const migrated = read.migratedFrom === undefined ? {} : { migratedFrom: read.migratedFrom }
  return { status: 'opened', document: toOpenedDocument(read.file), name, path: null, ...migrated }
}

interface ExportSource {
  graph: ModelGraph
  weights: WeightMap
  normalization: Normalization | undefined
}

async function exportSource(weights: StudioWeights): Promise<ExportSource> {
  if (weights.kind === 'trained') {
    const normalization = await normalizationFor(weights.data, weights.csv)
    return { graph: weights.graph, weights: weights.tensors, normalization }
  }
  const described = { tensors: { ...weights.tensors }, metadata: { ...weights.metadata } }
  const graph = weightsGraph(described)
  if (!graph.ok) throw new DocumentError(graph.errors.map((e) => `weights: ${e}`))
  return {
    graph: graph.graph,
    weights: weights.tensors,
    normalization: weightsNormalization(described),
  }
}

/** Writes an export at `path` (PyTorch's weights beside it); returns the files written. */
export async function writeExportFiles(path: string, request: ExportRequest): Promise<string[]> {
  const source = await exportSource(request.weights)
  try {
    return await writeExport(path, { ...source, name: request.name })
  } catch (err) {
    if (err instanceof ExportError) throw new DocumentError(err.problems)
    throw err
  }
}

/** A file name stem that is also a Python module name ("XOR net" → XOR_net). */
export function downloadStem(name: string): string {
  const stem = name
    .trim()
    .replace(/\W+/g, '_')
    .replace(/^_+|_+$/g, '')
  return stem === '' ? 'model' : stem
}

/** The export's files as bytes, named for a download (browser mode). */
export async function exportBytes(
  request: ExportRequest,
): Promise<{ name: string; bytes: Uint8Array }[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dendrite-export-'))
  try {
    const stem = downloadStem(request.name)
    const written = await writeExportFiles(
      join(dir, `${stem}${EXPORT_EXTENSIONS[request.format]}`),
      request,
    )
    return await Promise.all(
      written.map(async (p) => ({ name: basename(p), bytes: new Uint8Array(await readFile(p)) })),
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
