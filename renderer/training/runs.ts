// A training run as the studio remembers it: the settings and data it started with, and its
// curves, one point per progress report. Runs are plain data so the Runs panel can overlay them.
import type { DataSpec } from '../../engine/data/spec'
import type { TrainSettings } from '../../engine/train/settings'
import type { FileRun } from '../../electron/bridge'

export type Task = 'classification' | 'regression'

export interface Metrics {
  readonly loss: number
  readonly accuracy?: number | undefined
  readonly rmse?: number | undefined
}

/** Columns of equal length; null where a report had no value (test metrics come per epoch). */
export interface MetricSeries {
  readonly step: number[]
  readonly trainLoss: (number | null)[]
  readonly testLoss: (number | null)[]
  /** Accuracy for classification, RMSE for regression. */
  readonly trainMetric: (number | null)[]
  readonly testMetric: (number | null)[]
}

export type RunStatus = 'running' | 'paused' | 'done' | 'diverged' | 'new'

export interface Run {
  readonly id: number
  readonly name: string
  readonly data: DataSpec
  readonly dataName: string
  /** Its epochs may change while it is paused (the training store's setEpochs). */
  settings: TrainSettings
  readonly task: Task
  readonly classes: number
  readonly parameters: number
  readonly series: MetricSeries
  status: RunStatus
  /** Learning-rate changes made during the run: [step, rate]. */
  readonly lrChanges: [number, number][]
  /** ISO 8601 time of the run's first step (set when it joins the list), where known. */
  startedAt?: string | undefined
  /** A run opened from a project file, as the file had it: saving writes it back unchanged
   * (its id, start, steps and end are what its file said, not what the studio would infer). */
  readonly file?: FileRun | undefined
}

export function emptySeries(): MetricSeries {
  return { step: [], trainLoss: [], testLoss: [], trainMetric: [], testMetric: [] }
}

const finite = (v: number | undefined): number | null =>
  v === undefined || !Number.isFinite(v) ? null : v

export function metricOf(m: Metrics | undefined, task: Task): number | null {
  if (!m) return null
  return finite(task === 'classification' ? m.accuracy : m.rmse)
}

/** Adds one report; a report at a step already recorded replaces that point. */
export function appendPoint(
  series: MetricSeries,
  task: Task,
  point: { step: number; train: Metrics; test?: Metrics | undefined },
): void {
  const last = series.step.length - 1
  if (last >= 0 && (series.step[last] ?? -1) >= point.step) {
    // A repeated step (an evaluation after a pause): keep the newest values.
    series.testLoss[last] = finite(point.test?.loss) ?? series.testLoss[last] ?? null
    series.testMetric[last] = metricOf(point.test, task) ?? series.testMetric[last] ?? null
    return
  }
  series.step.push(point.step)
  series.trainLoss.push(finite(point.train.loss))
  series.testLoss.push(finite(point.test?.loss))
  series.trainMetric.push(metricOf(point.train, task))
  series.testMetric.push(metricOf(point.test, task))
}

/** The newest non-null value in a column. */
export function latest(column: readonly (number | null)[]): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i]
    if (v !== null && v !== undefined) return v
  }
  return null
}

/** "lr 0.01 · adam · batch 10 · 300 epochs". */
export function describeSettings(s: TrainSettings): string {
  const parts = [`lr ${s.learningRate}`, s.optimizer.type, `batch ${s.batchSize}`]
  parts.push(`${s.epochs} epochs`)
  if (s.l1 > 0) parts.push(`L1 ${s.l1}`)
  if (s.l2 > 0) parts.push(`L2 ${s.l2}`)
  if (s.schedule.type !== 'constant') parts.push(`${s.schedule.type} schedule`)
  return parts.join(' · ')
}
