// Everything about a compiled plan on WebGPU that needs no device: the kernel schedule, one
// WgslProgram per kernel, the constants that need a buffer, and the pooled buffer plan. The
// compile-only test and the runtime both start here.

import type { Eqn, Program, Shape } from '../../ir'
import { numel } from '../../ir'
import type { CompiledPlan } from '../../passes'
import type { BufferPlan } from './buffers'
import { planBuffers } from './buffers'
import type { KernelSpec } from './codegen'
import { kernelProgram } from './codegen'
import type { WgslProgram } from './program'
import { scheduleKernels } from './schedule'

export interface GpuPlanOptions {
  /** Storage buffers one kernel may bind (default 8, WebGPU's guaranteed minimum). */
  readonly maxBindings?: number
  /** Matmuls through workgroup-memory tiles (default true; see Tuning). */
  readonly tiledMatmul?: boolean
}

export interface GpuPlan {
  readonly program: Program
  readonly kernels: readonly KernelSpec[]
  /** One program per kernel, in order. */
  readonly programs: readonly WgslProgram[]
  /** `full` values read from a buffer (by an anchor, or as a program output): id → value. */
  readonly constants: ReadonlyMap<number, number>
  readonly buffers: BufferPlan
  readonly shapeOf: (id: number) => Shape
}

export function planWebGpu(plan: CompiledPlan, opts: GpuPlanOptions = {}): GpuPlan {
  const p = plan.program
  const shapes = new Map<number, Shape>([...p.inputs, ...p.eqns].map((v) => [v.id, v.shape]))
  const shapeOf = (id: number): Shape => shapes.get(id) ?? []
  const fulls = new Map(
    p.eqns.flatMap((e: Eqn) => (e.op === 'full' ? [[e.id, e.attrs.value] as const] : [])),
  )
  const kernels = scheduleKernels(p, plan.groups, { maxBindings: opts.maxBindings ?? 8 })
  const tuning = { tiledMatmul: opts.tiledMatmul ?? true }
  const ctx = { shapeOf, constant: (id: number) => fulls.get(id), tuning }
  const programs = kernels.map((k) => kernelProgram(k, ctx))
  const needed = new Set([...programs.flatMap((g) => g.reads), ...p.outputs.map((o) => o.id)])
  const constants = new Map([...fulls].filter(([id]) => needed.has(id)))
  const keep = new Set(p.outputs.map((o) => o.id))
  const buffers = planBuffers(programs, (id) => numel(shapeOf(id)), keep)
  return { program: p, kernels, programs, constants, buffers, shapeOf }
}
