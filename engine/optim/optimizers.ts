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
  /** Number of this step, 1 on the first (for bias correction). */
  readonly t: Value
}

export interface UpdateResult {
  readonly param: Value
  readonly slots: readonly Value[]
}

export interface Optimizer {
  /** State per parameter, zero-initialised, e.g. ['m', 'v'] for Adam. */
  readonly slots: readonly string[]
  update(ir: ProgramBuilder, s: UpdateInputs): UpdateResult
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
      const mHat = ir.div(m, ir.sub(1, ir.pow(beta1, s.t)))
      const vHat = ir.div(v, ir.sub(1, ir.pow(beta2, s.t)))
      const adaptive = ir.div(mHat, ir.add(ir.sqrt(vHat), eps))
      const dir = decay === 0 ? adaptive : ir.add(adaptive, ir.mul(s.param, decay))
      return { param: ir.sub(s.param, ir.mul(s.lr, dir)), slots: [m, v] }
    },
  }
}

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  // Each table entry takes exactly its own spec type; TS cannot correlate spec.type with it.
  const make = OPTIMIZERS[spec.type] as (s: OptimizerSpec) => Optimizer
  return make(spec)
}
