// Turns one scheduled kernel (an anchor and its elementwise epilogue, and for a reduction maybe
// a prologue making its operand) into a WgslProgram: binds the values it reads and writes, asks
// the op table for the anchor's body, fuses the epilogue and prologue, and assembles the module
// text. The key names every structural choice, so equal keys mean equal text (the pipeline
// cache checks that). A value larger than one binding is bound in pieces (pieces.ts).

import type { Eqn, OpName, Shape } from '../../ir'
import { numel } from '../../ir'
import type { AnchorCode, AnchorGen, AnchorInput, ProductOperand, Tuning } from './anchor'
import { mapAnchor, mapMain } from './anchor'
import type { Epilogue, EpilogueSpec, RowStage } from './elementwise'
import { epilogue, prologue } from './elementwise'
import { horizontalCode } from './horizontal'
import { WGSL_OPS } from './ops'
import type { Slot } from './pieces'
import {
  fromBase,
  piecesOf,
  rewriteAccesses,
  runsInRanges,
  slotDeclarations,
  throughAccessors,
} from './pieces'
import type { Uniform, WgslProgram } from './program'
import { FLAT_INDEX, MAIN_PARAMS, flatWorkgroups, u32, uniformStruct } from './program'
import type { LibName } from './wgsl-lib'
import { libSource } from './wgsl-lib'

export interface KernelSpec {
  /** The head op that is not elementwise, or null for a kernel of elementwise ops only. */
  readonly anchor: Eqn | null
  /** Elementwise ops over the anchor's shape, in program order. */
  readonly members: readonly Eqn[]
  /**
   * Elementwise ops making the anchor's first operand (a reduction's), computed where the
   * anchor loads it instead of read from a buffer (prologue.ts); its last one makes the operand.
   */
  readonly prologue?: readonly Eqn[]
  /** Values this kernel stores (used by later kernels or program outputs). */
  readonly writes: readonly number[]
  /**
   * Kernels of elementwise ops only sharing this one's dispatch, each over its own invocations
   * (horizontal.ts); `members` and `writes` are theirs, one after another.
   */
  readonly parts?: readonly KernelSpec[]
  /**
   * A sum of the anchor product's operand over the depth (a bias gradient): its
   * kernel, whose epilogue runs on each sum the product's tiles make (column-sums.ts). Its
   * writes end `writes`.
   */
  readonly depthSum?: { readonly operand: ProductOperand; readonly kernel: KernelSpec }
  /**
   * Row reductions over this row reduction's rows that run after its row loop, each made from a
   * row-wide value of a stage before (row-stages.ts: a softmax's sums after its max).
   */
  readonly rowStages?: readonly RowStage[]
}

export interface CodegenContext {
  readonly shapeOf: (id: number) => Shape
  /** The value of a `full` equation, when `id` is one. */
  readonly constant: (id: number) => number | undefined
  /** An `iota` equation's attributes, when `id` is one (elementwise ops compute it). */
  readonly iota?: EpilogueSpec['iota']
  readonly tuning: Tuning
  /** Input id → the output written into its buffer: the writing kernel reads it there. */
  readonly inPlace?: ReadonlyMap<number, number>
  /** A dropped view → the value whose buffer holds it (gpu-plan.ts). */
  readonly resolve?: (id: number) => number
  /** Floats one binding may hold (pieces.ts); larger values are bound in pieces. */
  readonly pieceFloats?: number
}

/** Output shape of a kernel: its anchor's, else its first member's. */
export function kernelShape(k: KernelSpec): Shape {
  return k.anchor?.shape ?? k.members[0]?.shape ?? []
}

/** No prologue: nothing to add to a module. */
const NONE = { uniforms: [], lib: [], code: '', key: '' } as const

/** Every equation a kernel computes, in order: prologue, anchor, epilogue, chained stages. */
export function kernelEqns(k: KernelSpec): Eqn[] {
  const own = [...(k.prologue ?? []), ...(k.anchor ? [k.anchor] : []), ...k.members]
  const chained = (k.rowStages ?? []).flatMap((s) => [s.reduction, ...s.members])
  return [...own, ...chained, ...(k.depthSum ? kernelEqns(k.depthSum.kernel) : [])]
}

/** Values a kernel reads from outside itself (its equations' operands), views resolved. */
export function kernelReads(k: KernelSpec, resolve: (id: number) => number): Set<number> {
  const eqns = kernelEqns(k)
  const made = new Set(eqns.map((e) => e.id))
  const args = eqns.flatMap((e) => e.args)
  return new Set(args.filter((a) => !made.has(a)).map(resolve))
}

export function kernelName(k: KernelSpec): string {
  const [first, ...others] = k.parts ?? []
  const more = others.length === 1 ? 'update' : 'updates'
  if (first !== undefined) return `${kernelName(first)} and ${others.length} more ${more}`
  const eqns = kernelEqns(k)
  const last = eqns[eqns.length - 1]
  return `${eqns.map((e) => e.op).join('+')} %${last?.id ?? '?'}`
}

export function kernelProgram(k: KernelSpec, ctx: CodegenContext): WgslProgram {
  const reads: number[] = []
  const epilogueReads = new Set<number>()
  const resolve = ctx.resolve ?? ((id: number) => id)
  const bind = (view: number): string => {
    const id = resolve(view)
    const into = k.writes.indexOf(ctx.inPlace?.get(id) ?? -1)
    if (into >= 0) return `w${into}`
    let at = reads.indexOf(id)
    if (at < 0) at = reads.push(id) - 1
    return `r${at}`
  }
  const pro = prologueOf(k, ctx, bind)
  const operands = {
    shapeOf: ctx.shapeOf,
    constant: ctx.constant,
    ...(ctx.iota ? { iota: ctx.iota } : {}),
    bind: (id: number) => {
      epilogueReads.add(resolve(id))
      return bind(id)
    },
  }
  const made = k.parts
    ? horizontalCode(k.parts, operands, (id) => k.writes.indexOf(id))
    : headAndEpilogue(k, ctx, bind, pro !== null, operands)
  const ep = made.ep
  const vec4 = (made.head.vec4Args ?? []).map((i) => resolve(k.anchor?.args[i] ?? -1))
  const argKey = k.anchor ? k.anchor.args.map((a) => reads.indexOf(resolve(a))).join(',') : ''
  const { slots, piece, pieces, ranged } = slotsOf([...reads], k.writes, ctx, rangeCount(k))
  const pieced = pieces !== undefined
  const head = ranged.size > 0 ? inRanges(made.head, piece) : made.head
  if (floatsOnly(vec4, epilogueReads, pieced)) {
    return kernelProgram(k, { ...ctx, tuning: { ...ctx.tuning, vec4Operands: false } })
  }
  const extra = pro ?? NONE
  const parts = [head, extra, ep]
  const uniforms = parts.flatMap((c) => c.uniforms)
  const lib = parts.flatMap((c) => c.lib)
  const decls = [head.decls, extra.code, ep.code].filter((d) => d !== '').join('\n')
  const vec4Reads = new Set(vec4.map((id) => reads.indexOf(id)))
  const key = [
    head.key,
    `args(${argKey})`,
    ep.key,
    `pro(${extra.key})`,
    `r${reads.length}w${k.writes.length}`,
    `wg${head.workgroupSize.join('x')}`,
    pieced ? `pieces(${slots.map((s) => s.pieces).join(',')}@${piece} ranged:${[...ranged]})` : '',
  ]
    .filter((part) => part !== '')
    .join('|')
  const vec4Slots = new Set([...vec4Reads].map((r) => `r${r}`))
  const module = {
    head,
    lib,
    decls,
    uniforms,
    bindings: slotDeclarations(slots, piece, 1, vec4Slots),
  }
  return {
    name: kernelName(k),
    key,
    wgsl: () => assemble(module, slots, ranged),
    uniforms,
    workgroups: head.workgroups,
    reads,
    writes: k.writes,
    ...(pieced ? { pieces } : {}),
    parts: {
      lib,
      decls,
      main: head.main,
      workgroupSize: head.workgroupSize,
      vec4: vec4Reads.size > 0,
    },
  }
}

/** The anchor's code (or a pointwise kernel's index) and the elementwise epilogue after it. */
function headAndEpilogue(
  k: KernelSpec,
  ctx: CodegenContext,
  bind: (id: number) => string,
  prologue: boolean,
  operands: Pick<EpilogueSpec, 'shapeOf' | 'constant' | 'iota' | 'bind'>,
): { head: AnchorCode; ep: Epilogue } {
  const shape = kernelShape(k)
  const summed = k.depthSum
  const head = k.anchor
    ? anchorCode(k.anchor, ctx, bind, prologue, summed?.operand)
    : pointwiseOnly(shape)
  const own = summed ? k.writes.slice(0, k.writes.length - summed.kernel.writes.length) : k.writes
  const members = { anchor: k.anchor?.id ?? null, members: k.members, shape, outputs: own }
  const ep = epilogue({
    ...members,
    ...operands,
    ...(k.rowStages ? { rowStages: k.rowStages } : {}),
  })
  return { head, ep: summed ? withSums(ep, summed.kernel, own.length, operands) : ep }
}

/**
 * `ep` and, as emit_sum, the epilogue of a product's depth sums (column-sums.ts), whose
 * stores (w0, w1, … of its own) are renumbered after the product's `before` writes.
 */
function withSums(
  ep: Epilogue,
  sum: KernelSpec,
  before: number,
  operands: Pick<EpilogueSpec, 'shapeOf' | 'constant' | 'iota' | 'bind'>,
): Epilogue {
  const spec = { anchor: sum.anchor?.id ?? null, members: sum.members, outputs: sum.writes }
  const sums = epilogue({ ...spec, shape: kernelShape(sum), ...operands }, 'sum', 'emit_sum')
  const code = rewriteAccesses(sums.code, (name, index, value) =>
    value === undefined || !name.startsWith('w')
      ? null
      : `w${before + Number(name.slice(1))}[${index}] = ${value}`,
  )
  return {
    key: `${ep.key};sums(${sums.key})`,
    code: `${ep.code}\n${code}`,
    uniforms: [...ep.uniforms, ...sums.uniforms],
    lib: [...new Set([...ep.lib, ...sums.lib])],
  }
}

/**
 * Whether the anchor's vec4 operands must be bound as floats: the epilogue, or a piece's
 * accessor, indexes them as floats.
 */
function floatsOnly(vec4: readonly number[], epilogue: ReadonlySet<number>, pieced: boolean) {
  return vec4.some((id) => epilogue.has(id)) || (vec4.length > 0 && pieced)
}

/**
 * The kernel's binding slots, reads then writes, each in as many pieces as its value needs, and
 * the program's `pieces` when some value needs more than one.
 */
function slotsOf(
  reads: readonly number[],
  writes: readonly number[],
  ctx: CodegenContext,
  /** The element count of a kernel of elementwise ops only (null for others). */
  count: number | null,
): {
  slots: Slot[]
  piece: number
  pieces?: NonNullable<WgslProgram['pieces']>
  /** Slots bound a piece per pass when the kernel runs over its pieces in turn. */
  ranged: ReadonlySet<string>
} {
  const piece = ctx.pieceFloats ?? Infinity
  const floats = [...reads, ...writes].map((id) => numel(ctx.shapeOf(id)))
  const name = (i: number): string => (i < reads.length ? `r${i}` : `w${i - reads.length}`)
  const slots = floats.map((n, i) => ({
    name: name(i),
    write: i >= reads.length,
    pieces: piecesOf(n, piece),
  }))
  if (slots.every((s) => s.pieces === 1)) return { slots, piece, ranged: new Set() }
  if (count !== null && runsInRanges(floats, count, piece)) {
    const ranged = new Set(floats.flatMap((n, i) => (n === count ? [name(i)] : [])))
    const pieces = { floats: piece, slots: floats, ranged: { count } }
    return { slots: slots.map((s) => ({ ...s, pieces: 1 })), piece, pieces, ranged }
  }
  return { slots, piece, pieces: { floats: piece, slots: floats }, ranged: new Set() }
}

/** The elements a kernel of elementwise ops only covers (it may run over them in ranges). */
function rangeCount(k: KernelSpec): number | null {
  const pointwise = k.anchor === null && k.parts === undefined && k.prologue === undefined
  return pointwise ? numel(kernelShape(k)) : null
}

/**
 * A kernel of elementwise ops only, run once per piece: pass c covers elements from u.base
 * (c · piece) on, at most a piece of them.
 */
function inRanges(head: AnchorCode, piece: number): AnchorCode {
  return {
    ...head,
    key: `${head.key}+ranges`,
    uniforms: [...head.uniforms, u32('base', 0)],
    main: mapMain(`u.base + ${FLAT_INDEX}`),
    workgroups: flatWorkgroups(piece),
  }
}

interface ModuleText {
  readonly head: AnchorCode
  readonly lib: readonly LibName[]
  readonly decls: string
  readonly uniforms: readonly Uniform[]
  /** The storage bindings' declarations (and accessors of pieced ones). */
  readonly bindings: readonly string[]
}

/**
 * The module: loads and stores of slots in pieces go through their accessors, or, in a kernel
 * run over its pieces in turn, index from the pass's first element.
 */
function assemble(m: ModuleText, slots: readonly Slot[], ranged: ReadonlySet<string>): string {
  const pieced = new Set(slots.flatMap((s) => (s.pieces > 1 ? [s.name] : [])))
  const size = m.head.workgroupSize.join(', ')
  const main = `@compute @workgroup_size(${size})\nfn main(${MAIN_PARAMS}) {\n  ${m.head.main}\n}`
  const code = [m.decls, main].filter((s) => s !== '').join('\n')
  return [
    libSource(m.lib),
    uniformStruct(m.uniforms),
    ['@group(0) @binding(0) var<uniform> u: U;', ...m.bindings].join('\n'),
    ranged.size > 0
      ? fromBase(code, ranged)
      : pieced.size > 0
        ? throughAccessors(code, pieced)
        : code,
  ]
    .filter((s) => s !== '')
    .join('\n')
}

/**
 * The anchor's code. With a prologue, its first operand has no buffer: loads of it call the
 * prologue's `pro(i)`.
 */
function anchorCode(
  e: Eqn,
  ctx: CodegenContext,
  bind: (id: number) => string,
  prologue: boolean,
  depthSums: ProductOperand | undefined,
): AnchorCode {
  const argShapes = e.args.map(ctx.shapeOf)
  const arg = (k: number): string => bind(e.args[k] ?? -1)
  const load = (k: number, index: string): string =>
    prologue && k === 0 ? `pro(${index})` : `${arg(k)}[${index}]`
  const sums = depthSums === undefined ? {} : { depthSums }
  return generate({ eqn: e, argShapes, arg, load, tuning: ctx.tuning, ...sums })
}

function generate<K extends OpName>(input: AnchorInput<K>): AnchorCode {
  const code = WGSL_OPS[input.eqn.op]
  if (code.kind !== 'anchor') throw new Error(`webgpu: ${input.eqn.op} cannot head a kernel`)
  const gen: AnchorGen<K> = code.gen
  return gen(input)
}

/** The prologue's `fn pro(i)` over the anchor's first operand, or null when it has none. */
function prologueOf(k: KernelSpec, ctx: CodegenContext, bind: (id: number) => string) {
  const operand = k.anchor?.args[0]
  if (k.prologue === undefined || k.prologue.length === 0 || operand === undefined) return null
  const made = k.prologue.at(-1)?.id ?? -1
  const spec = {
    members: k.prologue,
    shape: ctx.shapeOf(made),
    shapeOf: ctx.shapeOf,
    constant: ctx.constant,
    ...(ctx.iota ? { iota: ctx.iota } : {}),
    bind,
  }
  return prologue(spec, made)
}

/** A kernel of elementwise ops only: the anchor supplies nothing but the index. */
function pointwiseOnly(shape: Shape): AnchorCode {
  return mapAnchor({ key: 'pointwise', count: numel(shape), value: '  return 0.0;' })
}
