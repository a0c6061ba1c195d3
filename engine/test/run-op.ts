// Runs one primitive on the CPU backend from plain arrays: the building block of kernel tests
// (and of a later conformance suite that compares other backends with these results).

import { createCpuExecutable } from '../backends/cpu'
import type { OpAttrs, OpName, Shape } from '../ir'
import { ProgramBuilder } from '../ir'
import { compile } from '../passes'

export interface Operand {
  readonly shape: Shape
  readonly data: readonly number[]
}

export interface OpResult {
  readonly shape: Shape
  readonly data: number[]
}

export function runOp<K extends OpName>(
  op: K,
  operands: readonly Operand[],
  attrs: OpAttrs[K],
  dtype: 'float32' | 'float64' = 'float32',
): OpResult {
  const b = new ProgramBuilder()
  const xs = operands.map((o, i) => b.input(`x${i}`, o.shape))
  const y = b.emit(op, xs, attrs)
  b.output('y', y)
  const exe = createCpuExecutable(compile(b.build()), { dtype })
  const feeds = Object.fromEntries(operands.map((o, i) => [`x${i}`, o.data]))
  return { shape: y.shape, data: Array.from(exe.run(feeds).y ?? []) }
}
