// Updates written in place: a parameter's or optimizer state's new value goes straight into the
// input buffer it replaces, instead of a pooled buffer copied over it after the step. That saves
// a buffer per parameter and state tensor (memory a step otherwise holds twice) and the copies.
// It is safe when the kernel that makes the new value reads the old one only elementwise at the
// index it writes (its epilogue, same size) and no later kernel reads the old value; otherwise
// the update keeps its own buffer and is copied as before.

import type { Program, Shape } from '../../ir'
import { numel, updateTargets } from '../../ir'
import type { KernelSpec } from './codegen'
import { kernelReads, kernelShape } from './codegen'

/** Values read other than at the output's own index: the anchor's operands, its prologue's. */
const readAcross = (k: KernelSpec): number[] => [
  ...(k.anchor?.args ?? []),
  ...(k.prologue ?? []).flatMap((e) => e.args),
]

/** Input id → the output id written into its buffer, for every update that may be. */
export function planInPlace(
  p: Program,
  kernels: readonly KernelSpec[],
  shapeOf: (id: number) => Shape,
  /** A dropped view's source (gpu-plan.ts), so reading the view counts as reading it. */
  resolve: (id: number) => number = (id) => id,
): Map<number, number> {
  const reads = kernels.map((k) => kernelReads(k, resolve))
  const inPlace = new Map<number, number>()
  for (const [output, input] of updateTargets(p)) {
    const w = kernels.findIndex((k) => k.writes.includes(output))
    // In a merged kernel (horizontal.ts), the part that writes it.
    const writer = kernels[w]?.parts?.find((k) => k.writes.includes(output)) ?? kernels[w]
    if (writer === undefined || readAcross(writer).some((a) => resolve(a) === input)) continue
    const sameSize = numel(shapeOf(input)) === numel(kernelShape(writer))
    const readLater = reads.some((r, k) => k > w && r.has(input))
    if (sameSize && !readLater && numel(shapeOf(output)) === numel(shapeOf(input))) {
      inPlace.set(input, output)
    }
  }
  return inPlace
}

/**
 * The kernels with each update's kernel moved after the last kernel that reads its parameter's
 * old value, where that is safe: nothing in between reads what it writes or writes what it
 * reads. Its update may then go into the parameter's buffer (a batch norm's scale: the kernel
 * of its gradient and update ran before the kernel of the input's gradient, which reads the
 * old scale, so the scale was held twice and the whole step refused).
 */
export function sinkUpdates(
  kernels: readonly KernelSpec[],
  p: Program,
  resolve: (id: number) => number,
): KernelSpec[] {
  const targets = updateTargets(p)
  // Each kernel with what it reads, moved together.
  const out = kernels.map((k) => ({ k, reads: kernelReads(k, resolve) }))
  for (let i = out.length - 1; i >= 0; i--) {
    const at = out[i]
    const olds = (at?.k.writes ?? []).flatMap((id) => targets.get(id) ?? [])
    if (at === undefined || olds.length === 0) continue
    const last = out.findLastIndex((o, j) => j > i && olds.some((x) => o.reads.has(x)))
    if (last < 0) continue
    const writes = new Set(at.k.writes)
    const apart = out.slice(i + 1, last + 1).every((o) => {
      const touched = o.k.writes.flatMap((id) => [id, targets.get(id) ?? id])
      return ![...o.reads].some((x) => writes.has(x)) && !touched.some((x) => at.reads.has(x))
    })
    if (!apart) continue
    out.splice(i, 1)
    out.splice(last, 0, at)
  }
  return out.map((o) => o.k)
}
