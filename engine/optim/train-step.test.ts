// Training steps on the CPU backend: Adam trains an MLP on a toy problem, runs with one seed
// are bit-identical, and each optimizer, penalty and clip matches a hand-written update.

import { describe, expect, it } from 'vitest'
import { createCpuExecutable } from '../backends/cpu'
import type { CpuExecutable } from '../backends/cpu'
import type { Program } from '../ir'
import { ProgramBuilder } from '../ir'
import { compile } from '../passes'
import { circleData, initParams, mlpForward } from '../test/mlp'
import type { OptimizerSpec } from './optimizers'
import { hostScalarFeeds } from './optimizers'
import type { TrainStepOptions } from './train-step'
import { buildTrainStep } from './train-step'

function trainer(forward: Program, opts: TrainStepOptions, seed: number): CpuExecutable {
  const exe = createCpuExecutable(compile(buildTrainStep(forward, opts)))
  for (const [name, data] of Object.entries(initParams(forward, seed))) exe.write(name, data)
  return exe
}

function trainCircle(optimizer: OptimizerSpec, lr: number, steps: number, seed = 1) {
  const data = circleData(64, 7)
  const exe = trainer(mlpForward(64, [2, 16, 2]), { optimizer }, seed)
  const losses: number[] = []
  for (let i = 0; i < steps; i++) {
    const feeds = { ...data, lr: [lr], ...hostScalarFeeds(optimizer, i + 1) }
    losses.push(exe.run(feeds).loss?.[0] ?? NaN)
  }
  return { exe, losses }
}

describe('training an MLP on the CPU backend', () => {
  it('Adam reduces the loss on the circle problem', () => {
    const { losses } = trainCircle({ type: 'adam' }, 0.05, 300)
    expect(losses[0]).toBeGreaterThan(0.5)
    expect(losses.at(-1)).toBeLessThan(0.1)
  })

  it('two runs with the same seed give bit-identical weights', () => {
    const a = trainCircle({ type: 'adam' }, 0.05, 50).exe
    const b = trainCircle({ type: 'adam' }, 0.05, 50).exe
    const c = trainCircle({ type: 'adam' }, 0.05, 50, 2).exe
    for (const name of ['W1', 'b1', 'W2', 'b2', 'm:W1', 'v:W2']) {
      expect(Array.from(a.view(name))).toEqual(Array.from(b.view(name)))
    }
    expect(Array.from(a.view('W1'))).not.toEqual(Array.from(c.view('W1')))
  })

  const specs: OptimizerSpec[] = [
    { type: 'sgd' },
    { type: 'momentum' },
    { type: 'momentum', nesterov: true },
    { type: 'rmsprop' },
    { type: 'adamw', weightDecay: 0.001 },
  ]
  it.each(specs.map((s) => [JSON.stringify(s), s] as const))('%s trains too', (_, spec) => {
    const lr = spec.type === 'sgd' || spec.type === 'momentum' ? 0.5 : 0.02
    const { losses } = trainCircle(spec, lr, 150)
    expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) * 0.6)
  })
})

/** loss = Σ c·w + extra: the gradient of the first term is the constant c. */
function linear(
  c: number[],
  extra?: (b: ProgramBuilder, w: ReturnType<ProgramBuilder['param']>) => void,
) {
  const b = new ProgramBuilder()
  const w = b.param('w', [c.length])
  b.output('loss', b.sum(b.mul(w, b.constant('c', [c.length], c)), [0]))
  extra?.(b, w)
  return b.build()
}

function steps(p: Program, opts: TrainStepOptions, w0: number[], lrs: number[]): number[] {
  const exe = createCpuExecutable(compile(buildTrainStep(p, opts)), { dtype: 'float64' })
  exe.write('w', w0)
  lrs.forEach((lr, i) => exe.step({ lr: [lr], ...hostScalarFeeds(opts.optimizer, i + 1) }))
  return Array.from(exe.view('w'))
}

/** Hand-written updates for a constant gradient g, three steps, PyTorch conventions. */
function reference(spec: OptimizerSpec, w: number, g: number, lr: number): number {
  let [m, v, buf] = [0, 0, 0]
  for (let t = 1; t <= 3; t++) {
    if (spec.type === 'sgd') w -= lr * g
    if (spec.type === 'momentum') {
      buf = 0.9 * buf + g
      w -= lr * (spec.nesterov ? g + 0.9 * buf : buf)
    }
    if (spec.type === 'rmsprop') {
      v = 0.99 * v + 0.01 * g * g
      w -= (lr * g) / (Math.sqrt(v) + 1e-8)
    }
    if (spec.type === 'adam' || spec.type === 'adamw') {
      m = 0.9 * m + 0.1 * g
      v = 0.999 * v + 0.001 * g * g
      const upd = m / (1 - 0.9 ** t) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
      w -= lr * (upd + (spec.type === 'adamw' ? 0.01 * w : 0))
    }
  }
  return w
}

describe('optimizer updates match hand-written math', () => {
  const all: OptimizerSpec[] = [
    { type: 'sgd' },
    { type: 'momentum' },
    { type: 'momentum', nesterov: true },
    { type: 'rmsprop' },
    { type: 'adam' },
    { type: 'adamw' },
  ]
  it.each(all.map((s) => [JSON.stringify(s), s] as const))('%s', (_, spec) => {
    const got = steps(linear([0.5, -2]), { optimizer: spec }, [1, 1], [0.1, 0.1, 0.1])
    const want = [reference(spec, 1, 0.5, 0.1), reference(spec, 1, -2, 0.1)]
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i] ?? NaN, 12))
  })

  it('the learning rate is an input: changing it needs no recompile', () => {
    const got = steps(linear([1]), { optimizer: { type: 'sgd' } }, [0], [0.1, 0.2, 0.3])
    expect(got[0]).toBeCloseTo(-0.6, 12)
  })

  it('L1 and L2 penalties add to the loss and its gradient', () => {
    const opts = { optimizer: { type: 'sgd' }, l1: 0.1, l2: 0.2 } as const
    const got = steps(linear([1, 1]), opts, [2, -3], [0.5])
    // w − lr·(c + l1·sign(w) + l2·w)
    expect(got[0]).toBeCloseTo(2 - 0.5 * (1 + 0.1 + 0.4), 12)
    expect(got[1]).toBeCloseTo(-3 - 0.5 * (1 - 0.1 - 0.6), 12)
  })

  it('clips gradients by global norm and reports the norm', () => {
    const p = linear([3, 4])
    const exe = createCpuExecutable(
      compile(buildTrainStep(p, { optimizer: { type: 'sgd' }, clipNorm: 1 })),
      { dtype: 'float64' },
    )
    const out = exe.run({ lr: [1] })
    expect(out.grad_norm?.[0]).toBeCloseTo(5, 12)
    expect(Array.from(exe.view('w'))).toEqual([-0.6, -0.8].map((x) => expect.closeTo(x, 12)))
  })
})
