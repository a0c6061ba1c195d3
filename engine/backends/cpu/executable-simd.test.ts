// The executable with its buffers in WebAssembly memory: a training step big enough for the
// SIMD kernels matches the JavaScript kernels, repeats bit for bit, gives the same bits with a
// helper thread, survives poisoning of every dead buffer (the storage plan is sound), and
// allocates nothing per step (tiny programs on the JavaScript path included).

import { afterEach, describe, expect, it } from 'vitest'
import type { Program } from '../../ir'
import { compile } from '../../passes'
import { buildTrainStep } from '../../optim/train-step'
import { initParams, mlpForward } from '../../test/mlp'
import type { CpuExecutable, CpuOptions } from './executable'
import { createCpuExecutable } from './executable'
import { setCpuThreads } from './threads'
import { nodeCpuThreads } from './threads-node'

const BATCH = 64

function data(seed: number, n: number): Float32Array {
  let s = seed
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  })
}

function train(forward: Program, steps: number, options: CpuOptions = {}): CpuExecutable {
  const step = buildTrainStep(forward, { optimizer: { type: 'momentum', momentum: 0.9 } })
  const exe = createCpuExecutable(compile(step), options)
  for (const [name, value] of Object.entries(initParams(forward, 3))) exe.write(name, value)
  const [batch = 1, nIn = 1] = forward.inputs.find((i) => i.name === 'x')?.shape ?? []
  const nOut = forward.inputs.find((i) => i.name === 'y')?.shape[1] ?? 1
  const y = new Float32Array(batch * nOut).map((_, i) => (i % nOut === (i >> 3) % nOut ? 1 : 0))
  exe.write('y', y)
  for (let i = 0; i < steps; i++) exe.step({ x: data(i + 1, batch * nIn), lr: [0.05] })
  return exe
}

const weights = (exe: CpuExecutable): number[] =>
  ['W1', 'b1', 'W2', 'b2'].flatMap((n) => Array.from(exe.view(n)))

const big = mlpForward(BATCH, [128, 256, 10])

afterEach(() => setCpuThreads(null))

describe('CPU executable on WebAssembly SIMD kernels', () => {
  it('uses SIMD for big programs and matches the JavaScript kernels', () => {
    const simd = train(big, 5)
    const js = train(big, 5, { wasm: false })
    expect(simd.simd).toBe(true)
    expect(js.simd).toBe(false)
    const [a, b] = [weights(simd), weights(js)]
    a.forEach((x, i) => expect(Math.abs(x - (b[i] ?? NaN))).toBeLessThan(1e-5))
  })

  it('repeats bit for bit, with every dead buffer poisoned or not', () => {
    const once = weights(train(big, 5))
    expect(weights(train(big, 5))).toEqual(once)
    expect(weights(train(big, 5, { poisonFreed: true }))).toEqual(once)
  })

  it('gives the same bits with a helper thread as without', async () => {
    const steps = (exe: CpuExecutable, from: number, to: number): void => {
      for (let i = from; i < to; i++) exe.step({ x: data(i + 1, BATCH * 128), lr: [0.05] })
    }
    const alone = train(big, 1)
    setCpuThreads(nodeCpuThreads)
    const paired = train(big, 1)
    // the helper starts asynchronously; until it is ready every gemm runs on this thread
    for (let wait = 0; wait < 100 && paired.threads() < 2; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(paired.threads()).toBe(2)
    expect(alone.threads()).toBe(1)
    steps(alone, 1, 6)
    steps(paired, 1, 6)
    expect(weights(paired)).toEqual(weights(alone))
    paired.dispose()
  })
})

describe('a training step allocates nothing', () => {
  it.each([
    ['tiny (JavaScript kernels)', mlpForward(10, [2, 8, 2])],
    ['big (SIMD kernels)', big],
  ] as const)('%s', (_, forward) => {
    const exe = train(forward, 20)
    const Real = globalThis.Float32Array
    let made = 0
    globalThis.Float32Array = class extends Real {
      constructor(...args: ConstructorParameters<typeof Float32Array>) {
        super(...args)
        made++
      }
    } as typeof Float32Array
    try {
      for (let i = 0; i < 50; i++) exe.step()
    } finally {
      globalThis.Float32Array = Real
    }
    expect(made).toBe(0)
  })
})
