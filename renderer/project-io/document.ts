// The studio's runs as a project file stores them and back: each run's curves (training and test
// loss, accuracy or RMSE per reported step), the settings and data it used and how it ended.
// Also the window title and the file names offered for saving and exporting.
import type { DataSpec } from '../../engine/data/spec'
import type { TrainSettings } from '../../engine/train/settings'
import type { FileCurvePoint, FileRun } from '../../electron/bridge'
import type { MetricSeries, Run, RunStatus, Task } from '../training/runs'
import { dataTask } from '../training/session-key'

const END: Readonly<Record<RunStatus, FileRun['end']>> = {
  done: 'finished',
  diverged: 'diverged',
  paused: 'stopped',
  running: 'stopped',
  new: 'stopped',
}
const STATUS: Readonly<Record<NonNullable<FileRun['end']>, RunStatus>> = {
  finished: 'done',
  diverged: 'diverged',
  stopped: 'paused',
}

const metricKey = (task: Task): 'accuracy' | 'rmse' =>
  task === 'classification' ? 'accuracy' : 'rmse'

/** One point of a run's curves; a column's null (no value, or not finite) stays null. */
function pointAt(series: MetricSeries, i: number, task: Task): FileCurvePoint {
  const key = metricKey(task)
  const train = { loss: series.trainLoss[i] ?? null, [key]: series.trainMetric[i] ?? null }
  const testLoss = series.testLoss[i] ?? null
  const testMetric = series.testMetric[i] ?? null
  const test =
    testLoss === null && testMetric === null ? {} : { test: { loss: testLoss, [key]: testMetric } }
  return { step: series.step[i] ?? 0, train, ...test }
}

/** A run as the file stores it: one opened from a file goes back as it came (naming the data it
 * was shown with, where its file did not); the studio's own runs with what the studio knows. */
export function toFileRun(run: Run): FileRun {
  if (run.file) return { ...run.file, data: run.data, dataName: run.dataName }
  const curve = run.series.step.map((_, i) => pointAt(run.series, i, run.task))
  const end = END[run.status]
  return {
    id: `run-${run.id}`,
    ...(run.startedAt === undefined ? {} : { startedAt: run.startedAt }),
    settings: run.settings,
    steps: run.series.step[run.series.step.length - 1] ?? 0,
    ...(end === undefined ? {} : { end }),
    data: run.data,
    dataName: run.dataName,
    // 0 is what the studio knows as "none" (regression) or "not known" (an older file's run).
    ...(run.classes > 0 ? { classes: run.classes } : {}),
    ...(run.parameters > 0 ? { parameters: run.parameters } : {}),
    curve,
    ...(run.lrChanges.length === 0
      ? {}
      : { rateChanges: run.lrChanges.map(([step, learningRate]) => ({ step, learningRate })) }),
  }
}

/** A run's task from its curves (which metric they carry), else from the project's data. */
function taskOf(run: FileRun, data: DataSpec): Task {
  for (const p of run.curve) {
    if ('accuracy' in p.train || (p.test && 'accuracy' in p.test)) return 'classification'
    if ('rmse' in p.train || (p.test && 'rmse' in p.test)) return 'regression'
  }
  return dataTask(data)
}

function seriesOf(run: FileRun, task: Task): MetricSeries {
  const key = metricKey(task)
  const series: MetricSeries = {
    step: [],
    trainLoss: [],
    testLoss: [],
    trainMetric: [],
    testMetric: [],
  }
  for (const p of run.curve) {
    series.step.push(p.step)
    series.trainLoss.push(p.train.loss)
    series.trainMetric.push(p.train[key] ?? null)
    series.testLoss.push(p.test?.loss ?? null)
    series.testMetric.push(p.test?.[key] ?? null)
  }
  return series
}

/** Ids from "run-N" when they are distinct whole numbers, else 1, 2, 3… in order. */
function runIds(runs: readonly FileRun[]): number[] {
  const ids = runs.map((r) => Number(/^run-(\d{1,9})$/.exec(r.id)?.[1] ?? NaN))
  const usable = ids.every((id) => id >= 1) && new Set(ids).size === ids.length
  return usable ? ids : runs.map((_, i) => i + 1)
}

/** The file's runs as the studio shows them, with the project's data and settings where a run
 * does not say (files written before runs kept their data set). */
export function fromFileRuns(
  runs: readonly FileRun[],
  project: { data: DataSpec; training: TrainSettings },
): Run[] {
  const ids = runIds(runs)
  return runs.map((r, i) => {
    const data = r.data ?? project.data
    const task = taskOf(r, data)
    const id = ids[i] ?? i + 1
    return {
      id,
      name: `Run ${id}`,
      data,
      dataName: r.dataName ?? data.name,
      settings: r.settings ?? project.training,
      task,
      classes: r.classes ?? 0,
      parameters: r.parameters ?? 0,
      series: seriesOf(r, task),
      status: r.end === undefined ? 'paused' : STATUS[r.end],
      lrChanges: (r.rateChanges ?? []).map((c): [number, number] => [c.step, c.learningRate]),
      startedAt: r.startedAt,
      file: r,
    }
  })
}

/** "spiral.dendrite • — Dendrite": the file's name (or the project's), and the unsaved mark. */
export function windowTitle(name: string, dirty: boolean): string {
  return `${name}${dirty ? ' •' : ''} — Dendrite`
}

/** The file name offered when saving a project that has none yet. */
export function projectFileName(projectName: string): string {
  const stem = projectName
    .trim()
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
  return `${stem === '' ? 'Untitled' : stem}.dendrite`
}

/** The name without its .dendrite (or .json) extension: "spiral.dendrite" → "spiral". */
export function fileStem(fileName: string): string {
  return fileName.replace(/\.(dendrite|json)$/i, '')
}
