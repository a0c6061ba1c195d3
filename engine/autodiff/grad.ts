// Reverse-mode autodiff as a Program → Program transformation: walks the equations backwards
// from a scalar loss, applies each op's VJP rule and sums cotangents, so the backward pass is
// ordinary IR that the passes and backends treat like the forward pass (JAX vjp, micrograd).

import type { Eqn, OpName, Program, Value } from '../ir'
import { assertValid, numel, outputNamed, ProgramBuilder, fmtShape } from '../ir'
import type { VjpRule } from './vjp-rules'
import { VJP_RULES } from './vjp-rules'

export interface GradOptions {
  /** Name of the scalar output to differentiate (default 'loss'). */
  readonly loss?: string
  /** Names of the inputs to differentiate with respect to. */
  readonly wrt: readonly string[]
  /** Gradient outputs are named prefix + input name (default 'grad:'). */
  readonly prefix?: string
}

/** The program with one more output per `wrt` input: d loss / d input, of the input's shape. */
export function grad(p: Program, opts: GradOptions): Program {
  const b = new ProgramBuilder(p)
  const cts = addGradients(b, p, opts.loss ?? 'loss', opts.wrt)
  opts.wrt.forEach((name, i) => {
    const ct = cts[i]
    if (ct !== undefined) b.output(`${opts.prefix ?? 'grad:'}${name}`, ct)
  })
  return assertValid(b.build())
}

/**
 * Emits the backward pass into `b` and returns the gradient values in `wrt` order (zeros for
 * inputs the loss does not depend on). Used by grad() and by the training-step builder.
 */
export function addGradients(
  b: ProgramBuilder,
  p: Program,
  lossName: string,
  wrt: readonly string[],
): Value[] {
  const loss = outputNamed(p, lossName)
  if (loss === undefined) throw new Error(`grad: no output named ${lossName}`)
  const lossValue = b.value(loss.id)
  if (numel(lossValue.shape) !== 1) {
    throw new Error(`grad: ${lossName} must be a scalar, is ${fmtShape(lossValue.shape)}`)
  }
  const wrtIds = wrt.map((name) => b.named(name).id)
  const active = activeValues(p, new Set(wrtIds), loss.id)
  const cts = new Map<number, Value>([[loss.id, b.full(lossValue.shape, 1)]])
  for (let i = p.eqns.length - 1; i >= 0; i--) {
    const e = p.eqns[i]
    const g = e && active.has(e.id) ? cts.get(e.id) : undefined
    if (e === undefined || g === undefined) continue
    const lazy = vjpOf(b, e, g)
    e.args.forEach((arg, k) => {
      const make = lazy[k]
      if (!active.has(arg) || !make) return
      const ct = make()
      const prev = cts.get(arg)
      cts.set(arg, prev ? b.add(prev, ct) : ct)
    })
  }
  return wrtIds.map((id) => cts.get(id) ?? b.zeros(b.value(id).shape))
}

/** Ops whose output has zero derivative everywhere it has one: cotangents stop here. */
const CONSTANT_OUTPUT: ReadonlySet<OpName> = new Set([
  'stop_gradient',
  'sign',
  'cmp_gt',
  'random_uniform',
])

/** Values that depend on a wrt input and that the loss depends on: where cotangents flow. */
function activeValues(p: Program, wrt: ReadonlySet<number>, loss: number): Set<number> {
  const fromWrt = new Set(wrt)
  for (const e of p.eqns) {
    if (!CONSTANT_OUTPUT.has(e.op) && e.args.some((a) => fromWrt.has(a))) fromWrt.add(e.id)
  }
  const toLoss = new Set([loss])
  for (let i = p.eqns.length - 1; i >= 0; i--) {
    const e = p.eqns[i]
    if (e && toLoss.has(e.id)) e.args.forEach((a) => toLoss.add(a))
  }
  return new Set([...fromWrt].filter((id) => toLoss.has(id)))
}

function vjpOf<K extends OpName>(b: ProgramBuilder, e: Eqn<K>, g: Value): ReturnType<VjpRule<K>> {
  const rule: VjpRule<K> = VJP_RULES[e.op]
  const ctx = { args: e.args.map((a) => b.value(a)), out: b.value(e.id), attrs: e.attrs }
  return rule(b, ctx, g)
}
