// The Executable contract on the CPU: resident inputs, feeds, in-place updates after a step,
// copies from read(), live views from run(), and errors that name the input.

import { describe, expect, it } from 'vitest'
import { ProgramBuilder } from '../../ir'
import { compile } from '../../passes'
import { cpuBackend, createCpuExecutable } from './executable'

function counter() {
  const b = new ProgramBuilder()
  const x = b.input('x', [2])
  const acc = b.state('acc', [2], [10, 20])
  const next = b.add(acc, x)
  b.output('next:acc', next, 'acc')
  b.output('double', b.mul(next, 2))
  return compile(b.build())
}

describe('CPU executable', () => {
  it('describes its inputs and outputs', async () => {
    const exe = await cpuBackend.createExecutable(counter())
    expect(exe.backend).toBe('cpu')
    expect(exe.inputs.map((i) => [i.name, i.kind])).toEqual([
      ['x', 'input'],
      ['acc', 'state'],
    ])
    expect(exe.outputs).toEqual([
      { name: 'next:acc', shape: [2], updates: 'acc' },
      { name: 'double', shape: [2] },
    ])
  })

  it('keeps state resident and updates it in place each step', async () => {
    const exe = createCpuExecutable(counter())
    exe.step({ x: [1, 2] })
    exe.step({ x: [1, 2] })
    expect(Array.from(await exe.read('acc'))).toEqual([12, 24])
    const out = exe.run()
    expect(Array.from(out.double ?? [])).toEqual([26, 52]) // x kept its last value
  })

  it('read() copies, run() and view() are live', async () => {
    const exe = createCpuExecutable(counter())
    const copy = await exe.read('acc')
    const live = exe.view('acc')
    exe.step({ x: [1, 1] })
    expect(Array.from(copy)).toEqual([10, 20])
    expect(Array.from(live)).toEqual([11, 21])
  })

  it('names the input on bad writes', () => {
    const exe = createCpuExecutable(counter())
    expect(() => exe.write('x', [1, 2, 3])).toThrow('cpu: x takes 2 values, got 3')
    expect(() => exe.write('nope', [1])).toThrow('cpu: no input named nope')
  })
})
