// The engine protocol: versioned, type-tagged messages between the studio and the engine host.
// Schemas only, no logic; both sides validate what they receive with these (validate.ts).
import { z } from 'zod'
import { ModelGraphSchema } from '../graph/model-graph'

export const PROTOCOL_VERSION = 1
const V = z.literal(PROTOCOL_VERSION)
const RequestId = z.number().int().nonnegative()

// ---- requests --------------------------------------------------------------------------------

export const HelloRequestSchema = z.object({
  v: V,
  kind: z.literal('request'),
  id: RequestId,
  type: z.literal('hello'),
})
export const InspectRequestSchema = z.object({
  v: V,
  kind: z.literal('request'),
  id: RequestId,
  type: z.literal('inspect'),
  graph: ModelGraphSchema,
})
export const RequestSchema = z.discriminatedUnion('type', [
  HelloRequestSchema,
  InspectRequestSchema,
])
export type Request = z.infer<typeof RequestSchema>
export type RequestType = Request['type']

// ---- results, one per request type --------------------------------------------------------------

export const BackendInfoSchema = z.object({
  name: z.enum(['webgpu', 'cpu']),
  /** The adapter's vendor and architecture ("google / swiftshader") for webgpu. */
  adapter: z.string().optional(),
})
export type BackendInfo = z.infer<typeof BackendInfoSchema>

export const HelloResultSchema = z.object({
  engineVersion: z.string(),
  protocol: V,
  backends: z.array(BackendInfoSchema),
  /** Why WebGPU is missing when it is, in one sentence. */
  webgpuUnavailable: z.string().optional(),
})
export type HelloResult = z.infer<typeof HelloResultSchema>

const ShapeSchema = z.array(z.number().int().nonnegative()).readonly()
export const ProblemSchema = z.object({
  severity: z.enum(['error', 'warning', 'hint']),
  code: z.string(),
  message: z.string(),
  node: z.string().optional(),
  port: z.string().optional(),
  attr: z.string().optional(),
  edge: z.string().optional(),
})
export const InspectResultSchema = z.object({
  nodes: z.record(
    z.string(),
    z.object({
      outputs: z.record(z.string(), ShapeSchema),
      params: z.record(z.string(), ShapeSchema),
      paramCount: z.number().int().nonnegative(),
      flops: z.number().nonnegative(),
    }),
  ),
  problems: z.array(ProblemSchema),
  totals: z.object({ params: z.number().int().nonnegative(), flops: z.number().nonnegative() }),
})
export type InspectResult = z.infer<typeof InspectResultSchema>

export const resultSchemas = {
  hello: HelloResultSchema,
  inspect: InspectResultSchema,
} satisfies Record<RequestType, z.ZodType>

export type ResultOf<T extends RequestType> = z.infer<(typeof resultSchemas)[T]>

// ---- replies and events ---------------------------------------------------------------------

export const ResponseSchema = z.object({
  v: V,
  kind: z.literal('response'),
  id: RequestId,
  type: z.enum(Object.keys(resultSchemas) as [RequestType, ...RequestType[]]),
  result: z.unknown(),
})
export type Response = z.infer<typeof ResponseSchema>

export const ERROR_CODES = [
  'bad-message', // not a protocol message at all, or a field of the wrong type
  'unsupported-version', // a protocol version this side does not speak
  'unknown-type', // a request type this engine does not know
  'internal', // the engine failed; the message says how
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export const ErrorReplySchema = z.object({
  v: V,
  kind: z.literal('error'),
  /** null when the request's id could not be read. */
  id: RequestId.nullable(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
})
export type ErrorReply = z.infer<typeof ErrorReplySchema>

export const ReadyEventSchema = z.object({
  v: V,
  kind: z.literal('event'),
  type: z.literal('ready'),
  engineVersion: z.string(),
})
export const EventSchema = z.discriminatedUnion('type', [ReadyEventSchema])
export type EngineEvent = z.infer<typeof EventSchema>

/** Everything the engine sends to the studio. */
export const EngineMessageSchema = z.union([ResponseSchema, ErrorReplySchema, EventSchema])
export type EngineMessage = z.infer<typeof EngineMessageSchema>

/** A request as the client writes it, before the envelope is added. */
export type RequestBody<T extends RequestType = RequestType> = Omit<
  Extract<Request, { type: T }>,
  'v' | 'kind' | 'id'
>
