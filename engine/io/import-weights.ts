// Loading weights into a graph: a safetensors file fits when every parameter and state tensor the
// graph declares is there with its shape, and nothing else is. A mismatch lists every missing,
// extra and wrongly-shaped tensor, and nothing is changed.
import type { ModelGraph } from '../graph/model-graph'
import type { Shape } from '../graph/shape'
import { formatShape, sameShape } from '../graph/shape'
import { LoweringError, lowerGraph } from '../lower/lower-graph'
import type { Tensor, WeightMap } from './safetensors'
import { formatByteIssues, readSafetensors } from './safetensors'

export interface WeightMismatch {
  readonly missing: readonly { name: string; shape: Shape }[]
  readonly extra: readonly { name: string; shape: Shape }[]
  readonly wrongShape: readonly { name: string; expected: Shape; got: Shape }[]
}

export type ImportResult =
  | {
      readonly ok: true
      readonly weights: Record<string, Tensor>
      metadata: Record<string, string>
    }
  | { readonly ok: false; readonly errors: readonly string[] }

/** Every parameter and state tensor of a graph, by PyTorch name. */
export function expectedWeights(graph: ModelGraph): Record<string, Shape> {
  const lowered = lowerGraph(graph, { batch: 1, training: false, seed: 0 })
  const out: Record<string, Shape> = {}
  for (const slot of [...lowered.params, ...lowered.state]) out[slot.name] = slot.shape
  return out
}

/** null when the weights fit; otherwise every difference, sorted by name. */
export function compareWeights(
  expected: Readonly<Record<string, Shape>>,
  actual: WeightMap,
  options: { allowExtra?: boolean } = {},
): WeightMismatch | null {
  const missing: { name: string; shape: Shape }[] = []
  const wrongShape: { name: string; expected: Shape; got: Shape }[] = []
  for (const [name, shape] of Object.entries(expected)) {
    const t = actual[name]
    if (!t) missing.push({ name, shape })
    else if (!sameShape(t.shape, shape)) wrongShape.push({ name, expected: shape, got: t.shape })
  }
  const extra = options.allowExtra
    ? []
    : Object.entries(actual)
        .filter(([name]) => !(name in expected))
        .map(([name, t]) => ({ name, shape: t.shape }))
  if (missing.length + extra.length + wrongShape.length === 0) return null
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1)
  return {
    missing: missing.sort(byName),
    extra: extra.sort(byName),
    wrongShape: wrongShape.sort(byName),
  }
}

export function mismatchLines(m: WeightMismatch): string[] {
  const shape = (s: Shape) => `[${s.join(', ')}] (${formatShape(s)})`
  return [
    ...m.missing.map((t) => `missing tensor "${t.name}": the graph needs ${shape(t.shape)}`),
    ...m.extra.map((t) => `extra tensor "${t.name}" ${shape(t.shape)}: the graph has no such slot`),
    ...m.wrongShape.map(
      (t) => `tensor "${t.name}" has shape ${shape(t.got)}; the graph needs ${shape(t.expected)}`,
    ),
  ]
}

/** Reads a safetensors file and checks it against the graph; nothing is applied anywhere. */
export function importWeights(graph: ModelGraph, bytes: Uint8Array): ImportResult {
  const file = readSafetensors(bytes)
  if (!file.ok) return { ok: false, errors: formatByteIssues(file.errors) }
  let expected: Record<string, Shape>
  try {
    expected = expectedWeights(graph)
  } catch (err) {
    if (!(err instanceof LoweringError)) throw err
    return { ok: false, errors: [`the graph cannot take weights: ${err.message}`] }
  }
  const mismatch = compareWeights(expected, file.file.tensors)
  if (mismatch) return { ok: false, errors: mismatchLines(mismatch) }
  return { ok: true, weights: file.file.tensors, metadata: file.file.metadata }
}
