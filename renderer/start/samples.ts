// Sample projects (assets/examples): each a lesson from the lecture. The renderer may not import
// engine/io, so it checks the project envelope here and the graph with engine/graph's schema.
import type { ModelGraph } from '../../engine/graph/model-graph'
import { parseModelGraph } from '../../engine/graph/model-graph'

export interface Sample {
  /** The file's base name: "xor". */
  readonly id: string
  readonly name: string
  readonly lesson: string
  readonly graph: ModelGraph
  /** The built-in data set the lesson trains on, when it names one. */
  readonly dataset: string | null
}

export type SampleResult =
  { ok: true; sample: Sample } | { ok: false; id: string; errors: string[] }

/** The lecture's order; samples not listed follow, by name. */
export const LESSON_ORDER = [
  'two-linear-layers',
  'xor',
  'spiral',
  'universal-approximation',
  'activation-zoo',
  'mnist-mlp',
  'mnist-convnet',
]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** "../../assets/examples/xor.json" → "xor". */
export function sampleId(path: string): string {
  const file = path.split('/').pop() ?? path
  return file.replace(/\.json$/, '')
}

export function parseSample(id: string, data: unknown): SampleResult {
  if (!isRecord(data)) return { ok: false, id, errors: ['(root): not an object'] }
  const errors: string[] = []
  if (data.format !== 'dendrite.project') errors.push('format: not "dendrite.project"')
  const name = typeof data.name === 'string' ? data.name.trim() : ''
  if (name === '') errors.push('name: missing')
  const lesson = typeof data.lesson === 'string' ? data.lesson.trim() : ''
  if (lesson === '') errors.push('lesson: missing')
  const graph = parseModelGraph(data.graph)
  if (!graph.ok) errors.push(...graph.errors.map((e) => `graph.${e}`))
  if (!graph.ok || errors.length > 0) return { ok: false, id, errors }
  const dataset = isRecord(data.data) && typeof data.data.name === 'string' ? data.data.name : null
  return { ok: true, sample: { id, name, lesson, graph: graph.value, dataset } }
}

function rank(id: string): number {
  const i = LESSON_ORDER.indexOf(id)
  return i === -1 ? LESSON_ORDER.length : i
}

/** Parses every file; good samples in lesson order, broken ones with their reasons. */
export function loadSamples(files: Readonly<Record<string, unknown>>): {
  samples: Sample[]
  broken: { id: string; errors: string[] }[]
} {
  const samples: Sample[] = []
  const broken: { id: string; errors: string[] }[] = []
  for (const [path, data] of Object.entries(files)) {
    const result = parseSample(sampleId(path), data)
    if (result.ok) samples.push(result.sample)
    else broken.push({ id: result.id, errors: result.errors })
  }
  samples.sort((a, b) => rank(a.id) - rank(b.id) || a.name.localeCompare(b.name))
  return { samples, broken }
}
