// Constant folding: an equation whose operands are all constants (`full`) becomes a `full`
// itself, so a step does not compute at run time what the compiler already knows. Autodiff's
// seed (−1 × the loss scale, broadcast to the batch) took two kernels of every WebGPU step.
// Values come from the CPU reference's own loops, so a folded constant is, bit for bit, what
// the CPU backend would have computed (in float32 and in float64). Reductions are not folded:
// the reference sums in order, and n × v is not that sum's rounding.

import type { Eqn, OpName, Program } from '../ir'
import { BINARY_LOOPS, UNARY_LOOPS } from '../backends/cpu/elementwise'

/** Ops that rearrange or repeat their operand: of a constant, the same constant. */
const SAME_VALUE: ReadonlySet<OpName> = new Set([
  'reshape',
  'expand',
  'permute',
  'slice',
  'stop_gradient',
])

export function fold(p: Program): Program {
  // Each constant in both precisions the CPU runs in: one is folded only where they agree,
  // so a float32 run gets the bits it computed before and a float64 run loses no digits.
  const known = new Map<number, Constant>()
  const eqns = p.eqns.map((e): Eqn => {
    const args = e.args.map((a) => known.get(a))
    const c = e.op === 'full' ? constant(e.attrs.value) : evaluate(e.op, args)
    if (c === undefined) return e
    known.set(e.id, c)
    if (e.op === 'full') return e
    const attrs = { shape: e.shape, value: c.f64 }
    return { id: e.id, op: 'full', args: [], attrs, shape: e.shape, dtype: e.dtype }
  })
  return { inputs: p.inputs, eqns, outputs: p.outputs }
}

interface Constant {
  readonly f64: number
  readonly f32: number
}

const constant = (v: number): Constant => ({ f64: v, f32: Math.fround(v) })

/** The op over constants, or undefined: not an op to fold, or the precisions disagree. */
function evaluate(op: OpName, args: readonly (Constant | undefined)[]): Constant | undefined {
  const known = args.flatMap((a) => (a === undefined ? [] : [a]))
  if (known.length === 0 || known.length < args.length) return undefined
  if (SAME_VALUE.has(op)) return known[0]
  const f64 = apply(
    op,
    known.map((a) => a.f64),
    Float64Array,
  )
  const f32 = apply(
    op,
    known.map((a) => a.f32),
    Float32Array,
  )
  if (f64 === undefined || f32 === undefined) return undefined
  return Object.is(Math.fround(f64), f32) || (Number.isNaN(f64) && Number.isNaN(f32))
    ? { f64, f32 }
    : undefined
}

/** One element of the reference's loop for op, in the given precision. */
function apply(
  op: OpName,
  values: readonly number[],
  Floats: Float32ArrayConstructor | Float64ArrayConstructor,
): number | undefined {
  const [a = 0, b = 0, c = 0] = values
  const out = new Floats(1)
  if (op in UNARY_LOOPS && values.length === 1) {
    UNARY_LOOPS[op as keyof typeof UNARY_LOOPS](out, Floats.of(a), 1)
  } else if (op in BINARY_LOOPS && values.length === 2) {
    const loop = BINARY_LOOPS[op as keyof typeof BINARY_LOOPS]
    loop(out, Floats.of(a), Floats.of(b), 1, 0, 0)
  } else if (op === 'where' && values.length === 3) {
    // The reference's where: a nonzero condition picks the second operand.
    out[0] = a !== 0 ? b : c
  } else {
    return undefined
  }
  return out[0]
}
