// Golden printed IR of a 2-8-2 tanh MLP with softmax cross-entropy after each stage: forward,
// grad, Adam training step, dce, constant folding, cse, elementwise grouping and the memory plan.

import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff'
import { printProgram } from '../ir'
import { buildTrainStep } from '../optim'
import { compile } from '../passes'
import { expectGolden } from './golden'
import { mlpForward } from './mlp'

describe('MLP through the pipeline (golden IR)', () => {
  const forward = mlpForward(4)
  const wrt = ['W1', 'b1', 'W2', 'b2']
  it('forward', () => expectGolden('mlp.1-forward', printProgram(forward)))
  it('grad', () => expectGolden('mlp.2-grad', printProgram(grad(forward, { wrt }))))
  const step = buildTrainStep(forward, { optimizer: { type: 'adam' } })
  it('training step with Adam', () => expectGolden('mlp.3-adam-step', printProgram(step)))
  const plan = compile(step)
  const after = (pass: string): string => plan.trace.find((t) => t.pass === pass)?.text ?? ''
  it('dce', () => expectGolden('mlp.4-dce', after('dce')))
  it('fold', () => expectGolden('mlp.5-fold', after('fold')))
  it('cse', () => expectGolden('mlp.6-cse', after('cse')))
  it('fuse', () => expectGolden('mlp.7-fuse', after('fuse')))
  it('memory', () => expectGolden('mlp.8-memory', after('memory')))
  it('stats', () => {
    expect(plan.stats.parameters).toBe(2 * 8 + 8 + 8 * 2 + 2)
    expect(plan.stats.plannedBytes).toBeLessThan(plan.stats.naiveBytes)
  })
})
