// One round of probes for the panels: only what a visible panel wants, asked one request at a
// time so the engine's training loop interleaves them between its chunks. The pacer in the
// training store decides how often a round runs.
import type { ResultOf } from '../../engine/protocol/messages'
import type { EngineClient } from '../engine-client/client'
import type { UnitDiagnostics } from './diagnostics'
import { diagnoseUnits } from './diagnostics'
import type { TensorData } from './plane-view'

export type ProbeResult = ResultOf<'probe'>
export type PlaneResult = Extract<ProbeResult, { kind: 'plane' }>
export type ContributionsResult = Extract<ProbeResult, { kind: 'contributions' }>

export const PLANE_RESOLUTION = 40
export const MAX_PROBE_ROWS = 4096

export interface ProbePlan {
  plane: { features: [number, number] } | null
  contributions: boolean
  /** A node's activations over a training batch (the samples × units heatmap). */
  activations: { node: string; count: number } | null
  weights: boolean
  /** The prediction node over the test split, for the confusion matrix. */
  confusion: { node: string; count: number } | null
  /** The model's scores for the first test examples (images): the predictions grid. */
  predictions: { node: string; count: number } | null
  /** The Input node over both splits: the data points (once per session). */
  points: { node: string; train: number; test: number } | null
  diagnosed: readonly { id: string; type: string; count: number }[]
}

export interface LabelledRows {
  readonly x: TensorData
  /** One target per row; null until the engine's probe reports the split's targets. */
  readonly labels: Float32Array | null
}

export interface ProbeResults {
  plane?: PlaneResult
  contributions?: ContributionsResult | { error: string }
  activations?: { node: string; tensor: TensorData }
  weights?: Record<string, TensorData>
  confusion?: LabelledRows
  points?: { train: LabelledRows; test: LabelledRows }
  /** The prediction node's scores for the first test examples, with their labels. */
  predictions?: LabelledRows
  diagnostics?: Record<string, UnitDiagnostics>
}

/** The targets of the probed rows: the `targets` tensor the engine sends beside activations. */
export function targetsOf(result: object): Float32Array | null {
  if (!('targets' in result)) return null
  const t: unknown = result.targets
  if (typeof t !== 'object' || t === null || !('data' in t)) return null
  return t.data instanceof Float32Array ? t.data : null
}

async function rows(
  client: EngineClient,
  node: string,
  split: 'train' | 'test',
  count: number,
): Promise<LabelledRows> {
  if (count < 1) return { x: { shape: [0], data: new Float32Array(0) }, labels: null }
  const probe = { kind: 'activations' as const, node, split, count }
  const r = await client.request({ type: 'probe', probe })
  if (r.kind !== 'activations') throw new Error('expected activations')
  return { x: r.tensor, labels: targetsOf(r) }
}

export async function runProbes(client: EngineClient, plan: ProbePlan): Promise<ProbeResults> {
  const out: ProbeResults = {}
  if (plan.points) {
    const p = plan.points
    out.points = {
      train: await rows(client, p.node, 'train', p.train),
      test: await rows(client, p.node, 'test', p.test),
    }
  }
  if (plan.plane) {
    const probe = { kind: 'plane' as const, resolution: PLANE_RESOLUTION, ...plan.plane }
    const r = await client.request({ type: 'probe', probe })
    if (r.kind === 'plane') out.plane = r
  }
  if (plan.contributions) out.contributions = await contributions(client)
  if (plan.activations) {
    const { node, count } = plan.activations
    out.activations = { node, tensor: (await rows(client, node, 'train', count)).x }
  }
  if (plan.weights) out.weights = await client.request({ type: 'weights' })
  if (plan.confusion) {
    out.confusion = await rows(client, plan.confusion.node, 'test', plan.confusion.count)
  }
  if (plan.predictions) {
    out.predictions = await rows(client, plan.predictions.node, 'test', plan.predictions.count)
  }
  if (plan.diagnosed.length > 0) {
    const found: Record<string, UnitDiagnostics> = {}
    for (const d of plan.diagnosed) {
      const { x } = await rows(client, d.id, 'train', d.count)
      const result = diagnoseUnits(d.type, x.shape, x.data)
      if (result) found[d.id] = result
    }
    out.diagnostics = found
  }
  return out
}

async function contributions(
  client: EngineClient,
): Promise<ContributionsResult | { error: string }> {
  try {
    const probe = { kind: 'contributions' as const, points: 120 }
    const r = await client.request({ type: 'probe', probe })
    return r.kind === 'contributions' ? r : { error: 'unexpected reply' }
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) }
  }
}
