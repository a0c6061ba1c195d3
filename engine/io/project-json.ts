// A project as one JSON document: the graph, the data recipe, the training settings and the run
// history. It is what the CLI trains and what the .dendrite project file (project-file.ts)
// stores as its main entry. Parsing names the JSON path of every problem.
import { z } from 'zod'
import type { DataSpec } from '../data/spec'
import { validateDataSpec } from '../data/spec'
import { ModelGraphSchema, jsonPath } from '../graph/model-graph'
import type { ModelGraph } from '../graph/model-graph'
import type { TrainSettings } from '../train/settings'
import { TrainSettingsSchema } from '../train/settings'
import type { Run } from './run-history'
import { RunSchema } from './run-history'

export const PROJECT_FORMAT = 'dendrite.project'
export const PROJECT_VERSION = 1

const ProjectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  name: z.string().max(200).optional(),
  /** What the project teaches, shown when a sample opens. */
  lesson: z.string().max(4000).optional(),
  graph: ModelGraphSchema,
  data: z.unknown(),
  training: TrainSettingsSchema,
  /** Training runs, oldest first, with their curves. */
  runs: z.array(RunSchema).max(10_000).optional(),
})

export interface Project {
  name?: string | undefined
  lesson?: string | undefined
  graph: ModelGraph
  data: DataSpec
  training: TrainSettings
  runs?: Run[] | undefined
}

export type ProjectResult = { ok: true; project: Project } | { ok: false; errors: string[] }

export function parseProject(value: unknown): ProjectResult {
  const parsed = ProjectSchema.safeParse(value)
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`),
    }
  }
  const data = validateDataSpec(parsed.data.data)
  if (!data.ok)
    return { ok: false, errors: data.errors.map((e) => `data.${e.field}: ${e.message}`) }
  const { name, lesson, graph, training, runs } = parsed.data
  const project: Project = { name, lesson, graph, data: data.spec, training }
  if (runs !== undefined) project.runs = runs
  return { ok: true, project }
}

/** Parses project text, reporting a JSON syntax error with its line and column. */
export function parseProjectText(text: string): ProjectResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, errors: [`not valid JSON: ${describeSyntaxError(text, err)}`] }
  }
  return parseProject(value)
}

function describeSyntaxError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const at = /position (\d+)/.exec(message)
  if (!at) return message
  const offset = Number(at[1])
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return (
    `${message.replace(/ in JSON at position \d+.*/, '')} at line ${line}, column ${column} ` +
    `(character ${offset})`
  )
}

export function serializeProject(project: Project): string {
  const document = { format: PROJECT_FORMAT, version: PROJECT_VERSION, ...project }
  return `${JSON.stringify(document, null, 2)}\n`
}
