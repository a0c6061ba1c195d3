// Dead code, constant folding, common subexpressions, elementwise grouping, liveness and the memory plan; a
// poisoned run (every dead buffer filled with NaN) must give the same bits as a normal one.

import { describe, expect, it } from 'vitest'
import { createCpuExecutable } from '../backends/cpu'
import { ProgramBuilder, printProgram } from '../ir'
import { buildTrainStep, hostScalarFeeds } from '../optim'
import { circleData, initParams, mlpForward } from '../test/mlp'
import { compile } from './compile'
import { cse } from './cse'
import { dce } from './dce'
import { fold } from './fold'
import { groupElementwise } from './fuse'
import { lastUses, planMemory } from './memory'

describe('dce and cse', () => {
  it('dce drops what reaches no output', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [3])
    b.exp(x)
    b.output('y', b.neg(x))
    expect(dce(b.build()).eqns.map((e) => e.op)).toEqual(['neg'])
  })
  it('cse merges repeats, commutative operands in any order', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [3])
    const y = b.input('y', [3])
    b.output('a', b.mul(b.add(x, y), 2))
    b.output('b', b.mul(b.add(y, x), 2))
    const p = dce(cse(b.build()))
    expect(p.eqns.map((e) => e.op)).toEqual(['add', 'full', 'mul'])
    expect(p.outputs[0]?.id).toBe(p.outputs[1]?.id)
  })
  it('cse keeps constants of -inf, inf and NaN apart (JSON writes all three as null)', () => {
    const b = new ProgramBuilder()
    const x = b.input('x', [3])
    const lo = b.maximum(x, -Infinity)
    const hi = b.minimum(x, Infinity)
    b.output('y', b.add(b.add(lo, hi), b.mul(x, NaN)))
    const fulls = cse(b.build()).eqns.filter((e) => e.op === 'full')
    expect(fulls.map((e) => (e.op === 'full' ? String(e.attrs.value) : ''))).toEqual([
      '-Infinity',
      'Infinity',
      'NaN',
    ])
  })
})

describe('constant folding', () => {
  /** Autodiff's seed: −1 × the loss scale, broadcast to the batch, times a mask. */
  const seeded = (): ReturnType<ProgramBuilder['build']> => {
    const b = new ProgramBuilder()
    const x = b.input('x', [4, 3])
    const seed = b.expand(b.reshape(b.mul(b.neg(b.full([], 1)), 0.1), [1, 1]), [4, 3])
    b.output('y', b.mul(seed, x))
    b.output('z', b.where(b.cmpGt(b.full([], 2), 1), b.full([], Infinity), NaN))
    b.output('s', b.sum(b.full([4, 3], 0.1), [0, 1]))
    return b.build()
  }

  it('turns what constants alone make into a constant, and leaves sums alone', () => {
    const p = dce(cse(fold(seeded())))
    expect(p.eqns.map((e) => e.op)).toEqual(['full', 'mul', 'full', 'full', 'sum'])
    const [seed, , inf] = p.eqns.map((e) => (e.op === 'full' ? e.attrs : null))
    expect(seed).toEqual({ shape: [4, 3], value: -0.1 })
    expect(inf?.value).toBe(Infinity)
  })

  it('leaves a product alone where float32 and float64 round it differently', () => {
    // 0.1 × 1/7: float64 rounds to ...4366 in float32, float32 arithmetic gives ...5297.
    const b = new ProgramBuilder()
    b.output('y', b.mul(b.input('x', [3]), b.mul(b.full([], 0.1), 1 / 7)))
    const ops = dce(fold(b.build())).eqns.map((e) => e.op)
    expect(ops).toEqual(['full', 'full', 'mul', 'mul'])
  })

  it('gives the CPU the same bits folded or not', () => {
    const x = Array.from({ length: 12 }, (_, i) => Math.sin(i) * 3)
    const run = (foldIt: boolean): number[][] => {
      const out = createCpuExecutable(compile(seeded(), { fold: foldIt })).run({ x })
      return ['y', 'z', 's'].map((name) => Array.from(out[name] ?? []))
    }
    expect(run(true)).toEqual(run(false))
  })
})

describe('elementwise grouping', () => {
  it('puts bias add and activation with their matmul, across uses inside the group', () => {
    const b = new ProgramBuilder()
    const h = b.tanh(b.add(b.matmul(b.input('x', [4, 2]), b.param('W', [2, 3])), b.param('c', [3])))
    const y = b.add(b.exp(h), h)
    b.output('y', y)
    b.output('z', b.sum(h, [1]))
    const p = b.build()
    const groups = groupElementwise(p)
    const ops = groups.map((g) => g.eqns.map((id) => p.eqns.find((e) => e.id === id)?.op))
    expect(ops).toEqual([['matmul', 'add', 'tanh', 'exp', 'add'], ['sum']])
    expect(groups[0]?.outputs).toEqual([h.id, y.id])
  })

  it('takes in an op whose constant operand was made after the group began (a relu)', () => {
    const b = new ProgramBuilder()
    const z = b.add(b.matmul(b.input('x', [4, 2]), b.param('W', [2, 3])), b.param('c', [3]))
    b.output('y', b.maximum(z, 0)) // the builder makes `full 0` here, after the matmul
    const p = b.build()
    const groups = groupElementwise(p)
    const ops = groups.map((g) => g.eqns.map((id) => p.eqns.find((e) => e.id === id)?.op))
    expect(ops).toEqual([['matmul', 'add', 'maximum']])
  })

  it("masks a product's result in its epilogue with a mask made after it (relu's gradient)", () => {
    const b = new ProgramBuilder()
    const act = b.input('act', [4, 3])
    const g = b.matmul(b.input('dy', [4, 2]), b.param('W', [2, 3]))
    const mask = b.emit('cmp_gt', [act, b.input('zero', [])], {}) // made after the product
    b.output('dx', b.emit('where', [mask, g, act], {}))
    const p = b.build()
    const ops = groupElementwise(p).map((gr) =>
      gr.eqns.map((id) => p.eqns.find((e) => e.id === id)?.op),
    )
    expect(ops).toEqual([['matmul', 'cmp_gt', 'where']])
    // A mask another equation reads too stays out of the product's kernel.
    const c = new ProgramBuilder()
    const act2 = c.input('act', [4, 3])
    const g2 = c.matmul(c.input('dy', [4, 2]), c.param('W', [2, 3]))
    const mask2 = c.emit('cmp_gt', [act2, c.input('zero', [])], {})
    c.output('count', c.sum(mask2, [0, 1]))
    c.output('dx', c.emit('where', [mask2, g2, act2], {}))
    const q = c.build()
    const apart = groupElementwise(q).map((gr) =>
      gr.eqns.map((id) => q.eqns.find((e) => e.id === id)?.op),
    )
    expect(apart[0]).toEqual(['matmul'])
  })

  it("joins a value's last reader across a report when only the group reads it otherwise", () => {
    // A mean-squared error: diff = pred − target feeds the loss (a report) and the gradient.
    const b = new ProgramBuilder()
    const W = b.param('W', [3, 2])
    const pred = b.matmul(b.input('x', [4, 3]), W)
    const diff = b.sub(pred, b.input('target', [4, 2]))
    b.output('loss', b.sum(b.mul(diff, diff), [0, 1]))
    const grad = b.mul(diff, 0.5)
    b.output('next:W', b.sub(W, b.matmul(b.input('xt', [3, 4]), grad)), 'W')
    const p = b.build()
    const ops = groupElementwise(p).map((gr) =>
      gr.eqns.map((id) => p.eqns.find((e) => e.id === id)?.op),
    )
    expect(ops[0]).toEqual(['matmul', 'sub', 'mul', 'mul'])
    // Work that makes only a report stays with the report (a check of pred, read again).
    const c = new ProgramBuilder()
    const h = c.add(c.matmul(c.input('x', [4, 3]), c.param('W', [3, 2])), c.param('c', [2]))
    c.output('act', c.tanh(h))
    c.output('other', c.sum(c.input('y', [4]), [0]))
    c.output('check', c.sum(c.mul(h, 0), [0, 1]))
    const q = c.build()
    const apart = groupElementwise(q).map((gr) =>
      gr.eqns.map((id) => q.eqns.find((e) => e.id === id)?.op),
    )
    expect(apart[0]).toEqual(['matmul', 'add', 'tanh'])
  })

  it("runs a softmax's row-wide ops in the epilogues of its row reductions", () => {
    // log-softmax: x − max − log Σ exp(x − max), each reduction over the last axis, kept.
    const b = new ProgramBuilder()
    const x = b.input('x', [4, 5])
    const shifted = b.sub(x, b.stopGradient(b.max(x, [1], true)))
    const e = b.exp(shifted)
    const logp = b.sub(shifted, b.log(b.sum(e, [1], true)))
    b.output('nll', b.sum(b.mul(logp, b.input('onehot', [4, 5])), [0, 1]))
    const p = b.build()
    const ops = groupElementwise(p).map((gr) =>
      gr.eqns.map((id) => p.eqns.find((q) => q.id === id)?.op),
    )
    expect(ops).toEqual([
      ['max', 'stop_gradient', 'sub', 'exp'],
      ['sum', 'log', 'sub', 'mul'],
      ['sum'],
    ])
    // Not over another axis, and not without keepdims: those rows are not the group's.
    const c = new ProgramBuilder()
    const y = c.input('x', [4, 5])
    c.output('z', c.sub(y, c.max(y, [0], true)))
    const q = c.build()
    expect(groupElementwise(q).map((gr) => gr.eqns.length)).toEqual([1, 1])
  })

  it('merges chains from several roots into the group that reads them (an Adam update)', () => {
    const b = new ProgramBuilder()
    const [m, g] = [b.input('m', [8]), b.input('g', [8])]
    const decayed = b.mul(m, 0.9)
    const fresh = b.mul(g, 0.1)
    b.output('m2', b.add(fresh, decayed))
    const p = b.build()
    const ops = groupElementwise(p).map((gr) =>
      gr.eqns.map((id) => p.eqns.find((e) => e.id === id)?.op),
    )
    expect(ops).toEqual([['mul', 'mul', 'add']])
  })

  it('runs an Adam update in the kernel that makes its gradient, unless it waits for a norm', () => {
    const updateGroups = (clipNorm?: number) => {
      const opts = { optimizer: { type: 'adam' as const }, ...(clipNorm ? { clipNorm } : {}) }
      const p = compile(buildTrainStep(mlpForward(16, [2, 8, 2]), opts)).program
      const groups = groupElementwise(p)
      const opOf = (id: number) => p.eqns.find((e) => e.id === id)?.op
      const updates = p.outputs.filter((o) => o.updates?.startsWith('W') === true)
      return updates.map((o) => groups.find((g) => g.eqns.includes(o.id))?.eqns.map(opOf) ?? [])
    }
    for (const ops of updateGroups()) expect(ops[0]).toBe('matmul')
    for (const ops of updateGroups(1)) expect(ops[0]).not.toBe('matmul')
  })

  it('never merges a chain into a group whose anchor reads it', () => {
    const b = new ProgramBuilder()
    const h = b.maximum(b.input('x', [4, 4]), 0)
    b.output('y', b.add(b.matmul(h, b.param('W', [4, 4])), h))
    const p = b.build()
    const ops = groupElementwise(p).map((gr) =>
      gr.eqns.map((id) => p.eqns.find((e) => e.id === id)?.op),
    )
    expect(ops).toEqual([['maximum'], ['matmul', 'add']])
  })

  it('keeps a chain apart when another kernel reads it before the merge point', () => {
    const b = new ProgramBuilder()
    const [m, g] = [b.input('m', [8]), b.input('g', [8])]
    const decayed = b.mul(m, m)
    b.output('s', b.sum(decayed, [0]))
    const fresh = b.mul(g, g)
    b.output('m2', b.add(fresh, decayed))
    const p = b.build()
    const ops = groupElementwise(p).map((gr) =>
      gr.eqns.map((id) => p.eqns.find((e) => e.id === id)?.op),
    )
    expect(ops).toEqual([['mul'], ['sum'], ['mul', 'add']])
  })
})

describe('liveness and memory plan', () => {
  const step = buildTrainStep(mlpForward(16, [2, 8, 2]), { optimizer: { type: 'adam' } })
  const plan = compile(step)

  it('plans fewer bytes than one buffer per value', () => {
    expect(plan.memory.plannedBytes).toBeLessThan(plan.memory.naiveBytes / 2)
    expect(plan.stats.flops).toBeGreaterThan(0)
  })

  it('never gives two live values one buffer', () => {
    const p = plan.program
    const last = lastUses(p)
    const owner = new Map<number, number>()
    p.eqns.forEach((e, i) => {
      const buf = plan.memory.bufferOf[i] ?? -1
      const prev = owner.get(buf)
      if (prev !== undefined) expect(last.get(prev) ?? Infinity).toBeLessThan(i)
      owner.set(buf, e.id)
    })
  })

  it('gives the same bits with dead buffers poisoned', () => {
    const run = (poisonFreed: boolean) => {
      const exe = createCpuExecutable(plan, { poisonFreed })
      for (const [k, v] of Object.entries(initParams(step, 3))) exe.write(k, v)
      const data = circleData(16, 4)
      const losses = [1, 2, 3].map(
        (t) => exe.run({ ...data, lr: [0.01], ...hostScalarFeeds({ type: 'adam' }, t) }).loss?.[0],
      )
      return { losses, W1: Array.from(exe.view('W1')) }
    }
    const clean = run(false)
    expect(clean.losses.every((l) => Number.isFinite(l))).toBe(true)
    expect(run(true)).toEqual(clean)
  })

  it('reports input bytes as resident', () => {
    const b = new ProgramBuilder()
    b.output('y', b.exp(b.input('x', [10])))
    expect(planMemory(b.build())).toMatchObject({ residentBytes: 40, plannedBytes: 40 })
  })

  it('keeps a printed trace per pass', () => {
    const passes = ['input', 'dce', 'fold', 'cse', 'dce', 'fuse', 'memory']
    expect(plan.trace.map((t) => t.pass)).toEqual(passes)
    expect(plan.trace.at(-3)?.text).toBe(printProgram(plan.program))
  })
})
