// Writing exports to disk by file extension, for the CLI: .safetensors (weights with the graph in
// their metadata), .onnx (the inference graph) and .py (the PyTorch module, written with its
// weights beside it as <name>.safetensors, which its usage example loads). Every format first
// checks the weights against the graph as an import would, and each file is written atomically
// (a module and its weights together).
// A data set's standardisation stays metadata in safetensors; ONNX and PyTorch apply it to raw
// inputs themselves, so they predict from what the studio predicts from.
import { basename, extname } from 'node:path'
import type { Normalization } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import { writeFileAtomic, writeFilesAtomic } from './atomic-file-node'
import { ExportError, planExport } from './export-graph'
import { compareWeights, expectedWeights, mismatchLines } from './import-weights'
import { toOnnx } from './onnx'
import { projectWeights } from './project-file'
import { toPytorch } from './pytorch'
import type { WeightMap } from './safetensors'
import { writeSafetensors } from './safetensors'

export const EXPORT_EXTENSIONS = ['.safetensors', '.onnx', '.py'] as const

export function isExportPath(path: string): boolean {
  return (EXPORT_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())
}

export interface ExportSource {
  readonly graph: ModelGraph
  readonly weights: WeightMap
  readonly name?: string | undefined
  /** The data set's input standardisation, which new inputs need too. */
  readonly normalization?: Normalization | undefined
}

/** The files an export to `path` writes: a .py export also writes its weights beside it. */
export function exportFiles(path: string): string[] {
  return extname(path).toLowerCase() === '.py' ? [path, weightsBeside(path)] : [path]
}

/** <module>.safetensors beside a .py export, which its usage example loads. */
function weightsBeside(pyPath: string): string {
  return `${pyPath.slice(0, pyPath.length - extname(pyPath).length)}.safetensors`
}

/**
 * Writes one export; returns the files written. ExportError when the graph cannot export or the
 * weights do not fit it; FileWriteError (naming the file) when the disk refuses.
 */
export async function writeExport(path: string, source: ExportSource): Promise<string[]> {
  requireFittingWeights(source.graph, source.weights)
  const ext = extname(path).toLowerCase()
  const name = source.name ?? basename(path, extname(path))
  const w = projectWeights(source.graph, source.weights, source.normalization)
  const weightsBytes = () => writeSafetensors(w.tensors, w.metadata)
  const { normalization } = source
  if (ext === '.safetensors') {
    await writeFileAtomic(path, weightsBytes())
    return [path]
  }
  if (ext === '.onnx') {
    await writeFileAtomic(path, toOnnx(source.graph, source.weights, { name, normalization }))
    return [path]
  }
  const weightsPath = weightsBeside(path)
  const text = toPytorch(source.graph, {
    name,
    weightsFile: basename(weightsPath),
    moduleName: basename(path, extname(path)),
    normalization,
  })
  // Written together: a module beside weights of another export would load and be wrong.
  await writeFilesAtomic([
    { path: weightsPath, data: weightsBytes() },
    { path, data: new TextEncoder().encode(text) },
  ])
  return [path, weightsPath]
}

/**
 * The check an import of the exported file makes: every tensor the graph declares, with its
 * shape, and no other. Dendrite would refuse to read back an export written without it.
 */
function requireFittingWeights(graph: ModelGraph, weights: WeightMap): void {
  planExport(graph) // an ExportError naming the node when the graph does not lower
  const mismatch = compareWeights(expectedWeights(graph), weights)
  if (mismatch) throw new ExportError(mismatchLines(mismatch))
  const bad = nonFinite(weights)
  if (bad.length > 0) throw new ExportError(bad)
}

/**
 * Each tensor holding a value that is not finite, which a diverged run leaves and no exported
 * model should carry: the first such value and how many more.
 */
function nonFinite(tensors: WeightMap): string[] {
  const lines: string[] = []
  for (const [name, t] of Object.entries(tensors)) {
    const first = t.data.findIndex((v) => !Number.isFinite(v))
    if (first < 0) continue
    const count = t.data.reduce((n, v) => (Number.isFinite(v) ? n : n + 1), 0)
    lines.push(
      `${name}: value ${elementName(t.shape, first)} is ${String(t.data[first])}` +
        `${count > 1 ? ` (and ${count - 1} more are not finite)` : ''}; a run that diverged ` +
        'leaves such weights: reset and train again before exporting',
    )
  }
  return lines
}

/** "[1, 0] (index 3)", or "0" for a tensor of one dimension. */
function elementName(shape: readonly number[], index: number): string {
  if (shape.length <= 1) return String(index)
  const at: number[] = []
  let rest = index
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] ?? 1
    at.unshift(rest % size)
    rest = Math.floor(rest / size)
  }
  return `[${at.join(', ')}] (index ${index})`
}
