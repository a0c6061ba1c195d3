// A project's run history: each training run with the settings it used, how it ended and its
// curves (training and test metrics at the steps the studio reported them). Stored in the
// project document; a metric that was not finite (a diverged run) is stored as null. A run also
// names the data set it trained on, which may no longer be the project's.
import { z } from 'zod'
import type { DataSpec } from '../data/spec'
import { validateDataSpec } from '../data/spec'
import { TrainSettingsSchema } from '../train/settings'

const Metric = z.number().nullable()

export const RunMetricsSchema = z.strictObject({
  loss: Metric,
  accuracy: Metric.optional(),
  rmse: Metric.optional(),
})

export const CurvePointSchema = z.strictObject({
  step: z.number().int().min(0),
  train: RunMetricsSchema,
  test: RunMetricsSchema.optional(),
})

/** A data recipe, checked field by field as the project's own is (a CSV's text is not kept). */
const DataSpecSchema = z.unknown().transform((value, ctx): DataSpec => {
  const checked = validateDataSpec(value)
  if (checked.ok) return checked.spec
  for (const e of checked.errors) {
    const path = e.field === '' ? [] : [e.field]
    ctx.issues.push({ code: 'custom', message: e.message, input: value, path })
  }
  return z.NEVER
})

const Count = z.number().int().min(0)

export const RunSchema = z.strictObject({
  id: z.string().min(1).max(100),
  /** ISO 8601 time the run started. */
  startedAt: z.string().max(40).optional(),
  settings: TrainSettingsSchema.optional(),
  steps: z.number().int().min(0),
  end: z.enum(['finished', 'stopped', 'diverged']).optional(),
  /** The data the run trained on; older files lack it (the project's data is then assumed). */
  data: DataSpecSchema.optional(),
  /** The data set's name as the Runs panel shows it. */
  dataName: z.string().max(1000).optional(),
  /** Classes of a classifier's data, and the model's parameters, when the run started. */
  classes: Count.optional(),
  parameters: Count.optional(),
  curve: z.array(CurvePointSchema).max(1_000_000),
  /** Learning rates set during the run, each with the first step that took it. */
  rateChanges: z
    .array(z.strictObject({ step: Count, learningRate: z.number().positive().max(100) }))
    .max(100_000)
    .optional(),
})

export type RunMetrics = z.infer<typeof RunMetricsSchema>
export type CurvePoint = z.infer<typeof CurvePointSchema>
export type Run = z.infer<typeof RunSchema>

/** Metrics as stored: NaN and ±Infinity become null, which JSON can hold. */
export function storedMetrics(m: {
  loss: number
  accuracy?: number | undefined
  rmse?: number | undefined
}): RunMetrics {
  const v = (x: number) => (Number.isFinite(x) ? x : null)
  return {
    loss: v(m.loss),
    ...(m.accuracy === undefined ? {} : { accuracy: v(m.accuracy) }),
    ...(m.rmse === undefined ? {} : { rmse: v(m.rmse) }),
  }
}
