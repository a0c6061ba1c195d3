// Finite-difference gradient checks for any Program or single op (JAX check_grads): analytic
// gradients from grad() are compared with central differences, both run on the CPU backend
// in float64 so the tolerance can be tight enough to catch a wrong VJP rule.

import { grad } from '../autodiff'
import { createCpuExecutable } from '../backends/cpu'
import type { CpuExecutable } from '../backends/cpu'
import type { OpAttrs, OpName, Program, Shape } from '../ir'
import { numel, ProgramBuilder } from '../ir'
import { compile } from '../passes'
import { createRng } from '../util/rng'

export interface GradcheckOptions {
  /** Scalar output to differentiate (default 'loss'). */
  readonly loss?: string
  readonly wrt: readonly string[]
  /** Values for inputs (others keep their const/state data or zeros). */
  readonly values: Readonly<Record<string, ArrayLike<number>>>
  readonly eps?: number
  readonly rtol?: number
  readonly atol?: number
  /** Check at most this many elements per input (picked evenly); default all. */
  readonly maxPoints?: number
}

export interface GradcheckResult {
  readonly ok: boolean
  /** One line per element outside tolerance. */
  readonly failures: readonly string[]
  readonly checked: number
}

export function gradcheck(program: Program, opts: GradcheckOptions): GradcheckResult {
  const loss = opts.loss ?? 'loss'
  const { eps = 1e-6, rtol = 1e-5, atol = 1e-6 } = opts
  const gradProgram = grad(program, { loss, wrt: opts.wrt })
  const analytic = load(createCpuExecutable(compile(gradProgram), F64), opts.values).run()
  const forward = load(createCpuExecutable(compile(program), F64), opts.values)
  const failures: string[] = []
  let checked = 0
  for (const name of opts.wrt) {
    const x = Float64Array.from(forward.view(name))
    for (const i of points(x.length, opts.maxPoints)) {
      const numeric = centralDifference(forward, loss, name, x, i, eps)
      const a = analytic[`grad:${name}`]?.[i] ?? NaN
      checked++
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
        failures.push(`${name}[${i}]: analytic ${a}, numeric ${numeric}`)
      }
    }
  }
  if (checked === 0 && opts.wrt.length > 0) failures.push('nothing checked')
  return { ok: failures.length === 0, failures, checked }
}

const F64 = { dtype: 'float64' } as const

/** (loss(x + eps·e_i) − loss(x − eps·e_i)) / 2·eps, leaving `x` and the input as they were. */
function centralDifference(
  exe: CpuExecutable,
  loss: string,
  name: string,
  x: Float64Array,
  i: number,
  eps: number,
): number {
  const at = (v: number): number => {
    x[i] = v
    exe.write(name, x)
    return exe.run()[loss]?.[0] ?? NaN
  }
  const x0 = x[i] ?? 0
  const up = at(x0 + eps)
  const down = at(x0 - eps)
  at(x0)
  return (up - down) / (2 * eps)
}

export interface OperandSpec {
  readonly shape: Shape
  /** Fixed values (e.g. indices); otherwise uniform in [lo, hi). */
  readonly values?: readonly number[]
  readonly lo?: number
  readonly hi?: number
  /** Not differentiated (indices, conditions, keys). */
  readonly nondiff?: boolean
}

/**
 * Checks one op: loss = Σ op(operands) · r for a fixed random r, so every output element's
 * cotangent differs. Operands are random in [lo, hi) (default [-1, 1)) from `seed`.
 */
export function gradcheckOp<K extends OpName>(
  op: K,
  operands: readonly OperandSpec[],
  attrs: OpAttrs[K],
  opts: { seed?: number; eps?: number; rtol?: number; atol?: number } = {},
): GradcheckResult {
  const rng = createRng(opts.seed ?? 1)
  const b = new ProgramBuilder()
  const values: Record<string, number[]> = {}
  const xs = operands.map((spec, i) => {
    values[`x${i}`] = spec.values
      ? [...spec.values]
      : Array.from({ length: numel(spec.shape) }, () => rng.uniform(spec.lo ?? -1, spec.hi ?? 1))
    return b.input(`x${i}`, spec.shape)
  })
  const y = b.emit(op, xs, attrs)
  const r = b.constant(
    'r',
    y.shape,
    Array.from({ length: numel(y.shape) }, () => rng.uniform(-1, 1)),
  )
  b.output(
    'loss',
    b.sum(
      b.mul(y, r),
      y.shape.map((_, i) => i),
    ),
  )
  const wrt = operands.flatMap((s, i) => (s.nondiff ? [] : [`x${i}`]))
  return gradcheck(b.build(), { ...opts, wrt, values })
}

function load(exe: CpuExecutable, values: GradcheckOptions['values']): CpuExecutable {
  for (const [name, data] of Object.entries(values)) exe.write(name, data)
  return exe
}

function points(n: number, max: number | undefined): number[] {
  const count = Math.min(n, max ?? n)
  return Array.from({ length: count }, (_, k) => Math.floor((k * n) / count))
}
