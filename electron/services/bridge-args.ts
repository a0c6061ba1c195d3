// Checks every Bridge argument where it enters the services, for both hosts (main's IPC
// handlers and the browser-mode server): untrusted values in, typed values or located errors
// out ("document.weights.tensors.fc1.weight.data: shape [2, 4] takes 8 values, got 6").
import { z } from 'zod'
import type {
  DocumentState,
  ExportRequest,
  OpenCall,
  SaveRequest,
  StudioDocument,
  StudioWeights,
  WireTensor,
} from '../bridge'
import { EXPORT_FORMATS, MAX_PROJECT_BYTES } from '../bridge'
import { validateDataSpec } from '../../engine/data/spec'
import { valuesFitShape } from '../../engine/protocol/messages'
import { issueLines, parseModelGraph } from '../../engine/graph/model-graph'
import { PROJECT_FORMAT, PROJECT_VERSION, parseProject } from '../../engine/io/project-json'

export type Checked<T> = { readonly ok: true; readonly value: T } | ArgErrors
export interface ArgErrors {
  readonly ok: false
  readonly errors: readonly string[]
}

/** Thrown by handlers for arguments that fail their check: the message lists where. */
export class BridgeArgumentError extends Error {
  override name = 'BridgeArgumentError'
  constructor(readonly errors: readonly string[]) {
    super(errors.join('\n'))
  }
}

/** The value, or BridgeArgumentError with the reasons. */
export function orThrow<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new BridgeArgumentError(checked.errors)
  return checked.value
}

const MAX_TENSORS = 10_000
const MAX_NAME = 300
const MAX_PATH = 4096
const MAX_TEXT = MAX_PROJECT_BYTES

const Text = (max: number) => z.string().max(max)
const Shape = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
  )
  .max(8)
const TensorSchema = z
  .object({ shape: Shape, data: z.instanceof(Float32Array) })
  .strict()
  .superRefine(valuesFitShape)
const TensorsSchema = z
  .record(z.string().min(1).max(MAX_NAME), TensorSchema)
  .refine((r) => Object.keys(r).length <= MAX_TENSORS, `at most ${MAX_TENSORS} tensors`)
const WeightsSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('trained'),
      graph: z.unknown(),
      tensors: TensorsSchema,
      data: z.unknown(),
      csv: Text(MAX_TEXT).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('kept'),
      tensors: TensorsSchema,
      metadata: z.record(z.string().max(MAX_NAME), Text(MAX_TEXT)),
    })
    .strict(),
])
const DocumentSchema = z
  .object({
    project: z.unknown(),
    csv: Text(MAX_TEXT).optional(),
    weights: WeightsSchema.optional(),
  })
  .strict()

function zodErrors(where: string, error: z.ZodError): ArgErrors {
  return {
    ok: false,
    errors: issueLines(error).map((line) => `${where}.${line}`),
  }
}

const prefixed = (where: string, errors: readonly string[]): ArgErrors => ({
  ok: false,
  errors: errors.map((e) => `${where}.${e}`),
})

type RawWeights = z.infer<typeof WeightsSchema>

function tensorsOf(raw: RawWeights['tensors']): Record<string, WireTensor> {
  const out: Record<string, WireTensor> = {}
  for (const [name, t] of Object.entries(raw)) out[name] = { shape: t.shape, data: t.data }
  return out
}

function checkWeights(raw: RawWeights, where: string): Checked<StudioWeights> {
  const tensors = tensorsOf(raw.tensors)
  if (raw.kind === 'kept') {
    return { ok: true, value: { kind: 'kept', tensors, metadata: { ...raw.metadata } } }
  }
  const graph = parseModelGraph(raw.graph)
  if (!graph.ok) return prefixed(`${where}.graph`, graph.errors)
  const data = validateDataSpec(raw.data)
  if (!data.ok)
    return prefixed(
      where,
      data.errors.map((e) => `data.${e.field}: ${e.message}`),
    )
  const csv = raw.csv === undefined ? {} : { csv: raw.csv }
  return {
    ok: true,
    value: { kind: 'trained', graph: graph.value, tensors, data: data.spec, ...csv },
  }
}

export function checkDocument(value: unknown, where = 'document'): Checked<StudioDocument> {
  const raw = DocumentSchema.safeParse(value)
  if (!raw.success) return zodErrors(where, raw.error)
  // The Bridge carries the Project itself; the document's format and version are the file's.
  const given = raw.data.project
  const project = parseProject(
    typeof given === 'object' && given !== null
      ? { ...given, format: PROJECT_FORMAT, version: PROJECT_VERSION }
      : given,
  )
  if (!project.ok) return prefixed(`${where}.project`, project.errors)
  let weights: StudioWeights | undefined
  if (raw.data.weights) {
    const checked = checkWeights(raw.data.weights, `${where}.weights`)
    if (!checked.ok) return checked
    weights = checked.value
  }
  const document: StudioDocument = {
    project: project.project,
    ...(raw.data.csv === undefined ? {} : { csv: raw.data.csv }),
    ...(weights === undefined ? {} : { weights }),
  }
  return { ok: true, value: document }
}

const PathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((p) => !p.includes('\0'), 'bad path')

const OpenCallSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dialog') }).strict(),
  z.object({ kind: z.literal('path'), path: PathSchema }).strict(),
  z.object({ kind: z.literal('dropped'), path: PathSchema }).strict(),
  z
    .object({
      kind: z.literal('bytes'),
      name: z.string().min(1).max(MAX_NAME),
      bytes: z.instanceof(Uint8Array).refine((b) => b.length <= MAX_PROJECT_BYTES, 'too large'),
    })
    .strict(),
])

export function checkOpenCall(value: unknown): Checked<OpenCall> {
  const parsed = OpenCallSchema.safeParse(value)
  return parsed.success ? { ok: true, value: parsed.data } : zodErrors('open', parsed.error)
}

const FileName = z.string().min(1).max(MAX_NAME)
const SaveShape = z
  .object({
    document: z.unknown(),
    path: PathSchema.nullable(),
    saveAs: z.boolean(),
    suggestedName: FileName,
  })
  .strict()

export function checkSaveRequest(value: unknown): Checked<SaveRequest> {
  const raw = SaveShape.safeParse(value)
  if (!raw.success) return zodErrors('save', raw.error)
  const document = checkDocument(raw.data.document, 'save.document')
  if (!document.ok) return document
  return { ok: true, value: { ...raw.data, document: document.value } }
}

const ExportShape = z
  .object({ format: z.enum(EXPORT_FORMATS), name: FileName, weights: WeightsSchema })
  .strict()

export function checkExportRequest(value: unknown): Checked<ExportRequest> {
  const raw = ExportShape.safeParse(value)
  if (!raw.success) return zodErrors('export', raw.error)
  const weights = checkWeights(raw.data.weights, 'export.weights')
  if (!weights.ok) return weights
  return {
    ok: true,
    value: { format: raw.data.format, name: raw.data.name, weights: weights.value },
  }
}

const DocumentStateSchema = z
  .object({ name: z.string().max(MAX_NAME), path: PathSchema.nullable(), dirty: z.boolean() })
  .strict()

export function checkDocumentState(value: unknown): Checked<DocumentState> {
  const parsed = DocumentStateSchema.safeParse(value)
  return parsed.success ? { ok: true, value: parsed.data } : zodErrors('state', parsed.error)
}

/** The recovery snapshot: a document, or null to remove the recovery file. */
export function checkRecovery(value: unknown): Checked<StudioDocument | null> {
  return value === null ? { ok: true, value: null } : checkDocument(value, 'recovery')
}

/** Exactly `count` arguments, or an error naming the call. */
export function checkArity(call: string, args: readonly unknown[], count: number): void {
  if (args.length !== count) {
    throw new BridgeArgumentError([`${call}: expected ${count} argument(s), got ${args.length}`])
  }
}
