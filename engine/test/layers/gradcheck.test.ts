// Finite differences through each layer's lowering (float64): the same objectives as the
// PyTorch goldens, so a VJP rule that disagrees with the forward pass shows up here even
// where a golden would be regenerated to match.
import { describe, expect, it } from 'vitest'
import { gradcheck } from '../gradcheck'
import { goldenValues, loadGoldens, OBJECTIVE, objectiveProgram } from './golden-case'

describe('finite-difference gradients through every layer golden', () => {
  it.each(loadGoldens().map((g) => [g.case, g] as const))('%s', (_, g) => {
    const r = gradcheck(objectiveProgram(g), {
      loss: OBJECTIVE,
      wrt: Object.keys(g.grads),
      values: goldenValues(g),
      maxPoints: 12,
    })
    expect(r.failures).toEqual([])
  })
})
