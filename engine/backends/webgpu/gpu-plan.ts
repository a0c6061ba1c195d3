// Everything about a compiled plan on WebGPU that needs no device: the kernel schedule, one
// WgslProgram per kernel, the constants that need a buffer, and the pooled buffer plan. The
// compile-only test and the runtime both start here.

import type { Eqn, Program, Shape } from '../../ir'
import { numel } from '../../ir'
import type { CompiledPlan } from '../../passes'
import { groupElementwise } from '../../passes'
import type { BufferPlan } from './buffers'
import { planBuffers } from './buffers'
import { fuseColumnSums } from './column-sums'
import type { KernelSpec } from './codegen'
import { kernelEqns, kernelProgram } from './codegen'
import type { WgslProgram } from './program'
import { mergeUpdates } from './horizontal'
import { planInPlace, sinkUpdates } from './in-place'
import { piecesOf } from './pieces'
import { foldPrologues } from './prologue'
import { mergeRowStages } from './row-stages'
import { hoistReports, scheduleKernels } from './schedule'
import type { ProductChoice } from './split-products'
import { splitProducts } from './split-products'
import { splitReductions } from './split-reduce'
import type { MatmulTile } from './tiled'

export interface GpuPlanOptions {
  /** Storage buffers one kernel may bind (default 8, WebGPU's guaranteed minimum). */
  readonly maxBindings?: number
  /** Matmuls through workgroup-memory tiles (default true; see Tuning). */
  readonly tiledMatmul?: boolean
  /** One block for every tiled matmul (bench/tiles.ts compares them); default: per product. */
  readonly matmulTile?: MatmulTile | undefined
  /**
   * Tiles and depth splits measured for products (tune.ts), by productKey; tiled matmuls only.
   */
  readonly products?: ReadonlyMap<string, ProductChoice> | undefined
  /** Bytes of workgroup memory the device offers a kernel (default 16 KiB, WebGPU's minimum). */
  readonly workgroupBytes?: number
  /** Reductions of this many elements or more run in two stages (split-reduce.ts). */
  readonly splitReductionsFrom?: number
  /** Floats one binding may hold (default: no limit); larger values are bound in pieces. */
  readonly pieceFloats?: number
}

export interface GpuPlan {
  readonly program: Program
  readonly kernels: readonly KernelSpec[]
  /** One program per kernel, in order. */
  readonly programs: readonly WgslProgram[]
  /** `full` values read from a buffer (by an anchor, or as a program output): id → value. */
  readonly constants: ReadonlyMap<number, number>
  readonly buffers: BufferPlan
  /** Input id → the update written straight into its buffer (in-place.ts). */
  readonly inPlace: ReadonlyMap<number, number>
  /** A dropped view (reshape, stop_gradient) → the value whose buffer it reads. */
  readonly aliases: ReadonlyMap<number, number>
  readonly shapeOf: (id: number) => Shape
}

export function planWebGpu(plan: CompiledPlan, opts: GpuPlanOptions = {}): GpuPlan {
  const tiledMatmul = opts.tiledMatmul ?? true
  const products = tiledMatmul ? opts.products : undefined
  const p = splitReductions(splitProducts(plan.program, products), opts.splitReductionsFrom)
  const fusion = p === plan.program ? plan.groups : groupElementwise(p)
  const shapes = new Map<number, Shape>([...p.inputs, ...p.eqns].map((v) => [v.id, v.shape]))
  const shapeOf = (id: number): Shape => shapes.get(id) ?? []
  const fulls = new Map(
    p.eqns.flatMap((e: Eqn) => (e.op === 'full' ? [[e.id, e.attrs.value] as const] : [])),
  )
  const iotas = new Map(
    p.eqns.flatMap((e: Eqn) => (e.op === 'iota' ? [[e.id, e.attrs] as const] : [])),
  )
  // Constants and iotas take no binding where elementwise ops read them: they are inlined.
  const isConstant = (id: number): boolean => fulls.has(id) || iotas.has(id)
  // Updates that could be written in place if each group were one kernel, so the schedule
  // counts no binding for their old values; then the ones that still can, kernel by kernel.
  const whole = scheduleKernels(p, fusion, { maxBindings: Infinity, inlined: isConstant })
  const candidates = planInPlace(p, whole, shapeOf)
  const maxBindings = opts.maxBindings ?? 8
  const pieceFloats = opts.pieceFloats ?? Infinity
  const floatsOf = (id: number): number => numel(shapeOf(id))
  const bindingsFor = (id: number): number => piecesOf(floatsOf(id), pieceFloats)
  const scheduled = scheduleKernels(p, fusion, {
    maxBindings,
    inlined: isConstant,
    inPlace: candidates,
    pieceFloats,
    floatsOf,
  })
  const dropped = dropViews(scheduled, new Set(p.outputs.map((o) => o.id)))
  const aliases = dropped.aliases
  const resolve = (id: number): number => aliases.get(id) ?? id
  const sunk = sinkUpdates(dropped.kernels, p, resolve)
  const fold = { p, resolve, shapeOf, isConstant, maxBindings, bindingsFor }
  const prologues = foldPrologues(hoistReports(sunk, p, resolve), fold)
  const summed = tiledMatmul ? fuseColumnSums(prologues, fold) : prologues
  const folded = mergeRowStages(summed, fold)
  const tuning = {
    tiledMatmul,
    matmulTile: opts.matmulTile,
    products,
    workgroupBytes: opts.workgroupBytes,
  }
  // Merging keeps every update's place: no part reads what another writes (horizontal.ts).
  const inPlace = planInPlace(p, folded, shapeOf, resolve)
  const merge = { p, resolve, maxBindings, bindingsFor, inPlace, isConstant }
  const kernels = mergeUpdates(folded, merge)
  const constant = (id: number): number | undefined => fulls.get(id)
  const iota = (id: number): { shape: Shape; axis: number } | undefined => iotas.get(id)
  const ctx = { shapeOf, constant, iota, tuning, inPlace, resolve, pieceFloats }
  const programs = kernels.map((k) => kernelProgram(k, ctx))
  const needed = new Set([...programs.flatMap((g) => g.reads), ...p.outputs.map((o) => o.id)])
  const constants = new Map([...fulls].filter(([id]) => needed.has(id)))
  const keep = new Set(p.outputs.map((o) => o.id))
  const resident = new Set(inPlace.values())
  const buffers = planBuffers(programs, floatsOf, keep, resident, pieceFloats)
  return { program: p, kernels, programs, constants, buffers, inPlace, aliases, shapeOf }
}

/**
 * Kernels that would only copy a value (a reshape, a stop_gradient) are dropped: their result
 * is read from the source's buffer, which holds the same floats in the same order. Program
 * outputs keep their kernels (an output has its own buffer).
 */
function dropViews(
  kernels: readonly KernelSpec[],
  outputs: ReadonlySet<number>,
): { kernels: KernelSpec[]; aliases: Map<number, number> } {
  const aliases = new Map<number, number>()
  const kept = kernels.filter((k) => {
    // A chain of views: each member reads the one before (the first, the source).
    const chain = kernelEqns(k)
    const views = chain.every(
      (e, i) =>
        (e.op === 'reshape' || e.op === 'stop_gradient') &&
        (i === 0 || e.args[0] === chain[i - 1]?.id),
    )
    const source = chain[0]?.args[0]
    if (!views || source === undefined || chain.some((e) => outputs.has(e.id))) return true
    for (const e of chain) aliases.set(e.id, aliases.get(source) ?? source)
    return false
  })
  return { kernels: kept, aliases }
}
