// A project's run history: each training run with the settings it used, how it ended and its
// curves (training and test metrics at the steps the studio reported them). Stored in the
// project document; a metric that was not finite (a diverged run) is stored as null.
import { z } from 'zod'
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

export const RunSchema = z.strictObject({
  id: z.string().min(1).max(100),
  /** ISO 8601 time the run started. */
  startedAt: z.string().max(40).optional(),
  settings: TrainSettingsSchema.optional(),
  steps: z.number().int().min(0),
  end: z.enum(['finished', 'stopped', 'diverged']).optional(),
  curve: z.array(CurvePointSchema).max(1_000_000),
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
