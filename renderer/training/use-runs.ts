// The runs the studio remembers: the current one, which joins the list with its first point
// (loading a data set to look at it makes no run), and a version number that charts watch
// instead of deep-watching every curve.
import { ref, shallowRef, triggerRef } from 'vue'
import type { DataSpec } from '../../engine/data/spec'
import type { ResultOf } from '../../engine/protocol/messages'
import type { TrainSettings } from '../../engine/train/settings'
import type { Run, RunStatus } from './runs'
import { appendPoint, emptySeries } from './runs'

export function useRuns() {
  const runs = shallowRef<Run[]>([])
  const current = shallowRef<Run | null>(null)
  /** Bumped whenever a run's curves grow, so charts redraw without deep watching. */
  const seriesVersion = ref(0)
  let nextId = 1

  /** A new current run from a session and what it was made from. */
  function start(s: ResultOf<'load'>, data: DataSpec, settings: TrainSettings): void {
    current.value = {
      id: nextId,
      name: `Run ${nextId}`,
      data,
      dataName: s.dataset.name,
      settings,
      task: s.dataset.task,
      classes: s.dataset.classNames?.length ?? 0,
      parameters: s.summary.parameters,
      series: emptySeries(),
      status: 'new',
      lrChanges: [],
    }
  }

  /** Records a point on the current run. */
  function record(point: Parameters<typeof appendPoint>[2]): void {
    const run = current.value
    if (!run) return
    appendPoint(run.series, run.task, point)
    if (!runs.value.includes(run)) {
      run.startedAt ??= new Date().toISOString()
      nextId++
      runs.value = [...runs.value, run]
    }
    seriesVersion.value++
  }

  function setStatus(status: RunStatus): void {
    if (!current.value) return
    current.value.status = status
    triggerRef(runs)
  }

  /** A learning-rate change on the current run, from `step` on (the loss chart marks it). */
  function noteRate(step: number, rate: number): void {
    if (!current.value) return
    current.value.lrChanges.push([step, rate])
    seriesVersion.value++
  }

  /** The current run made longer or shorter in place. */
  function setEpochs(epochs: number): void {
    if (!current.value) return
    current.value.settings = { ...current.value.settings, epochs }
    triggerRef(runs)
  }

  return { runs, current, seriesVersion, start, record, setStatus, setEpochs, noteRate }
}
