// Optimizer updates side by side: neighbouring kernels of elementwise ops only that each write a
// parameter's or state's update (Adam's, one per parameter), and touch nothing another writes,
// become one kernel, as many as the device's bindings allow. Each keeps its own epilogue; the
// dispatch covers all of them, each over its own run of whole workgroups, so a workgroup runs
// one part's code. Sizes travel as uniforms, so one pipeline serves any parameter sizes.

import type { Program } from '../../ir'
import { numel, updateTargets } from '../../ir'
import type { AnchorCode } from './anchor'
import type { KernelSpec } from './codegen'
import { kernelEqns, kernelReads, kernelShape } from './codegen'
import type { Epilogue, EpilogueSpec } from './elementwise'
import { epilogue } from './elementwise'
import { rewriteAccesses } from './pieces'
import { FLAT_INDEX, WG, flatWorkgroups, u32 } from './program'
import { kernelBindings } from './schedule'

interface MergeContext {
  readonly p: Program
  readonly resolve: (id: number) => number
  readonly maxBindings: number
  /** Bindings a value takes (more than one when bound in pieces). */
  readonly bindingsFor: (id: number) => number
  /** Input → the update written into its buffer (in-place.ts): read through that binding. */
  readonly inPlace: ReadonlyMap<number, number>
  /** Constants and iotas, which epilogues compute where they read them: no binding. */
  readonly isConstant: (id: number) => boolean
}

/** A kernel of elementwise ops alone: no anchor, prologue or parts of its own. */
const plain = (k: KernelSpec): boolean =>
  k.anchor === null && k.prologue === undefined && k.parts === undefined

/** The kernel list with neighbouring update kernels merged where the bindings allow. */
export function mergeUpdates(kernels: readonly KernelSpec[], ctx: MergeContext): KernelSpec[] {
  const updated = updateTargets(ctx.p)
  const out: KernelSpec[] = []
  let run: KernelSpec[] = []
  const flush = (): void => {
    out.push(run.length === 1 && run[0] !== undefined ? run[0] : merged(run))
    run = []
  }
  for (const k of kernels) {
    if (!plain(k) || !k.writes.some((id) => updated.has(id))) {
      if (run.length > 0) flush()
      out.push(k)
      continue
    }
    if (run.length > 0 && !fits([...run, k], updated, ctx)) flush()
    run.push(k)
  }
  if (run.length > 0) flush()
  return out
}

/**
 * Whether `parts` may share a dispatch: no part reads what another writes (its update may go
 * straight into the parameter's buffer, so the parameter counts as written), and all their
 * buffers fit the device's bindings.
 */
function fits(parts: readonly KernelSpec[], updated: Map<number, number>, ctx: MergeContext) {
  const touched = parts.map((k) => ({
    reads: kernelReads(k, ctx.resolve),
    writes: new Set(k.writes.flatMap((id) => [id, updated.get(id) ?? id])),
  }))
  const apart = touched.every((a, i) =>
    touched.every((b, j) => i === j || ![...a.reads].some((id) => b.writes.has(id))),
  )
  const rules = { ...ctx, inlined: ctx.isConstant }
  const eqns = parts.flatMap(kernelEqns)
  return (
    apart &&
    kernelBindings(
      eqns,
      parts.flatMap((k) => k.writes),
      rules,
    ) <= ctx.maxBindings
  )
}

function merged(parts: readonly KernelSpec[]): KernelSpec {
  return {
    anchor: null,
    members: parts.flatMap((k) => k.members),
    writes: parts.flatMap((k) => k.writes),
    parts,
  }
}

/** Invocations given to a part: its elements, rounded up to whole workgroups. */
const span = (k: KernelSpec): number => Math.ceil(numel(kernelShape(k)) / WG) * WG

/**
 * The merged kernel's code: part j's epilogue as `fn emit_h{j}` over its own elements, and a
 * main that sends each workgroup to its part. `writeSlot(id)` is the binding index of a value
 * the kernel writes; each part's stores are renamed to it.
 */
export function horizontalCode(
  parts: readonly KernelSpec[],
  spec: Omit<EpilogueSpec, 'anchor' | 'members' | 'shape' | 'outputs'>,
  writeSlot: (id: number) => number,
): { head: AnchorCode; ep: Epilogue } {
  const eps = parts.map((k, j) => {
    const shape = kernelShape(k)
    const ep = epilogue(
      { ...spec, anchor: null, members: k.members, shape, outputs: k.writes },
      `h${j}`,
      `emit_h${j}`,
    )
    // The epilogue stores its outputs as w0, w1, …: the merged kernel's are numbered on.
    const code = rewriteAccesses(ep.code, (name, index, value) => {
      if (value === undefined || !name.startsWith('w')) return null
      return `w${writeSlot(k.writes[Number(name.slice(1))] ?? -1)}[${index}] = ${value}`
    })
    return { ...ep, code }
  })
  let start = 0
  const ranges = parts.map((k, j) => {
    const range = [u32(`h${j}_start`, start), u32(`h${j}_n`, numel(kernelShape(k)))]
    start += span(k)
    return range
  })
  const calls = parts.map(
    (_, j) =>
      `if (i >= u.h${j}_start && i - u.h${j}_start < u.h${j}_n) { emit_h${j}(i - u.h${j}_start, 0.0); }`,
  )
  const head: AnchorCode = {
    key: `horizontal(${parts.length})`,
    uniforms: ranges.flat(),
    lib: [],
    decls: '',
    main: `let i = ${FLAT_INDEX};\n  ${calls.join('\n  ')}`,
    workgroupSize: [WG, 1, 1],
    workgroups: flatWorkgroups(start),
    fusable: true,
  }
  const ep: Epilogue = {
    key: eps.map((e) => e.key).join(';'),
    code: eps.map((e) => e.code).join('\n'),
    uniforms: eps.flatMap((e) => e.uniforms),
    lib: [...new Set(eps.flatMap((e) => e.lib))],
  }
  return { head, ep }
}
