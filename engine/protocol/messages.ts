// The engine protocol: versioned, type-tagged messages between the studio and the engine host.
// Schemas only, no logic; both sides validate what they receive with these (validate.ts).
import { z } from 'zod'
import { ModelGraphSchema } from '../graph/model-graph'
import { numel } from '../ir/shape'
import { EpochsSchema, TrainSettingsSchema } from '../train/settings'

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
const request = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ v: V, kind: z.literal('request'), id: RequestId, type: z.literal(type), ...shape })

const Floats = z.instanceof(Float32Array)

/**
 * The check every tensor that enters gets (here, and the bridge's files and requests): its data
 * holds exactly as many values as its shape takes, or an issue at `data` says both counts.
 */
export function valuesFitShape(
  t: { readonly shape: readonly number[]; readonly data: Float32Array },
  ctx: z.RefinementCtx,
): void {
  const size = numel(t.shape)
  if (t.data.length === size) return
  const message = `shape [${t.shape.join(', ')}] takes ${size} values, got ${t.data.length}`
  ctx.addIssue({ code: 'custom', message, path: ['data'] })
}

/** A tensor as it travels. */
export const TensorSchema = z
  .object({ shape: z.array(z.number().int().nonnegative()), data: Floats })
  .superRefine(valuesFitShape)

/** [lo, hi] with lo below hi: an axis a plane is drawn over. */
const Interval = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo < hi, { error: 'an interval runs from its lower end to its higher' })

const Split = z.enum(['train', 'test'])
export const ProbeSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('activations'),
    node: z.string().min(1),
    split: Split,
    count: z.number().int().min(1).max(4096),
  }),
  z.object({
    kind: z.literal('plane'),
    resolution: z.number().int().min(2).max(256),
    features: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  }),
  z.object({ kind: z.literal('contributions'), points: z.number().int().min(2).max(4096) }),
])

export const RequestSchema = z.discriminatedUnion('type', [
  HelloRequestSchema,
  InspectRequestSchema,
  /** Compiles a session: graph, data recipe (checked by the data module), settings. */
  request('load', {
    graph: ModelGraphSchema,
    data: z.unknown(),
    settings: TrainSettingsSchema,
    /**
     * Where to train: auto (WebGPU when the platform gives an adapter and a device, else the
     * CPU), or one forced. A forced webgpu that cannot run falls back to the CPU, with the reason.
     */
    backend: z.enum(['auto', 'webgpu', 'cpu']).optional(),
    /** The text of the CSV file a csv data spec names. */
    csv: z
      .string()
      .max(64 * 1024 * 1024)
      .optional(),
  }),
  /** Trains until the run ends, `untilStep`, a pause or a divergence; replies then. */
  request('train', { untilStep: z.number().int().min(1).optional() }),
  request('pause', {}),
  request('step', { count: z.number().int().min(1).max(1_000_000) }),
  request('reset', {}),
  request('set-learning-rate', { learningRate: z.number().positive().max(100) }),
  /** Makes the run this many epochs long, from a pause (never shorter than it has gone). */
  request('set-epochs', { epochs: EpochsSchema }),
  request('evaluate', { split: Split }),
  request('probe', { probe: ProbeSpecSchema }),
  request('weights', {}),
  /**
   * The weights the model starts from, made without a session (a graph with no loss yet has
   * them): the graph fitted to the data as load fits it, and its initialised tensors.
   */
  request('initial-weights', {
    graph: ModelGraphSchema,
    data: z.unknown(),
    settings: TrainSettingsSchema,
    csv: z
      .string()
      .max(64 * 1024 * 1024)
      .optional(),
  }),
  /** Writes saved weights into the session (names and shapes must match exactly). */
  request('set-weights', { tensors: z.record(z.string(), TensorSchema) }),
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
/** A graph problem as it travels: the same fields as engine/graph's Problem. */
export type ProblemMessage = z.infer<typeof ProblemSchema>

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

/** Any number, Infinity and NaN included: a diverging run's loss is reported as it is. */
const Measure = z.custom<number>((v) => typeof v === 'number', 'expected a number')
export const MetricsSchema = z.object({
  loss: Measure,
  accuracy: Measure.optional(),
  rmse: Measure.optional(),
})
const DivergenceSchema = z.object({
  step: z.number(),
  node: z.string().nullable(),
  message: z.string(),
})
const StepOnly = z.object({ step: z.number().int().nonnegative() })

/** A compiler pass's printed result, and how many equations, kernels or buffers it left. */
const PassTextSchema = z.object({
  pass: z.string(),
  text: z.string(),
  count: z.number().int().nonnegative(),
  unit: z.enum(['equations', 'kernels', 'buffers']),
})

export const LoadResultSchema = z.object({
  /** Where the session trains; reason says why not on WebGPU when it was wanted (auto, webgpu). */
  backend: BackendInfoSchema.extend({ reason: z.string().optional() }),
  summary: z.object({
    parameters: z.number(),
    flopsPerStep: z.number(),
    plannedBytes: z.number(),
    naiveBytes: z.number(),
    /** The forward program the layers lowered to (the symbolic approach, printed). */
    forwardIr: PassTextSchema,
    /** The training step's IR after each compiler pass, then its kernels and buffers. */
    trainIr: z.array(PassTextSchema),
  }),
  stepsPerEpoch: z.number().int().positive(),
  totalSteps: z.number().int().positive(),
  dataset: z.object({
    name: z.string(),
    task: z.enum(['classification', 'regression']),
    inputShape: z.array(z.number().int().positive()),
    classNames: z.array(z.string()).optional(),
    featureNames: z.array(z.string()),
    trainCount: z.number().int(),
    testCount: z.number().int(),
  }),
})

export const TrainResultSchema = z.object({
  reason: z.enum(['done', 'stopped', 'reached', 'diverged']),
  step: z.number().int().nonnegative(),
  divergence: DivergenceSchema.optional(),
})

export const ProbeResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('activations'),
    node: z.string(),
    tensor: TensorSchema,
    /** The same examples' targets (class index or value), [rows]. */
    targets: TensorSchema,
  }),
  z.object({
    kind: z.literal('plane'),
    resolution: z.number().int(),
    features: z.tuple([z.number().int(), z.number().int()]),
    /** The interval of features[0], drawn across. */
    xRange: Interval,
    /** The interval of features[1], drawn upward. */
    yRange: Interval,
    nodes: z.record(z.string(), TensorSchema),
    prediction: TensorSchema,
  }),
  z.object({
    kind: z.literal('contributions'),
    x: Floats,
    fit: Floats,
    contributions: z.array(Floats),
    bias: z.number(),
  }),
])

export const resultSchemas = {
  hello: HelloResultSchema,
  inspect: InspectResultSchema,
  load: LoadResultSchema,
  train: TrainResultSchema,
  pause: StepOnly,
  step: z.object({
    step: z.number().int().nonnegative(),
    train: MetricsSchema,
    divergence: DivergenceSchema.optional(),
    notice: z.string().optional(),
    backend: BackendInfoSchema.extend({ reason: z.string().optional() }).optional(),
  }),
  reset: StepOnly,
  /** The rate, and the first step that takes it (a WebGPU run's recorded steps keep theirs). */
  'set-learning-rate': z.object({
    learningRate: z.number(),
    fromStep: z.number().int().nonnegative(),
  }),
  'set-epochs': z.object({
    step: z.number().int().nonnegative(),
    totalSteps: z.number().int().positive(),
  }),
  evaluate: MetricsSchema,
  probe: ProbeResultSchema,
  weights: z.record(z.string(), TensorSchema),
  'initial-weights': z.object({
    graph: ModelGraphSchema,
    tensors: z.record(z.string(), TensorSchema),
  }),
  'set-weights': StepOnly,
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
  'invalid-project', // the graph, data or settings cannot make a session; problems say where
  'no-session', // a training request before a successful load
  'busy', // training is running; pause first
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
  /** For invalid-project: each problem with the node, port or attribute it concerns. */
  problems: z.array(ProblemSchema).optional(),
})
export type ErrorReply = z.infer<typeof ErrorReplySchema>

export const ReadyEventSchema = z.object({
  v: V,
  kind: z.literal('event'),
  type: z.literal('ready'),
  engineVersion: z.string(),
})
export const ProgressEventSchema = z.object({
  v: V,
  kind: z.literal('event'),
  type: z.literal('progress'),
  step: z.number().int(),
  epoch: z.number().int(),
  totalSteps: z.number().int(),
  stepsPerEpoch: z.number().int(),
  learningRate: z.number(),
  stepsPerSecond: z.number(),
  train: MetricsSchema,
  test: MetricsSchema.optional(),
  /** Something the user should hear about the backend (a GPU device lost and replaced). */
  notice: z.string().optional(),
  /** The backend training moved to (the CPU, after the GPU device was lost twice). */
  backend: BackendInfoSchema.extend({ reason: z.string().optional() }).optional(),
})
/**
 * While a load on a GPU times its matrix products to choose their kernels (a first load of a
 * large model on a device: seconds), before each product and after the last.
 */
export const TuningEventSchema = z.object({
  v: V,
  kind: z.literal('event'),
  type: z.literal('tuning'),
  /** Products timed so far. */
  done: z.number().int().nonnegative(),
  /** Products this load times. */
  total: z.number().int().positive(),
})
export const EventSchema = z.discriminatedUnion('type', [
  ReadyEventSchema,
  ProgressEventSchema,
  TuningEventSchema,
])
export type EngineEvent = z.infer<typeof EventSchema>

/** Everything the engine sends to the studio. */
export const EngineMessageSchema = z.union([ResponseSchema, ErrorReplySchema, EventSchema])
export type EngineMessage = z.infer<typeof EngineMessageSchema>

/** A request as the client writes it, before the envelope is added. */
export type RequestBody<T extends RequestType = RequestType> = Omit<
  Extract<Request, { type: T }>,
  'v' | 'kind' | 'id'
>
