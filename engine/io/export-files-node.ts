// Writing exports to disk by file extension, for the CLI: .safetensors (weights with the graph in
// their metadata), .onnx (the inference graph) and .py (the PyTorch module, written with its
// weights beside it as <name>.safetensors, which its usage example loads).
import { writeFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { Normalization } from '../data/dataset'
import type { ModelGraph } from '../graph/model-graph'
import { toOnnx } from './onnx'
import { projectWeights } from './project-file'
import { toPytorch } from './pytorch'
import type { WeightMap } from './safetensors'
import { META_NORMALIZATION, writeSafetensors } from './safetensors'

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

/** Writes one export; returns the files written. ExportError when the graph cannot export. */
export async function writeExport(path: string, source: ExportSource): Promise<string[]> {
  const ext = extname(path).toLowerCase()
  const name = source.name ?? basename(path, extname(path))
  const w = projectWeights(source.graph, source.weights, source.normalization)
  const weightsBytes = () => writeSafetensors(w.tensors, w.metadata)
  const normalization = source.normalization ? { normalization: source.normalization } : {}
  if (ext === '.safetensors') {
    await writeFile(path, weightsBytes())
    return [path]
  }
  if (ext === '.onnx') {
    const metadata = Object.fromEntries(
      Object.entries(w.metadata).filter(([k]) => k === META_NORMALIZATION),
    )
    await writeFile(path, toOnnx(source.graph, source.weights, { name, metadata }))
    return [path]
  }
  const stem = path.slice(0, path.length - ext.length)
  const weightsPath = `${stem}.safetensors`
  const text = toPytorch(source.graph, {
    name,
    weightsFile: basename(weightsPath),
    moduleName: basename(stem),
    ...normalization,
  })
  await writeFile(weightsPath, weightsBytes())
  await writeFile(path, text)
  return [path, weightsPath]
}
