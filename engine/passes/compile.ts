// The compiler pipeline: verify → dead code → constant folding → common subexpressions → dead
// code → elementwise grouping → memory plan. Returns the plan a backend executes, its
// statistics, and the printed IR after each pass (for goldens and DEBUG output).

import type { Eqn, OpName, Program, Shape } from '../ir'
import { assertValid, opDef, printProgram } from '../ir'
import { cse } from './cse'
import { dce } from './dce'
import { fold } from './fold'
import type { FusionGroup } from './fuse'
import { groupElementwise, printGroups } from './fuse'
import type { MemoryPlan } from './memory'
import { planMemory, printMemory } from './memory'

export interface CompileOptions {
  /** Run common-subexpression elimination (default true). */
  readonly cse?: boolean
  /** Run dead-code elimination (default true). */
  readonly dce?: boolean
  /** Fold equations over constants into constants (default true). */
  readonly fold?: boolean
}

export interface PlanStats {
  /** Elements of all param inputs. */
  readonly parameters: number
  /** Floating-point operations for one run of the program (e.g. one training step). */
  readonly flops: number
  readonly equations: number
  /** Fusion groups: the kernels a fusing backend would launch. */
  readonly kernels: number
  readonly plannedBytes: number
  readonly naiveBytes: number
  readonly residentBytes: number
}

/** A pass's printed result, and how much is left after it: equations, kernels or buffers. */
export interface PassText {
  readonly pass: string
  readonly text: string
  readonly count: number
  readonly unit: 'equations' | 'kernels' | 'buffers'
}

/** A program printed, with its number of equations. */
export const printed = (pass: string, p: Program): PassText => ({
  pass,
  text: printProgram(p),
  count: p.eqns.length,
  unit: 'equations',
})

export interface CompiledPlan {
  readonly program: Program
  readonly groups: readonly FusionGroup[]
  readonly memory: MemoryPlan
  readonly stats: PlanStats
  /** Printed IR after each pass, in order. */
  readonly trace: readonly PassText[]
}

export function compile(program: Program, options: CompileOptions = {}): CompiledPlan {
  const trace: PassText[] = [printed('input', assertValid(program))]
  let p = program
  const run = (pass: string, f: (q: Program) => Program): void => {
    p = assertValid(f(p))
    trace.push(printed(pass, p))
  }
  const on = { dce: true, fold: true, cse: true, ...options }
  if (on.dce) run('dce', dce)
  if (on.fold) run('fold', fold)
  if (on.cse) run('cse', cse)
  if (on.dce && (on.cse || on.fold)) run('dce', dce)
  const groups = groupElementwise(p)
  trace.push({ pass: 'fuse', text: printGroups(p, groups), count: groups.length, unit: 'kernels' })
  const memory = planMemory(p)
  const buffers = memory.buffers.length
  trace.push({ pass: 'memory', text: printMemory(p, memory), count: buffers, unit: 'buffers' })
  return { program: p, groups, memory, stats: stats(p, groups, memory), trace }
}

function stats(p: Program, groups: readonly FusionGroup[], memory: MemoryPlan): PlanStats {
  const shapes = new Map<number, Shape>()
  for (const i of p.inputs) shapes.set(i.id, i.shape)
  let flops = 0
  for (const e of p.eqns) {
    flops += flopsOf(
      e,
      e.args.map((a) => shapes.get(a) ?? []),
    )
    shapes.set(e.id, e.shape)
  }
  const parameters = p.inputs
    .filter((i) => i.kind === 'param')
    .reduce((n, i) => n + i.shape.reduce((m, d) => m * d, 1), 0)
  return {
    parameters,
    flops,
    equations: p.eqns.length,
    kernels: groups.length,
    plannedBytes: memory.plannedBytes,
    naiveBytes: memory.naiveBytes,
    residentBytes: memory.residentBytes,
  }
}

function flopsOf<K extends OpName>(e: Eqn<K>, args: readonly Shape[]): number {
  return opDef(e.op).flops(args, e.shape, e.attrs)
}
