// A project as one JSON document: the graph, the data recipe, the training settings and the run
// history. It is what the CLI trains and what the .dendrite project file (project-file.ts)
// stores as its main entry. Parsing names the JSON path of every problem.
import { z } from 'zod'
import type { DataSpec } from '../data/spec'
import { validateDataSpec } from '../data/spec'
import { ModelGraphSchema, issueLines } from '../graph/model-graph'
import { parseJsonDocument } from './json-text'
import { checkVersion, jsonTooLarge } from './project-file-entries'
import type { ModelGraph } from '../graph/model-graph'
import type { TrainSettings } from '../train/settings'
import { TrainSettingsSchema } from '../train/settings'
import type { Run } from './run-history'
import { RunSchema } from './run-history'

export const PROJECT_FORMAT = 'dendrite.project'
/** 1: no canvas view; 2: the canvas's pan and zoom as last saved (`view`). */
export const PROJECT_VERSION = 2

/** Where the canvas looked: its pan (screen pixels of the graph's origin) and zoom. */
export const CanvasViewSchema = z.strictObject({
  x: z.number().min(-1e7).max(1e7),
  y: z.number().min(-1e7).max(1e7),
  zoom: z.number().min(0.01).max(100),
})
export type CanvasView = z.infer<typeof CanvasViewSchema>

const ProjectSchema = z.strictObject({
  format: z.literal(PROJECT_FORMAT),
  version: z.union([z.literal(1), z.literal(PROJECT_VERSION)], {
    error: `must be 1 or ${PROJECT_VERSION}, the versions this Dendrite reads`,
  }),
  name: z.string().max(200).optional(),
  /** What the project teaches, shown when a sample opens. */
  lesson: z.string().max(4000).optional(),
  graph: ModelGraphSchema,
  data: z.unknown(),
  training: TrainSettingsSchema,
  /** Training runs, oldest first, with their curves. */
  runs: z.array(RunSchema).max(10_000).optional(),
  view: CanvasViewSchema.optional(),
})

export interface Project {
  name?: string | undefined
  lesson?: string | undefined
  graph: ModelGraph
  data: DataSpec
  training: TrainSettings
  runs?: Run[] | undefined
  view?: CanvasView | undefined
}

export type ProjectResult = { ok: true; project: Project } | { ok: false; errors: string[] }

export function parseProject(value: unknown): ProjectResult {
  const newer = newerVersion(value)
  if (newer !== null) return { ok: false, errors: [newer] }
  const parsed = ProjectSchema.safeParse(value)
  if (!parsed.success) {
    return { ok: false, errors: issueLines(parsed.error) }
  }
  const data = validateDataSpec(parsed.data.data)
  if (!data.ok)
    return { ok: false, errors: data.errors.map((e) => `data.${e.field}: ${e.message}`) }
  const { name, lesson, graph, training, runs, view } = parsed.data
  const project: Project = { name, lesson, graph, data: data.spec, training }
  if (runs !== undefined) project.runs = runs
  if (view !== undefined) project.view = view
  return { ok: true, project }
}

/** Why a project document cannot be read when a newer Dendrite wrote it; else null. */
function newerVersion(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null
  const { format, version } = value as { format?: unknown; version?: unknown }
  if (format !== PROJECT_FORMAT || typeof version !== 'number' || version <= PROJECT_VERSION)
    return null
  const why = checkVersion(version, PROJECT_VERSION)
  return typeof why === 'string' ? `version: ${why}` : null
}

/** Parses project text, reporting a JSON syntax error or a key given twice with its line and
 * column, and refusing text past MAX_JSON_BYTES before parsing it. */
export function parseProjectText(text: string): ProjectResult {
  const tooLarge = jsonTooLarge(text.length, 'characters')
  if (tooLarge !== null) return { ok: false, errors: [`the document has ${tooLarge}`] }
  const parsed = parseJsonDocument(text)
  if (!parsed.ok) return { ok: false, errors: [...parsed.errors] }
  return parseProject(parsed.value)
}

export function serializeProject(project: Project): string {
  const document = { format: PROJECT_FORMAT, version: PROJECT_VERSION, ...project }
  return `${JSON.stringify(document, null, 2)}\n`
}
