// The host's training side: one session at a time, made by `load`, driven by train / pause /
// step / reset, and read by evaluate / probe / weights. Progress goes out as events.
import type { DataSources } from '../data/registry'
import { makeDataset } from '../data/registry'
import type { DataSpec } from '../data/spec'
import { validateDataSpec } from '../data/spec'
import { inspectGraph } from '../graph/inspect'
import type { Problem } from '../graph/problems'
import { LoweringError } from '../lower/lower-graph'
import type { EngineEvent, Request, ResultOf } from '../protocol/messages'
import { PROTOCOL_VERSION } from '../protocol/messages'
import { applyWeights } from '../io/apply-weights'
import { withDataShape } from '../train/data-fit'
import type { LoopControl } from '../train/loop'
import { trainLoop } from '../train/loop'
import type { Prober } from '../train/probes'
import { createProber } from '../train/probes'
import type { Session } from '../train/session'
import { createSession } from '../train/session'

/** A request the host refuses, with the protocol's error code. */
export class HostError extends Error {
  constructor(
    readonly code: 'invalid-project' | 'no-session' | 'busy',
    message: string,
    readonly problems?: readonly Problem[],
  ) {
    super(message)
  }
}

export interface TrainingDeps {
  /** Bytes the engine cannot fetch itself for a data spec (MNIST's file). */
  sources: (spec: DataSpec) => Promise<DataSources>
  emit: (event: EngineEvent) => void
}

type Req<T extends Request['type']> = Extract<Request, { type: T }>

export function createTrainingHost(deps: TrainingDeps) {
  let session: Session | null = null
  let prober: Prober | null = null
  let control: LoopControl | null = null

  const current = (): Session => {
    if (!session) throw new HostError('no-session', 'Nothing is loaded: send load first.')
    return session
  }
  const idle = (): Session => {
    if (control) throw new HostError('busy', 'Training is running: pause it first.')
    return current()
  }

  return {
    async load(r: Req<'load'>): Promise<ResultOf<'load'>> {
      if (control) control.stop = true
      control = null
      const made = await loadSession(r, deps)
      session = made
      prober = createProber(made.graph, made.dataset, made.settings.seed)
      return describeSession(made)
    },
    async train(r: Req<'train'>): Promise<ResultOf<'train'>> {
      const s = idle()
      const own: LoopControl = { stop: false }
      control = own
      try {
        const end = await trainLoop(s, {
          control: own,
          ...(r.untilStep === undefined ? {} : { untilStep: r.untilStep }),
          report: (p) => deps.emit({ v: PROTOCOL_VERSION, kind: 'event', type: 'progress', ...p }),
        })
        return end.reason === 'diverged'
          ? { reason: end.reason, step: s.step, divergence: end.divergence }
          : { reason: end.reason, step: s.step }
      } finally {
        if (control === own) control = null
      }
    },
    pause(): Promise<ResultOf<'pause'>> {
      if (control) control.stop = true
      control = null
      return Promise.resolve({ step: current().step })
    },
    step(r: Req<'step'>): Promise<ResultOf<'step'>> {
      const s = idle()
      const result = s.train(r.count)
      const train = s.takeTrainMetrics()
      return Promise.resolve(
        result.divergence
          ? { step: s.step, train, divergence: result.divergence }
          : { step: s.step, train },
      )
    },
    reset(): Promise<ResultOf<'reset'>> {
      idle().reset()
      return Promise.resolve({ step: 0 })
    },
    setLearningRate(r: Req<'set-learning-rate'>): Promise<ResultOf<'set-learning-rate'>> {
      current().setLearningRate(r.learningRate)
      return Promise.resolve({ learningRate: r.learningRate })
    },
    evaluate(r: Req<'evaluate'>): Promise<ResultOf<'evaluate'>> {
      return Promise.resolve(current().evaluate(r.split))
    },
    probe(r: Req<'probe'>): Promise<ResultOf<'probe'>> {
      const s = current()
      const p = prober
      if (!p) throw new HostError('no-session', 'Nothing is loaded: send load first.')
      const weights = s.weights()
      const spec = r.probe
      if (spec.kind === 'activations') {
        const probe = p.activations(spec.node, spec.split, spec.count, weights)
        return Promise.resolve({ kind: 'activations', node: spec.node, ...probe })
      }
      if (spec.kind === 'plane') {
        return Promise.resolve({
          kind: 'plane',
          ...p.plane(spec.resolution, spec.features, weights),
        })
      }
      return Promise.resolve({ kind: 'contributions', ...p.contributions(spec.points, weights) })
    },
    setWeights(r: Req<'set-weights'>): Promise<ResultOf<'set-weights'>> {
      const s = idle()
      try {
        applyWeights(s, r.tensors)
      } catch (err) {
        if (!(err instanceof RangeError)) throw err
        throw new HostError('invalid-project', `The weights do not fit this graph:\n${err.message}`)
      }
      return Promise.resolve({ step: s.step })
    },
    weights(): Promise<ResultOf<'weights'>> {
      const out: ResultOf<'weights'> = {}
      for (const [name, t] of Object.entries(current().weights())) {
        out[name] = { shape: [...t.shape], data: t.data }
      }
      return Promise.resolve(out)
    },
  }
}

export type TrainingHost = ReturnType<typeof createTrainingHost>

async function loadSession(r: Req<'load'>, deps: TrainingDeps): Promise<Session> {
  const spec = validateDataSpec(r.data)
  if (!spec.ok) {
    const lines = spec.errors.map((e) => `data.${e.field}: ${e.message}`)
    throw new HostError('invalid-project', lines.join('\n'))
  }
  const sources = {
    ...(await deps.sources(spec.spec)),
    ...(r.csv === undefined ? {} : { csv: r.csv }),
  }
  const made = makeDataset(spec.spec, sources)
  if (!made.ok) {
    throw new HostError('invalid-project', made.errors.map((e) => dataIssueText(e)).join('\n'))
  }
  const graph = withDataShape(r.graph, made.dataset)
  const problems = inspectGraph(graph).problems.filter((p) => p.severity === 'error')
  if (problems.length > 0)
    throw new HostError('invalid-project', 'The graph has problems.', problems)
  try {
    return createSession(graph, made.dataset, r.settings)
  } catch (err) {
    if (err instanceof LoweringError)
      throw new HostError('invalid-project', err.message, err.problems)
    throw err
  }
}

function dataIssueText(e: { message: string; row?: number; column?: number; columnName?: string }) {
  const where =
    e.row === undefined
      ? ''
      : `row ${e.row}${e.column === undefined ? '' : `, column ${e.column}`}${e.columnName ? ` (${e.columnName})` : ''}: `
  return `${where}${e.message}`
}

function describeSession(s: Session): ResultOf<'load'> {
  const d = s.dataset
  return {
    summary: {
      parameters: s.summary.parameters,
      flopsPerStep: s.summary.flopsPerStep,
      plannedBytes: s.summary.plannedBytes,
      naiveBytes: s.summary.naiveBytes,
      trainIr: [...s.summary.trainIr],
    },
    stepsPerEpoch: s.stepsPerEpoch,
    totalSteps: s.totalSteps,
    dataset: {
      name: d.name,
      task: d.task,
      inputShape: [...d.inputShape],
      ...(d.classNames ? { classNames: [...d.classNames] } : {}),
      featureNames: [...d.featureNames],
      trainCount: d.train.count,
      testCount: d.test.count,
    },
  }
}
