// Large reductions split in two (split-reduce.ts): the stages' shapes, values left alone, and
// the same numbers as the one-stage reduction on the CPU backend.

import { describe, expect, it } from 'vitest'
import { createCpuExecutable } from '../cpu'
import type { Program } from '../../ir'
import { ProgramBuilder, numel } from '../../ir'
import { compile } from '../../passes'
import { splitReductions } from './split-reduce'

function reduction(op: 'sum' | 'max', shape: number[], axes: number[], keepdims = false): Program {
  const b = new ProgramBuilder()
  const x = b.input('x', shape)
  b.output('y', b.emit(op, [x], { axes, keepdims }))
  return b.build()
}

const steps = (p: Program): string[] => p.eqns.map((e) => `${e.op}[${e.shape.join(',')}]`)

describe('splitReductions', () => {
  it('reduces a large tensor to one value through partial results', () => {
    const p = splitReductions(reduction('sum', [256, 2048], [0, 1]))
    expect(steps(p)).toEqual(['reshape[1024,512]', 'sum[1024]', 'sum[]'])
    expect(p.outputs[0]?.id).toBe(p.eqns.at(-1)?.id)
  })

  it('splits a deep reduction over a leading axis into row blocks, keeping the output shape', () => {
    const p = splitReductions(reduction('sum', [4096, 64], [0], true))
    expect(steps(p)).toEqual(['reshape[16,256,64]', 'sum[16,64]', 'sum[64]', 'reshape[1,64]'])
  })

  it('splits a deep middle block with axes kept on both sides', () => {
    const p = splitReductions(reduction('max', [3, 2048, 100], [1]))
    expect(steps(p)).toEqual(['reshape[3,8,256,100]', 'max[3,8,100]', 'max[3,100]'])
  })

  it('leaves columns one kernel runs alone (a bias gradient over a batch of 256)', () => {
    const p = reduction('sum', [256, 2048], [0], true)
    expect(splitReductions(p, 8192)).toBe(p)
  })

  it('leaves small inputs, scattered axes and sizes with no factor alone', () => {
    for (const p of [
      reduction('sum', [128, 256], [0, 1]),
      reduction('sum', [64, 64, 64], [0, 2]),
      reduction('sum', [100003], [0]),
    ]) {
      expect(splitReductions(p)).toBe(p)
    }
  })

  it('splits from a smaller size when asked (GPUs, where one workgroup is a sliver)', () => {
    const p = reduction('sum', [128, 256], [0, 1])
    expect(splitReductions(p)).toBe(p)
    expect(steps(splitReductions(p, 8192))).toEqual(['reshape[128,256]', 'sum[128]', 'sum[]'])
  })

  it('gives the numbers the one-stage reduction gives', () => {
    for (const [op, shape, axes] of [
      ['sum', [300, 256], [0, 1]],
      ['sum', [4, 2048, 96], [1]],
      ['max', [2048, 300], [0]],
    ] as const) {
      const one = reduction(op, [...shape], [...axes])
      const two = splitReductions(one)
      expect(two).not.toBe(one)
      const x = Array.from({ length: numel(shape) }, (_, i) => Math.sin(i * 0.37))
      const run = (p: Program): Float32Array => {
        const exe = createCpuExecutable(compile(p))
        exe.step({ x })
        return Float32Array.from(exe.view('y'))
      }
      const [want, got] = [run(one), run(two)]
      expect(got.length).toBe(want.length)
      want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 3))
    }
  })
})
