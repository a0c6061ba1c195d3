// Training settings: what a person picks in the controls panel and a project file stores. One
// schema validates them wherever they enter (protocol, project file, CLI flags).
import { z } from 'zod'

const Positive = z.number().positive().finite()
const Rate = z.number().min(0).max(10)

export const OptimizerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sgd') }),
  z.strictObject({
    type: z.literal('momentum'),
    momentum: z.number().min(0).max(0.9999).default(0.9),
    nesterov: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.literal('rmsprop'),
    alpha: z.number().min(0).max(0.9999).default(0.99),
    eps: Positive.default(1e-8),
  }),
  z.strictObject({
    type: z.literal('adam'),
    beta1: z.number().min(0).max(0.9999).default(0.9),
    beta2: z.number().min(0).max(0.99999).default(0.999),
    eps: Positive.default(1e-8),
  }),
  z.strictObject({
    type: z.literal('adamw'),
    beta1: z.number().min(0).max(0.9999).default(0.9),
    beta2: z.number().min(0).max(0.99999).default(0.999),
    eps: Positive.default(1e-8),
    weightDecay: Rate.default(0.01),
  }),
])

type ScheduleShape =
  | { type: 'constant' }
  | { type: 'step'; every: number; gamma: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine'; steps: number; min?: number | undefined }
  | { type: 'warmup'; steps: number; then: ScheduleShape }

export const ScheduleSchema: z.ZodType<ScheduleShape> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('constant') }),
    z.strictObject({ type: z.literal('step'), every: z.number().int().min(1), gamma: Positive }),
    z.strictObject({ type: z.literal('exponential'), gamma: Positive }),
    z.strictObject({
      type: z.literal('cosine'),
      steps: z.number().int().min(1),
      min: z.number().min(0).optional(),
    }),
    z.strictObject({
      type: z.literal('warmup'),
      steps: z.number().int().min(1),
      then: ScheduleSchema,
    }),
  ]),
)

/** The longest run, in epochs. */
export const MAX_EPOCHS = 1_000_000

/** A run's length: epochs over the training split. */
export const EpochsSchema = z.number().int().min(1).max(MAX_EPOCHS)

export const TrainSettingsSchema = z.strictObject({
  batchSize: z.number().int().min(1).max(65536).default(10),
  epochs: EpochsSchema.default(100),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  learningRate: z.number().positive().max(100).default(0.01),
  optimizer: OptimizerSchema.default({ type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }),
  schedule: ScheduleSchema.default({ type: 'constant' }),
  /** Clip the gradients' global norm to this; absent: no clipping. */
  clipNorm: Positive.optional(),
  /** Penalties on every weight, added to each layer's own. */
  l1: Rate.default(0),
  l2: Rate.default(0),
})

export type TrainSettings = z.infer<typeof TrainSettingsSchema>
export type TrainSettingsInput = z.input<typeof TrainSettingsSchema>

export function trainSettings(input: TrainSettingsInput = {}): TrainSettings {
  return TrainSettingsSchema.parse(input)
}
