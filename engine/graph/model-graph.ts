// The ModelGraph: the JSON document the canvas edits, projects store and the compiler reads.
// Its schema lives here once; every boundary that receives a graph parses it with this schema.
import { z } from 'zod'

export const GRAPH_FORMAT = 'dendrite.graph'
export const GRAPH_VERSION = 1

export const AttrValueSchema = z.union([z.number(), z.string(), z.boolean()], {
  error: 'must be a finite number, a string, true or false',
})
export type AttrValue = z.infer<typeof AttrValueSchema>

const Id = z.string().min(1).max(200)

export const GraphNodeSchema = z.strictObject({
  id: Id,
  type: z.string().min(1).max(100),
  label: z.string().max(200).optional(),
  attrs: z.record(z.string(), AttrValueSchema),
  position: z.strictObject({ x: z.number(), y: z.number() }),
})

export const PortRefSchema = z.strictObject({ node: Id, port: z.string().min(1).max(100) })

export const GraphEdgeSchema = z.strictObject({
  id: Id,
  source: PortRefSchema,
  target: PortRefSchema,
})

/** A frame groups nodes on the canvas under a comment; it has no meaning to the compiler. */
export const GraphFrameSchema = z.strictObject({
  id: Id,
  label: z.string().max(2000),
  nodes: z.array(Id),
})

export const ModelGraphSchema = z.strictObject({
  format: z.literal(GRAPH_FORMAT),
  version: z.literal(GRAPH_VERSION),
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
  frames: z.array(GraphFrameSchema),
})

export type GraphNode = z.infer<typeof GraphNodeSchema>
export type GraphEdge = z.infer<typeof GraphEdgeSchema>
export type GraphFrame = z.infer<typeof GraphFrameSchema>
export type PortRef = z.infer<typeof PortRefSchema>
export type ModelGraph = z.infer<typeof ModelGraphSchema>

export function emptyGraph(): ModelGraph {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, nodes: [], edges: [], frames: [] }
}

/** Formats a zod issue path the way a person reads JSON: nodes[3].attrs.units */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out === '' ? '(root)' : out
}

/**
 * A zod error as lines a person reads: each problem at its JSON path, and each key the schema
 * does not know as its own line (a typo is named, not silently dropped).
 */
export function issueLines(error: z.ZodError): string[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => `${jsonPath([...i.path, key])}: unknown field`)
      : [`${jsonPath(i.path)}: ${i.message}`],
  )
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] }

/** Parses untrusted JSON-shaped data into a ModelGraph, naming the path of every problem. */
export function parseModelGraph(data: unknown): ParseResult<ModelGraph> {
  const result = ModelGraphSchema.safeParse(data)
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, errors: issueLines(result.error) }
}
