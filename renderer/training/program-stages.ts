// The compiler's stages as the Program tab lists them (the lecture's symbolic approach, shown):
// the forward program the layers lowered to, the training step that automatic differentiation
// and the optimizer made of it, each pass over it, its fused kernels and its memory plan, and on
// a GPU its WGSL programs; each with what it changed, in words.
import type { ResultOf } from '../../engine/protocol/messages'
import { formatBytes, formatExact } from '../format'

type Summary = ResultOf<'load'>['summary']
type PassText = Summary['forwardIr']

export interface Stage {
  /** Unique among the stages ("dce" twice becomes "dce" and "dce-2"). */
  readonly id: string
  readonly title: string
  /** What the stage does, in a phrase. */
  readonly about: string
  /** What is left after it: "181 equations", "21 kernels". */
  readonly count: string
  /** What it changed: "+172 equations", "no change", "from 116 equations", "1.6 kB, not 4.8 kB". */
  readonly change: string
  readonly text: string
}

const ABOUT: Record<string, readonly [title: string, about: string]> = {
  forward: ['Forward', 'the layers lowered to primitive operations'],
  input: ['Training step', 'gradients by automatic differentiation, then the optimizer’s update'],
  dce: ['Dead code', 'values nothing reads, removed'],
  fold: ['Constant folding', 'operations on constants worked out once, now'],
  cse: ['Common subexpressions', 'computations that repeat, made once and shared'],
  fuse: ['Fusion', 'chains of elementwise operations, one kernel each'],
  memory: ['Memory plan', 'a buffer reused once the value in it is no longer read'],
  wgsl: ['WebGPU kernels', 'the step as the GPU runs it, one WGSL program each'],
}

const UNIT_ONE = { equations: 'equation', kernels: 'kernel', buffers: 'buffer' } as const

function counted(n: number, unit: PassText['unit']): string {
  return `${formatExact(n)} ${n === 1 ? UNIT_ONE[unit] : unit}`
}

function changeOf(p: PassText, before: PassText, summary: Summary): string {
  if (p.unit === 'kernels') return `from ${counted(before.count, 'equations')}`
  if (p.unit === 'buffers') {
    return `${formatBytes(summary.plannedBytes)}, not ${formatBytes(summary.naiveBytes)}`
  }
  const d = p.count - before.count
  if (d === 0) return 'no change'
  return `${d > 0 ? '+' : '−'}${counted(Math.abs(d), 'equations')}`
}

/**
 * Every stage of a loaded session's compile, in order; the WGSL programs only while the session
 * runs on WebGPU (a run moved to the CPU after a lost device keeps the summary it loaded with).
 */
export function programStages(summary: Summary, onGpu: boolean): Stage[] {
  const passes = [summary.forwardIr, ...summary.trainIr.filter((p) => onGpu || p.pass !== 'wgsl')]
  const seen = new Map<string, number>()
  let lastIr = summary.forwardIr
  return passes.map((p) => {
    const n = (seen.get(p.pass) ?? 0) + 1
    seen.set(p.pass, n)
    const [title, about] = ABOUT[p.pass] ?? [p.pass, '']
    const stage: Stage = {
      id: n === 1 ? p.pass : `${p.pass}-${n}`,
      title,
      about,
      count: counted(p.count, p.unit),
      change: p === summary.forwardIr ? '' : changeOf(p, lastIr, summary),
      text: p.text,
    }
    if (p.unit === 'equations') lastIr = p
    return stage
  })
}
