// The builder checks shapes as it goes, the verifier names the equation at fault, and the
// printer's text is stable and readable.

import { describe, expect, it } from 'vitest'
import { ProgramBuilder } from './builder'
import type { Eqn, Program } from './program'
import { printProgram } from './print'
import { verify } from './verify'

function small(): Program {
  const b = new ProgramBuilder()
  const x = b.input('x', [2, 3])
  const w = b.param('w', [4, 3])
  const y = b.matmul(x, w, { transposeB: true })
  b.output('y', b.relu(y))
  b.output('next:w', b.mul(w, 0.5), 'w')
  return b.build()
}

describe('builder', () => {
  it('infers shapes and turns numbers into scalar constants', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [2, 1, 3])
    expect(b.add(x, b.input('z', [4, 1])).shape).toEqual([2, 4, 3])
    expect(b.sum(x, [1, 2], true).shape).toEqual([2, 1, 1])
    expect(b.matmul(b.input('a', [5, 2, 3]), b.input('c', [3, 7])).shape).toEqual([5, 2, 7])
    expect(
      b.conv2d(b.input('img', [1, 3, 8, 8]), b.param('k', [4, 3, 3, 3]), {
        stride: [2, 2],
        padding: [1, 1],
      }).shape,
    ).toEqual([1, 4, 4, 4])
    expect(b.mul(x, 2).shape).toEqual([2, 1, 3])
    expect(b.build().eqns.at(-2)).toMatchObject({ op: 'full', attrs: { shape: [], value: 2 } })
  })

  it('reports the op and operand shapes when they do not fit', () => {
    const b = new ProgramBuilder()
    const a = b.input('a', [2, 3])
    expect(() => b.matmul(a, b.input('c', [2, 3]))).toThrow(/matmul \[2,3\] \[2,3\].*inner sizes/)
    expect(() => b.add(a, b.input('d', [4]))).toThrow(/cannot broadcast \[2,3\] with \[4\]/)
    expect(() => b.input('a', [1])).toThrow(/input a twice/)
  })

  it('continues an existing program with fresh ids', () => {
    const p = small()
    const b = new ProgramBuilder(p)
    const z = b.neg(b.named('y'))
    expect(p.eqns.some((e) => e.id === z.id)).toBe(false)
    expect(verify(b.build())).toEqual([])
  })
})

describe('verifier', () => {
  const broken = (f: (eqns: Eqn[]) => void): string[] => {
    const p = small()
    const eqns = p.eqns.map((e) => ({ ...e }))
    f(eqns)
    return verify({ ...p, eqns }).map((e) => `${e.where}: ${e.message}`)
  }

  it('accepts well-formed programs', () => expect(verify(small())).toEqual([]))
  it('names the equation with a wrong recorded shape', () => {
    const errs = broken((eqns) => {
      const e = eqns[0]
      if (e) eqns[0] = { ...e, shape: [2, 5] }
    })
    expect(errs[0]).toMatch(/^eqn %2 \(matmul\): shape \[2,5\] recorded, rule gives \[2,4\]/)
  })
  it('finds use before definition, unknown attributes and bad arity', () => {
    const errs = broken((eqns) => {
      const [matmul, , maximum, , mul] = eqns
      if (!matmul || !maximum || !mul) return
      // maximum moved first reads %2 before the matmul defines it
      eqns.splice(
        0,
        5,
        maximum,
        { ...matmul, attrs: { ...matmul.attrs, k: 1 } } as unknown as Eqn,
        { ...mul, args: [] },
      )
    })
    expect(errs.join('\n')).toMatch(/operand %2 is not defined before use/)
    expect(errs.join('\n')).toMatch(/unknown attribute k/)
    expect(errs.join('\n')).toMatch(/expects 2 operands, got 0/)
  })
  it('checks in-place updates', () => {
    const p = small()
    const bad = { ...p, outputs: [...p.outputs, { name: 'oops', id: 2, updates: 'x' }] }
    expect(verify(bad).map((e) => e.message)).toEqual([
      'updates x, which is not a param or state input',
    ])
  })
})

describe('printer', () => {
  it('prints inputs by name, flags, constants and aliases', () => {
    expect(printProgram(small())).toBe(`program {
  input x:f32[2,3]
  param w:f32[4,3]
  ──
  %0:f32[2,4] = matmul x w {transposeB}
  %1:f32[] = full 0
  %2:f32[2,4] = maximum %0 %1
  %3:f32[] = full 0.5
  %4:f32[4,3] = mul w %3
  ──
  out y = %2
  out next:w = %4  (updates w)
}
`)
  })
  it('round-trips through JSON', () => {
    const p = small()
    expect(JSON.parse(JSON.stringify(p))).toEqual(p)
  })
})
