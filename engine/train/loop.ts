// The training loop: trains in chunks of about CHUNK_MS (a session may ask for longer ones),
// yields between chunks so the host can handle messages, and reports metrics a few times per
// second: at an epoch's end (with the test split's metrics) when one comes soon enough,
// otherwise mid-epoch. A short run reports at epoch ends more often, so that its loss curve has
// about CURVE_POINTS points however fast it goes (as Keras draws one per epoch).
// Pausing, stopping and a new learning rate take effect at the next chunk. It drives the CPU
// session (synchronous) and the WebGPU one (each chunk awaited: one readback per chunk).
import { nextTick } from '../util/next-tick'
import type { Metrics } from './metrics'
import type { Divergence, StepResult } from './session'

/** What the loop needs of a session, on either backend. */
export interface Trainable {
  readonly step: number
  readonly epoch: number
  readonly totalSteps: number
  readonly stepsPerEpoch: number
  readonly learningRate: number
  train(n: number): StepResult | Promise<StepResult>
  takeTrainMetrics(): Metrics
  evaluate(split: 'train' | 'test'): Metrics | Promise<Metrics>
  /** A backend's news for the user since the last call (WebGPU sessions). */
  takeNotice?(): string | null
  /**
   * Milliseconds of work a chunk should take, when not CHUNK_MS: a WebGPU session's chunk runs
   * on the device while the host handles messages, and the device idles at each chunk's end.
   */
  readonly chunkMs?: number
}

const CHUNK_MS = 16
const CURVE_POINTS = 100

export interface Progress {
  step: number
  epoch: number
  totalSteps: number
  stepsPerEpoch: number
  learningRate: number
  stepsPerSecond: number
  /** Mean training metrics since the previous report. */
  train: Metrics
  /** Metrics on the test split, when this report closes an epoch. */
  test?: Metrics
  notice?: string
}

export interface LoopControl {
  /** Set to end the loop at the next chunk. */
  stop: boolean
}

export type LoopEnd =
  { reason: 'done' | 'stopped' | 'reached' } | { reason: 'diverged'; divergence: Divergence }

export interface LoopOptions {
  control: LoopControl
  report: (progress: Progress) => void
  /** Stop after this step (single steps, "train 1 epoch"); default: the run's end. */
  untilStep?: number
  reportEveryMs?: number
  /** Evaluate the test split at each epoch's end (default true). */
  validate?: boolean
  now?: () => number
}

export async function trainLoop(session: Trainable, options: LoopOptions): Promise<LoopEnd> {
  const now = options.now ?? (() => performance.now())
  const every = options.reportEveryMs ?? 250
  const until = Math.min(options.untilStep ?? session.totalSteps, session.totalSteps)
  const chunkMs = session.chunkMs ?? CHUNK_MS
  let chunk = 1
  let lastReport = now()
  let stepsSinceReport = 0
  while (session.step < until) {
    if (options.control.stop) return { reason: 'stopped' }
    const epochEnd = (session.epoch + 1) * session.stepsPerEpoch
    const started = now()
    const result = await session.train(
      Math.min(chunk, until - session.step, epochEnd - session.step),
    )
    const spent = Math.max(now() - started, 0.01)
    stepsSinceReport += result.steps
    if (result.divergence) return { reason: 'diverged', divergence: result.divergence }
    chunk = Math.max(1, Math.min(chunk * 2, Math.round((result.steps * chunkMs) / spent)))
    const t = now()
    if (reportDue(session, t - lastReport, every, until, stepsSinceReport)) {
      const closedEpoch = session.step % session.stepsPerEpoch === 0
      const validate = closedEpoch && (options.validate ?? true)
      const rate = (stepsSinceReport * 1000) / Math.max(t - lastReport, 1)
      options.report(await progress(session, rate, validate))
      lastReport = t
      stepsSinceReport = 0
    }
    await nextTick()
  }
  return { reason: session.step >= session.totalSteps ? 'done' : 'reached' }
}

/**
 * At every epoch's end in a run of CURVE_POINTS epochs or fewer (its test metrics are measured
 * there), at a longer run's once `every` ms have passed or a CURVE_POINTS-th of its steps;
 * mid-epoch once both have (so a run of a few long epochs still draws a curve, not a point per
 * epoch) or after 4 × every; and at the end.
 */
function reportDue(
  session: Trainable,
  since: number,
  every: number,
  until: number,
  steps: number,
): boolean {
  const { step, stepsPerEpoch, totalSteps } = session
  const sparse = steps * CURVE_POINTS >= totalSteps
  if (step >= until) return true
  if (step % stepsPerEpoch === 0) {
    return stepsPerEpoch * CURVE_POINTS >= totalSteps || since >= every || sparse
  }
  return (sparse && since >= every) || since >= 4 * every
}

async function progress(
  session: Trainable,
  stepsPerSecond: number,
  validate: boolean,
): Promise<Progress> {
  const train = session.takeTrainMetrics()
  const notice = session.takeNotice?.() ?? null
  return {
    step: session.step,
    epoch: session.epoch,
    totalSteps: session.totalSteps,
    stepsPerEpoch: session.stepsPerEpoch,
    learningRate: session.learningRate,
    stepsPerSecond,
    train,
    ...(validate ? { test: await session.evaluate('test') } : {}),
    ...(notice === null ? {} : { notice }),
  }
}
