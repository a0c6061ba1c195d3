// The io module's public surface: project documents and .dendrite files, safetensors, ONNX and
// PyTorch exports, and weight import. Node-only helpers (*-node.ts) are imported directly.
export type { ExportNode, ExportPlan } from './export-graph'
export { ExportError, planExport } from './export-graph'
export type { ImportResult, WeightMismatch } from './import-weights'
export { compareWeights, expectedWeights, importWeights, mismatchLines } from './import-weights'
export { applyWeights } from './apply-weights'
export type { OnnxOptions } from './onnx'
export { ONNX_OPSET, ONNX_OUTPUT, toOnnx } from './onnx'
export type { OpenResult, ProjectFile } from './project-file'
export {
  FILE_FORMAT,
  FILE_VERSION,
  csvEntry,
  projectWeights,
  readProjectFile,
  weightsGraph,
  writeProjectFile,
} from './project-file'
export type { Project, ProjectResult } from './project-json'
export { parseProject, parseProjectText, serializeProject } from './project-json'
export type { PytorchOptions } from './pytorch'
export { toPytorch } from './pytorch'
export type { CurvePoint, Run, RunMetrics } from './run-history'
export { RunSchema, storedMetrics } from './run-history'
export type { ByteIssue, Safetensors, SafetensorsResult, Tensor, WeightMap } from './safetensors'
export { formatByteIssues, readSafetensors, writeSafetensors } from './safetensors'
