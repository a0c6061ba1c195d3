// The sample projects shipped in assets/examples, parsed for the Data panel's "Load sample"
// list: each one's graph, data recipe and training settings, checked with the engine's schemas.
import type { ModelGraph } from '../../engine/graph/model-graph'
import { parseModelGraph } from '../../engine/graph/model-graph'
import type { DataSpec } from '../../engine/data/spec'
import { validateDataSpec } from '../../engine/data/spec'
import type { TrainSettings } from '../../engine/train/settings'
import { TrainSettingsSchema } from '../../engine/train/settings'

export interface Sample {
  readonly id: string
  readonly name: string
  readonly lesson: string | null
  readonly graph: ModelGraph
  readonly data: DataSpec
  readonly settings: TrainSettings
}

const files = import.meta.glob<unknown>('../../assets/examples/*.json', {
  eager: true,
  import: 'default',
})

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null

/** A project document as a Sample, or null when any part of it does not parse. */
export function parseSample(id: string, doc: unknown): Sample | null {
  if (!isObj(doc)) return null
  const graph = parseModelGraph(doc.graph)
  const data = validateDataSpec(doc.data)
  const settings = TrainSettingsSchema.safeParse(doc.training)
  if (!graph.ok || !data.ok || !settings.success) return null
  return {
    id,
    name: typeof doc.name === 'string' ? doc.name : id,
    lesson: typeof doc.lesson === 'string' ? doc.lesson : null,
    graph: graph.value,
    data: data.spec,
    settings: settings.data,
  }
}

export const SAMPLES: readonly Sample[] = Object.entries(files)
  .map(([path, doc]) => parseSample(path.replace(/^.*\/|\.json$/g, ''), doc))
  .filter((s): s is Sample => s !== null)
  .sort((a, b) => a.name.localeCompare(b.name))
