// The panels' live pictures: which probes the visible panels want (each panel registers while it
// is mounted), a paced round of probes after progress, and the latest results. Used inside the
// training store; the engine answers probes between its training chunks.
import type { Ref, ShallowRef } from 'vue'
import { computed, reactive, ref, shallowRef } from 'vue'
import type { EngineClient } from '../engine-client/client'
import type { GraphRoles } from './graph-roles'
import { createPacer } from './pacer'
import type { ProbePlan, ProbeResults } from './probe-cycle'
import { MAX_PROBE_ROWS, runProbes } from './probe-cycle'
import type { UnitCounts } from './diagnostics'

export type ProbeWant = 'plane' | 'activations' | 'weights' | 'confusion' | 'points' | 'predictions'

export interface ProbeContext {
  readonly client: EngineClient
  readonly roles: GraphRoles
  readonly dataset: {
    readonly task: 'classification' | 'regression'
    readonly inputShape: readonly number[]
    readonly trainCount: number
    readonly testCount: number
  }
  readonly training: boolean
  /** Changes whenever the session is replaced or reset; stale answers are dropped. */
  readonly generation: number
}

/** Probes run at most this often: several pictures a second, never a flood. */
export const PROBE_GAP_MS = 200
const DIAGNOSIS_ROWS = 256
const ACTIVATION_ROWS = 64
const POINT_ROWS = 1000
/** Examples shown for image data (the MNIST preview). */
const IMAGE_ROWS = 32
/** Test examples the predictions grid shows. */
const PREDICTION_ROWS = 16

export function useProbes(context: () => ProbeContext | null, generation: () => number) {
  const wants = reactive<Record<ProbeWant, number>>({
    plane: 0,
    activations: 0,
    weights: 0,
    confusion: 0,
    points: 0,
    predictions: 0,
  })
  const results: ShallowRef<ProbeResults> = shallowRef({})
  const planeFeatures: Ref<[number, number]> = ref([0, 1])
  const activationNode = ref<string | null>(null)
  let round = 0

  async function probeRound(): Promise<void> {
    const ctx = context()
    if (!ctx) return
    const plan = makePlan(ctx, round++)
    const found = await runProbes(ctx.client, plan)
    if (ctx.generation !== generation()) return
    results.value = { ...results.value, ...found }
  }

  function makePlan(ctx: ProbeContext, n: number): ProbePlan {
    const picture = wants.plane > 0
    const features = flatFeatures(ctx.dataset.inputShape)
    return {
      plane:
        picture && features >= 2 ? { features: planeAxes(planeFeatures.value, features) } : null,
      contributions: picture && features === 1,
      activations: activationsPlan(ctx, wants.activations > 0, activationNode.value),
      weights: wants.weights > 0,
      confusion: confusionPlan(ctx, wants.confusion > 0 && (!ctx.training || n % 3 === 0)),
      predictions: predictionsPlan(ctx, wants.predictions > 0),
      points:
        (picture || wants.points > 0) && !results.value.points ? pointsPlan(ctx, features) : null,
      diagnosed: n % 2 === 0 || !ctx.training ? diagnosisPlan(ctx) : [],
    }
  }

  const pacer = createPacer(probeRound, PROBE_GAP_MS)

  /** A panel asks for a kind of probe while it is shown; call the result when it hides. */
  function want(kind: ProbeWant): () => void {
    wants[kind]++
    pacer.request()
    let released = false
    return () => {
      if (!released) wants[kind]--
      released = true
    }
  }

  function clear(): void {
    results.value = {}
    round = 0
  }

  const diagnostics = computed(() => {
    const out: Record<string, UnitCounts> = {}
    for (const [id, d] of Object.entries(results.value.diagnostics ?? {})) {
      out[id] = { type: d.type, units: d.units, dead: d.dead.length, saturated: d.saturated.length }
    }
    return out
  })

  return {
    wants,
    results,
    planeFeatures,
    activationNode,
    diagnostics,
    want,
    clear,
    refresh: () => pacer.request(),
  }
}

/** Features of a flat input ([2] → 2); 0 for images and other shapes. */
function flatFeatures(shape: readonly number[]): number {
  return shape.length === 1 ? (shape[0] ?? 0) : 0
}

function planeAxes([a, b]: readonly [number, number], features: number): [number, number] {
  return [a % features, b % features]
}

function activationsPlan(ctx: ProbeContext, wanted: boolean, chosen: string | null) {
  const node = chosen ?? ctx.roles.diagnosed[0]?.id ?? null
  if (!wanted || !node) return null
  return { node, count: Math.min(ctx.dataset.trainCount, ACTIVATION_ROWS) }
}

function confusionPlan(ctx: ProbeContext, wanted: boolean) {
  const node = ctx.roles.prediction
  if (!wanted || !node || ctx.dataset.task !== 'classification') return null
  return { node, count: Math.min(ctx.dataset.testCount, MAX_PROBE_ROWS) }
}

/**
 * For image classification, where the input plane cannot be drawn: the model's scores for the
 * first test examples (their images come once per session with the points).
 */
function predictionsPlan(ctx: ProbeContext, wanted: boolean) {
  const node = ctx.roles.prediction
  const images = flatFeatures(ctx.dataset.inputShape) === 0
  if (!wanted || !images || !node || ctx.dataset.task !== 'classification') return null
  return { node, count: Math.min(ctx.dataset.testCount, PREDICTION_ROWS) }
}

/** Flat data's points over both splits; for images, a preview of training ones and the test
 * examples the predictions grid shows. */
function pointsPlan(ctx: ProbeContext, features: number) {
  const node = ctx.roles.input
  if (!node) return null
  const flat = features > 0
  return {
    node,
    train: Math.min(ctx.dataset.trainCount, flat ? POINT_ROWS : IMAGE_ROWS),
    test: Math.min(ctx.dataset.testCount, flat ? POINT_ROWS : PREDICTION_ROWS),
  }
}

function diagnosisPlan(ctx: ProbeContext): ProbePlan['diagnosed'] {
  const count = Math.min(ctx.dataset.trainCount, DIAGNOSIS_ROWS)
  return ctx.roles.diagnosed.map((d) => ({ ...d, count }))
}
