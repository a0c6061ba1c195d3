// Whole-training parity with PyTorch: each net of parity-nets.ts trains for STEPS Adam steps in
// our session, and its loss before every step must match PyTorch's (float64, same initial
// weights, same batches) from parity-golden.json (scripts/goldens/make_parity_goldens.py).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parityNets, recordRun, STEPS } from './parity-nets'

const Checksum = z.object({ weights: z.number(), data: z.number(), targets: z.number() })
const Golden = z.object({
  steps: z.number().int(),
  nets: z.record(z.string(), z.object({ checksum: Checksum, losses: z.array(z.number()) })),
})
const golden = Golden.parse(
  JSON.parse(readFileSync(new URL('./parity-golden.json', import.meta.url), 'utf8')),
)

/**
 * Largest allowed |our loss − PyTorch's| at any step. Adam's bias corrections 1 − βᵗ are computed
 * on the host in float64 as PyTorch does (in float32 they cost 1.3e-5 of v̂ at every step).
 */
const TOLERANCE = 1e-5

describe('training matches PyTorch step for step', () => {
  it('has a golden for every net, over the same number of steps', () => {
    expect(golden.steps).toBe(STEPS)
    expect(Object.keys(golden.nets).sort()).toEqual(
      parityNets()
        .map((n) => n.name)
        .sort(),
    )
  })

  it.each(parityNets().map((n) => [n.name, n] as const))('%s: Adam loss curve', (name, net) => {
    const want = golden.nets[name]
    if (!want) throw new Error(`no golden for ${name}`)
    const run = recordRun(net)
    const { checksum } = want
    const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
    const inputsSame =
      same(run.checksum.weights, checksum.weights) &&
      same(run.checksum.data, checksum.data) &&
      same(run.checksum.targets, checksum.targets)
    expect(
      inputsSame,
      'initial weights or batches changed: rerun scripts/goldens/make_parity_goldens.py',
    ).toBe(true)
    const tolerance = TOLERANCE
    const off = run.losses.flatMap((loss, i) => {
      const ref = want.losses[i] ?? NaN
      return Math.abs(loss - ref) <= tolerance ? [] : [`step ${i}: ours ${loss}, PyTorch ${ref}`]
    })
    expect(off).toEqual([])
  })
})
