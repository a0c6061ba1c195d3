// Every layer's lowering against PyTorch: forward outputs, updated state and gradients of each
// golden in engine/test/goldens/layers/ (scripts/goldens/make_layer_goldens.py), on the CPU
// backend in float32 (the training precision) and float64 (to catch small formula slips).
import { describe, expect, it } from 'vitest'
import { createCpuExecutable } from '../../backends/cpu'
import { grad } from '../../autodiff'
import { layers } from '../../graph/registry'
import { chain } from '../../graph/test-graphs'
import { ProgramBuilder } from '../../ir'
import { KEY_INPUT, lowerGraph, probeOutput } from '../../lower/lower-graph'
import { compile } from '../../passes'
import { loadGoldens, mismatches, runGolden } from './golden-case'

const goldens = loadGoldens()

describe('layer goldens from PyTorch', () => {
  it('cover every layer in the registry', () => {
    const covered = new Set(goldens.map((g) => g.layer))
    const missing = [...layers.keys()].filter((t) => t !== 'input' && !covered.has(t))
    expect(missing, 'layers without a golden: run scripts/goldens/make_layer_goldens.py').toEqual(
      [],
    )
  })

  it('name registry layers, each used by its case', () => {
    const stale = goldens.filter(
      (g) => !layers.has(g.layer) || !g.nodes.some((n) => n[1] === g.layer),
    )
    expect(stale.map((g) => g.case)).toEqual([])
  })

  it.each(goldens.map((g) => [g.case, g] as const))('%s in float32', (_, g) => {
    expect(mismatches(g, runGolden(g, 'float32'), 1e-5).failures).toEqual([])
  })

  it.each(goldens.map((g) => [g.case, g] as const))('%s in float64', (_, g) => {
    expect(mismatches(g, runGolden(g, 'float64'), 1e-9).failures).toEqual([])
  })
})

describe('dropout while training', () => {
  const p = 0.3
  const [batch, units] = [4, 500]
  const lowered = lowerGraph(
    chain([
      ['input', 'input', { shape: String(units) }],
      ['drop', 'dropout', { p }],
      ['loss', 'mse'],
    ]),
    { batch, training: true, seed: 7, probe: ['drop'] },
  )
  const b = new ProgramBuilder(lowered.program)
  const y = b.named(probeOutput('drop'))
  b.output('sum', b.sum(y, [0, 1]))
  const exe = createCpuExecutable(compile(grad(b.build(), { loss: 'sum', wrt: ['x'] })))
  const ones = new Float32Array(batch * units).fill(1)
  const run = (key: number) => {
    const out = exe.run({ x: ones, [KEY_INPUT]: [key], target: new Float32Array(batch * units) })
    return {
      y: Array.from(out[probeOutput('drop')] ?? []),
      dx: Array.from(out['grad:x'] ?? []),
    }
  }

  it('zeroes about p of the values and scales the rest by 1/(1 − p)', () => {
    const { y } = run(0)
    const dropped = y.filter((v) => v === 0).length / y.length
    // 2000 Bernoulli draws: the standard deviation of the fraction is about 0.01.
    expect(Math.abs(dropped - p)).toBeLessThan(0.04)
    const kept = y.filter((v) => v !== 0)
    expect(kept.every((v) => Math.abs(v - 1 / (1 - p)) < 1e-6)).toBe(true)
    expect(Math.abs(y.reduce((a, v) => a + v, 0) / y.length - 1)).toBeLessThan(0.06)
  })

  it('passes gradients through the kept units only, scaled the same way', () => {
    const { y, dx } = run(1)
    expect(dx).toEqual(y)
  })

  it('draws a new mask for each step key, the same mask for the same key', () => {
    const a = run(2).y
    expect(run(3).y).not.toEqual(a)
    expect(run(2).y).toEqual(a)
  })
})
