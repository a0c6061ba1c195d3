// Optimizers as IR over their state: each spec names its per-parameter state slots and writes
// the update of one parameter as equations, so updates compile and fuse like the rest of the
// step. Specs are plain JSON (they travel in project files and protocol messages).

import type { ProgramBuilder, Value } from '../ir'

export type OptimizerSpec =
  | { readonly type: 'sgd' }
  /** PyTorch's form: v = μ·v + g; p -= lr·v (Nesterov: p -= lr·(g + μ·v)). */
  | { readonly type: 'momentum'; readonly momentum?: number; readonly nesterov?: boolean }
  | { readonly type: 'rmsprop'; readonly alpha?: number; readonly eps?: number }
  | {
      readonly type: 'adam'
      readonly beta1?: number
      readonly beta2?: number
      readonly eps?: number
    }
  /** Adam with decoupled weight decay (Loshchilov & Hutter). */
  | {
      readonly type: 'adamw'
      readonly beta1?: number
      readonly beta2?: number
      readonly eps?: number
      readonly weightDecay?: number
    }

export interface UpdateInputs {
  readonly param: Value
  readonly grad: Value
  /** Current values of this parameter's slots, in the optimizer's slot order. */
  readonly slots: readonly Value[]
  /** Learning rate, a scalar program input. */
  readonly lr: Value
  /** A scalar the host computes each step (hostScalars) and feeds as a program input. */
  readonly host: (name: string) => Value
}

export interface UpdateResult {
  readonly param: Value
  readonly slots: readonly Value[]
}

export interface Optimizer {
  /** State per parameter, zero-initialised, e.g. ['m', 'v'] for Adam. */
  readonly slots: readonly string[]
  update(ir: ProgramBuilder, s: UpdateInputs): UpdateResult
  /**
   * Scalars for step t (1 on the first) computed on the host in float64, where float32 in the
   * program would lose precision: Adam's bias corrections 1 − βᵗ cancel catastrophically.
   * fill() writes them in `names` order, so a step allocates nothing.
   */
  readonly hostScalars?: HostScalars
}

export interface HostScalars {
  readonly names: readonly string[]
  fill(t: number, out: Float32Array | Float64Array): void
}

type Spec<T extends OptimizerSpec['type']> = Extract<OptimizerSpec, { type: T }>

const slot = (s: UpdateInputs, i: number): Value => {
  const v = s.slots[i]
  if (v === undefined) throw new Error(`optimizer slot ${i} missing`)
  return v
}

/** Moving average: β·avg + (1 − β)·x. */
const ema = (ir: ProgramBuilder, avg: Value, x: Value, beta: number): Value =>
  ir.add(ir.mul(avg, beta), ir.mul(x, 1 - beta))

const OPTIMIZERS: { [T in OptimizerSpec['type']]: (spec: Spec<T>) => Optimizer } = {
  sgd: () => ({
    slots: [],
    update: (ir, s) => ({ param: ir.sub(s.param, ir.mul(s.lr, s.grad)), slots: [] }),
  }),
  momentum: ({ momentum = 0.9, nesterov = false }) => ({
    slots: ['velocity'],
    update: (ir, s) => {
      const v = ir.add(ir.mul(slot(s, 0), momentum), s.grad)
      const dir = nesterov ? ir.add(s.grad, ir.mul(v, momentum)) : v
      return { param: ir.sub(s.param, ir.mul(s.lr, dir)), slots: [v] }
    },
  }),
  rmsprop: ({ alpha = 0.99, eps = 1e-8 }) => ({
    slots: ['square_avg'],
    update: (ir, s) => {
      const avg = ema(ir, slot(s, 0), ir.square(s.grad), alpha)
      const stepDir = ir.div(s.grad, ir.add(ir.sqrt(avg), eps))
      return { param: ir.sub(s.param, ir.mul(s.lr, stepDir)), slots: [avg] }
    },
  }),
  adam: (spec) => adam(spec, 0),
  adamw: (spec) => adam(spec, spec.weightDecay ?? 0.01),
}

function adam(
  { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }: Spec<'adam'> | Spec<'adamw'>,
  decay: number,
): Optimizer {
  return {
    slots: ['m', 'v'],
    update: (ir, s) => {
      const m = ema(ir, slot(s, 0), s.grad, beta1)
      const v = ema(ir, slot(s, 1), ir.square(s.grad), beta2)
      const mHat = ir.div(m, s.host(ADAM_BIAS1))
      const vHat = ir.div(v, s.host(ADAM_BIAS2))
      const adaptive = ir.div(mHat, ir.add(ir.sqrt(vHat), eps))
      const dir = decay === 0 ? adaptive : ir.add(adaptive, ir.mul(s.param, decay))
      return { param: ir.sub(s.param, ir.mul(s.lr, dir)), slots: [m, v] }
    },
    hostScalars: {
      names: [ADAM_BIAS1, ADAM_BIAS2],
      fill: (t, out) => {
        out[0] = 1 - beta1 ** t
        out[1] = 1 - beta2 ** t
      },
    },
  }
}

const ADAM_BIAS1 = 'adam_bias_correction1'
const ADAM_BIAS2 = 'adam_bias_correction2'

/** Step t's host scalars as feeds, for callers that step rarely (tests); allocates. */
export function hostScalarFeeds(spec: OptimizerSpec, t: number): Record<string, number[]> {
  const scalars = hostScalarsOf(spec)
  const values = new Float64Array(scalars.names.length)
  scalars.fill(t, values)
  return Object.fromEntries(scalars.names.map((name, i) => [name, [values[i] ?? 0]]))
}

/** The host-computed scalar inputs of a training step (none for most optimizers). */
export function hostScalarsOf(spec: OptimizerSpec): HostScalars {
  return createOptimizer(spec).hostScalars ?? { names: [], fill: () => undefined }
}

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  // Each table entry takes exactly its own spec type; TS cannot correlate spec.type with it.
  const make = OPTIMIZERS[spec.type] as (s: OptimizerSpec) => Optimizer
  return make(spec)
}
