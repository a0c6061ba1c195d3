// Training: the data recipe and settings, the engine session made from them, the run state
// (idle / training / paused / diverged / done), every run's curves, and the panels' probes.
// Train / Pause / Step / Reset go to the engine over the protocol; the UI thread never trains.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { BuiltinName } from '../../engine/data/catalog'
import { BUILTINS } from '../../engine/data/catalog'
import type { DataSpec } from '../../engine/data/spec'
import type { ModelGraph } from '../../engine/graph/model-graph'
import type { EngineEvent, ResultOf } from '../../engine/protocol/messages'
import type { TrainSettings } from '../../engine/train/settings'
import { TrainSettingsSchema, trainSettings } from '../../engine/train/settings'
import { graphRoles } from '../training/graph-roles'
import type { Run, Task } from '../training/runs'
import { dataTask, sessionKey } from '../training/session-key'
import { secondsLeft, updateRate } from '../training/time-left'
import { describeFailure } from '../training/failure'
import type { Failure } from '../training/failure'
import { withInputShape } from '../training/input-shape'
import { useDataChoice } from '../training/use-data-choice'
import { useProbes } from '../training/use-probes'
import { useRuns } from '../training/use-runs'
import { useEngineStore } from './engine'
import { useInspectionStore } from './inspection'
import { useProjectStore } from './project'

export type RunState = 'idle' | 'training' | 'paused' | 'diverged' | 'done'
export type BackendChoice = 'auto' | 'webgpu' | 'cpu'
export type LoadResult = ResultOf<'load'>
export type TrainEnd = ResultOf<'train'>
export type Divergence = NonNullable<TrainEnd['divergence']>

export interface ProgressInfo {
  step: number
  epoch: number
  totalSteps: number
  stepsPerEpoch: number
  learningRate: number
}

export const useTrainingStore = defineStore('training', () => {
  const engine = useEngineStore()
  const project = useProjectStore()
  const inspection = useInspectionStore()

  const choice = useDataChoice(() => load())
  const { data, csv } = choice
  const settings = shallowRef<TrainSettings>(trainSettings())
  const backend = ref<BackendChoice>('auto')
  const state = ref<RunState>('idle')
  const busy = ref<string | null>(null)
  const failure = shallowRef<Failure | null>(null)
  const session = shallowRef<LoadResult | null>(null)
  const progress = ref<ProgressInfo | null>(null)
  const stepsPerSecond = ref<number | null>(null)
  /** The latest thing the engine said about its backend during this session (a GPU lost). */
  const backendNotice = ref<string | null>(null)
  const divergence = shallowRef<Divergence | null>(null)
  const {
    runs,
    current,
    seriesVersion,
    start: startRunFrom,
    record,
    setStatus: setRunStatus,
    setEpochs: setRunEpochs,
    noteRate,
  } = useRuns()
  const liveHeatmaps = ref(true)
  let numbering: { after: number; first: number | null } | null = null
  /** The key of the session loaded; null once it must be made anew whatever the key says. */
  const loadedKey = shallowRef<string | null>(null)
  /** The graph the session was made from (the canvas may have moved on since). */
  const sessionGraph = shallowRef<ModelGraph | null>(null)
  let generation = 0
  /** Set while a load is in flight, when the engine's tuning events say what it is doing. */
  let loading = false

  const key = computed(
    () => `${sessionKey(project.graph, data.value, csv.value, settings.value)}|${backend.value}`,
  )
  const stale = computed(() => session.value !== null && key.value !== loadedKey.value)
  const task = computed<Task>(() => session.value?.dataset.task ?? dataTask(data.value))
  const timeLeft = computed(() =>
    progress.value
      ? secondsLeft(progress.value.step, progress.value.totalSteps, stepsPerSecond.value)
      : null,
  )

  const probes = useProbes(
    () => {
      const client = engine.client
      const s = session.value
      const graph = sessionGraph.value
      if (!client || !s || !graph) return null
      return {
        client,
        roles: graphRoles(graph),
        dataset: s.dataset,
        training: state.value === 'training',
        generation,
      }
    },
    () => generation,
  )

  // ---- runs -----------------------------------------------------------------------------------

  function startRun(s: LoadResult): void {
    startRunFrom(s, data.value, settings.value)
    // After runs came back from a project file, new ones are numbered after them.
    const run = current.value
    if (!run || !numbering) return
    numbering.first ??= run.id
    const id = numbering.after + run.id - numbering.first + 1
    current.value = { ...run, id, name: `Run ${id}` }
  }

  /** Replaces the run history (a project opened from a file, or a new one). */
  function restoreRuns(list: readonly Run[]): void {
    runs.value = [...list]
    current.value = null
    numbering = { after: Math.max(0, ...list.map((r) => r.id)), first: null }
  }

  function setStatus(next: RunState): void {
    state.value = next
    setRunStatus(next === 'training' ? 'running' : next === 'idle' ? 'new' : next)
  }

  // ---- the session ----------------------------------------------------------------------------

  function fail(err: unknown, context: string): void {
    failure.value = describeFailure(err, context, inspection.result?.problems ?? [])
  }

  /** Makes a session from the graph, data and settings (a new run); false when refused. */
  async function load(): Promise<boolean> {
    const client = engine.client
    if (!client) return false
    const parsed = TrainSettingsSchema.safeParse(settings.value)
    if (!parsed.success) {
      fail(new Error(parsed.error.issues.map((i) => i.message).join('\n')), 'Settings')
      return false
    }
    if (state.value === 'training') await pause()
    const graph = project.graph
    const wanted = key.value
    generation++
    busy.value = 'Loading'
    loading = true
    try {
      const c = csv.value
      const result = await client.request({
        type: 'load',
        graph,
        data: data.value,
        settings: parsed.data,
        backend: backend.value,
        ...(c && data.value.kind === 'csv' ? { csv: c.text } : {}),
      })
      session.value = result
      loadedKey.value = wanted
      sessionGraph.value = graph
      failure.value = null
      divergence.value = null
      stepsPerSecond.value = null
      backendNotice.value = null
      progress.value = {
        step: 0,
        epoch: 0,
        totalSteps: result.totalSteps,
        stepsPerEpoch: result.stepsPerEpoch,
        learningRate: parsed.data.learningRate,
      }
      startRun(result)
      state.value = 'idle'
      probes.clear()
      probes.refresh()
      followInputShape(result.dataset.inputShape)
      return true
    } catch (err) {
      session.value = null
      loadedKey.value = null
      sessionGraph.value = null
      progress.value = null
      current.value = null
      divergence.value = null
      probes.clear()
      state.value = 'idle'
      fail(err, 'The engine could not load this project')
      return false
    } finally {
      loading = false
      busy.value = null
    }
  }

  /** A session that matches what is on screen, loading one when needed. */
  async function ensureSession(): Promise<boolean> {
    if (!session.value || stale.value) return load()
    if (await syncEpochs()) return true
    // A run gone past the new length is made anew; a refused change leaves the run as it was.
    return stale.value ? load() : false
  }

  /** The Input node's shape follows the data (one undoable edit when it changes). */
  function followInputShape(shape: readonly number[]): void {
    const next = withInputShape(project.graph, shape)
    if (next) project.edit('Set data shape', next)
  }

  // ---- Train / Pause / Step / Reset -----------------------------------------------------------

  async function train(): Promise<void> {
    const client = engine.client
    if (!client || state.value === 'training' || busy.value) return
    if (!(await ensureSession())) return
    if (state.value === 'done' || state.value === 'diverged') await reset()
    const mine = generation
    setStatus('training')
    probes.refresh()
    try {
      // One request to the run's end: the engine reports as it goes, densely enough on a
      // short run for its curve (engine/train/loop.ts), and stops at a pause.
      const end = await client.request({ type: 'train' })
      if (mine !== generation) return
      if (progress.value) progress.value.step = end.step
      settle(end.divergence ?? null, end.reason === 'done')
      await evaluateTest()
    } catch (err) {
      if (mine !== generation) return
      setStatus('paused')
      fail(err, 'Training stopped')
    }
    probes.refresh()
  }

  /** Where a run stands after training stopped: diverged, done, or paused. */
  function settle(diverged: Divergence | null, finished: boolean): void {
    divergence.value = diverged
    setStatus(diverged ? 'diverged' : finished ? 'done' : 'paused')
  }

  async function pause(): Promise<void> {
    const client = engine.client
    if (!client || state.value !== 'training') return
    const ended = new Promise<void>((resolve) => {
      const stop = watch(state, (s) => {
        if (s === 'training') return
        stop()
        resolve()
      })
    })
    await client.request({ type: 'pause' })
    await ended
  }

  /** Keeps the engine's latest word on its backend (a lost GPU device replaced, or a move). */
  function noteBackend(news: {
    notice?: string | undefined
    backend?: LoadResult['backend'] | undefined
  }): void {
    if (news.notice !== undefined) backendNotice.value = news.notice
    const s = session.value
    if (news.backend !== undefined && s !== null) session.value = { ...s, backend: news.backend }
  }

  async function step(count = 1): Promise<void> {
    const client = engine.client
    if (!client || state.value === 'training' || busy.value) return
    if (!(await ensureSession())) return
    if (state.value === 'done' || state.value === 'diverged') await reset()
    const mine = generation
    busy.value = 'Stepping'
    try {
      const r = await client.request({ type: 'step', count })
      if (mine !== generation || !progress.value) return
      const p = progress.value
      p.step = r.step
      p.epoch = Math.floor(r.step / p.stepsPerEpoch)
      record({ step: r.step, train: r.train })
      noteBackend(r)
      settle(r.divergence ?? null, r.step >= p.totalSteps)
      await evaluateTest()
    } catch (err) {
      fail(err, 'The step failed')
    } finally {
      busy.value = null
    }
    probes.refresh()
  }

  /** Fresh weights, step 0, and a new run with the same settings. */
  async function reset(): Promise<void> {
    const client = engine.client
    const s = session.value
    if (!client || !s) return
    if (state.value === 'training') await pause()
    generation++
    busy.value = 'Resetting'
    try {
      await client.request({ type: 'reset' })
      if (progress.value) {
        progress.value = { ...progress.value, step: 0, epoch: 0 }
        if (progress.value.learningRate !== settings.value.learningRate) {
          await client.request({
            type: 'set-learning-rate',
            learningRate: settings.value.learningRate,
          })
          progress.value.learningRate = settings.value.learningRate
        }
      }
      divergence.value = null
      stepsPerSecond.value = null
      startRun(s)
      state.value = 'idle'
      probes.clear()
    } catch (err) {
      fail(err, 'Reset failed')
    } finally {
      busy.value = null
    }
    probes.refresh()
  }

  /** The test split's metrics at the current step, added to the curves. */
  async function evaluateTest(): Promise<void> {
    const client = engine.client
    const p = progress.value
    // A diverged model's metrics are not numbers; there is nothing to add to the curves.
    if (!client || !p || !session.value || divergence.value) return
    if (session.value.dataset.testCount === 0) return
    try {
      const test = await client.request({ type: 'evaluate', split: 'test' })
      record({ step: p.step, train: { loss: NaN }, test })
    } catch {
      // An evaluation racing a new session is simply dropped.
    }
  }

  /** Changes the learning rate now: the engine uses it from its next chunk on. */
  async function setLearningRate(learningRate: number): Promise<void> {
    if (!(learningRate > 0) || learningRate > 100) return
    settings.value = { ...settings.value, learningRate }
    const client = engine.client
    // The session in the engine takes it now; a later load takes it from the settings.
    if (!client || !session.value) return
    const r = await client.request({ type: 'set-learning-rate', learningRate })
    if (progress.value) progress.value.learningRate = learningRate
    noteRate(r.fromStep, learningRate)
  }

  /**
   * Makes the run `epochs` long. A session the screen still matches takes it in place when its
   * run has not gone past that (syncEpochs): a finished run can then train on, and a training
   * one pauses for the change and goes on. Otherwise the next Train starts a new run with it.
   */
  async function setEpochs(epochs: number): Promise<void> {
    settings.value = { ...settings.value, epochs }
    // A request under way: Train and Step catch up through ensureSession.
    if (busy.value) return
    const wasTraining = state.value === 'training'
    if (wasTraining) await pause()
    if ((await syncEpochs()) && wasTraining) void train()
  }

  /**
   * Gives the session the settings' epochs where they differ from its own, in place; where its
   * run has gone past them, marks it to be made anew. Whether the session can go on.
   */
  async function syncEpochs(): Promise<boolean> {
    const client = engine.client
    const p = progress.value
    if (!client || !session.value || !p || stale.value) return false
    const epochs = settings.value.epochs
    if (epochs * p.stepsPerEpoch === p.totalSteps) return true
    if (epochs * p.stepsPerEpoch < p.step) {
      loadedKey.value = null
      return false
    }
    try {
      const r = await client.request({ type: 'set-epochs', epochs })
      p.totalSteps = r.totalSteps
      setRunEpochs(epochs)
      if (state.value === 'done' && r.step < r.totalSteps) setStatus('paused')
      if (state.value === 'paused' && r.step >= r.totalSteps) setStatus('done')
      return true
    } catch (err) {
      fail(err, 'The run could not change its length')
      return false
    }
  }

  /** After a divergence: a tenth of the learning rate, fresh weights, and train again. */
  async function retryWithLowerRate(): Promise<void> {
    const lr = Number((settings.value.learningRate / 10).toPrecision(3))
    settings.value = { ...settings.value, learningRate: lr }
    if (!(await load())) return
    await train()
  }

  // ---- data -----------------------------------------------------------------------------------

  function chooseBuiltin(name: BuiltinName): void {
    choice.chooseBuiltin(name)
    followInputShape(BUILTINS[name].inputShape)
  }

  /** Takes a project's data recipe (with its CSV's text) and settings, and loads a session. */
  function applyProject(p: { data: DataSpec; settings: TrainSettings; csv?: string }) {
    choice.setData(p.data)
    if (p.data.kind === 'csv' && p.csv !== undefined) csv.value = { name: p.data.name, text: p.csv }
    settings.value = p.settings
    return load()
  }

  // ---- engine events --------------------------------------------------------------------------

  function onEvent(event: EngineEvent): void {
    if (event.type === 'tuning') {
      // A first load of a large model on a GPU times its matrix products for seconds.
      if (loading) {
        busy.value =
          event.done < event.total
            ? `Tuning for this GPU (${event.done + 1} of ${event.total})`
            : 'Loading'
      }
      return
    }
    if (event.type !== 'progress' || state.value !== 'training' || !progress.value) return
    progress.value = {
      step: event.step,
      epoch: event.epoch,
      totalSteps: event.totalSteps,
      stepsPerEpoch: event.stepsPerEpoch,
      learningRate: event.learningRate,
    }
    stepsPerSecond.value = updateRate(stepsPerSecond.value, event.stepsPerSecond)
    noteBackend(event)
    record({ step: event.step, train: event.train, test: event.test })
    if (liveHeatmaps.value) probes.refresh()
  }

  let unsubscribe: (() => void) | null = null
  watch(
    () => engine.client,
    (client) => {
      unsubscribe?.()
      unsubscribe = client ? client.onEvent(onEvent) : null
    },
    { immediate: true },
  )

  return {
    data,
    csv,
    settings,
    backend,
    state,
    busy,
    failure,
    session,
    sessionGraph,
    progress,
    stepsPerSecond,
    backendNotice,
    timeLeft,
    divergence,
    runs,
    current,
    seriesVersion,
    liveHeatmaps,
    stale,
    task,
    probes: probes.results,
    planeFeatures: probes.planeFeatures,
    activationNode: probes.activationNode,
    /** Node id → dead ReLUs and saturated units over the last probed batch (canvas marks). */
    diagnostics: probes.diagnostics,
    want: probes.want,
    refreshProbes: probes.refresh,
    load,
    train,
    pause,
    step,
    reset,
    setLearningRate,
    setEpochs,
    retryWithLowerRate,
    chooseBuiltin,
    updateData: choice.updateData,
    useCsv: choice.useCsv,
    applyProject,
    restoreRuns,
    dismissFailure: () => (failure.value = null),
  }
})
