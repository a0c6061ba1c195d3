// The conformance suite's judgements (cases.ts) on made-up reports: what they let through and
// what they flag, since a judge that passes everything would pass a broken backend too.
import { describe, expect, it } from 'vitest'
import type { CaseReport, CurveReport, TensorDiff } from './api'
import { OP_TOLERANCE, curveError, opFailures, relativeDiff } from './cases'

const tensor = (name: string, error: number): TensorDiff => ({
  name,
  size: 4,
  error,
  at: 2,
  gpu: 1 + error,
  cpu: 1,
})

const opCase = (label: string, tensors: TensorDiff[], refused?: string): CaseReport => ({
  label,
  tensors,
  kernels: 1,
  whole: false,
  pieced: 0,
  depthSums: 0,
  ...(refused === undefined ? {} : { refused }),
})

const curve = (cpu: number[], gpu: number[]): CurveReport => ({
  model: 'spiral',
  cpu,
  gpu,
  kernels: 1,
  dispatchesPerStep: 1,
  pieced: 0,
  split: [],
  depthSums: 0,
  cpuMs: 1,
  gpuMs: 1,
})

describe('opFailures', () => {
  it('passes errors within the tolerance and refusals for want of bindings or workgroup memory', () => {
    const tile = '{"bm":128,"bn":128,"bk":8,"tm":8,"tn":8,"prefetch":"double"}'
    const report = {
      op: 'add',
      cases: [
        opCase('7x7', [tensor('y', 0), tensor('dx0', OP_TOLERANCE)]),
        opCase('wide', [], 'webgpu: kernel add needs 9 bindings (x takes one per piece)'),
        opCase(
          'tiled',
          [],
          `webgpu: matmul tile ${tile}: 16896 bytes of workgroup memory (the device offers 16384)`,
        ),
      ],
    }
    expect(opFailures(report)).toEqual([])
  })

  it('names each tensor past the tolerance or not a number, and any other refusal', () => {
    const report = {
      op: 'mul',
      cases: [
        opCase('7x7', [tensor('y', 2e-4), tensor('dx0', 1e-6), tensor('dx1', NaN)]),
        opCase('1x1', [], 'webgpu: the device refused the program'),
      ],
    }
    expect(opFailures(report)).toEqual([
      'mul 7x7: y[2] gpu 1.0002 cpu 1 (0.0002)',
      'mul 7x7: dx1[2] gpu NaN cpu 1 (NaN)',
      'mul 1x1: refused: webgpu: the device refused the program',
    ])
  })
})

describe('curveError', () => {
  it('finds the step furthest from the CPU', () => {
    const worst = curveError(curve([1, 2, 4], [1, 2.01, 4.004]))
    expect(worst.step).toBe(1)
    expect(worst.error).toBeCloseTo(0.005, 9)
    expect(worst.at).toBe('step 1: gpu 2.01 cpu 2')
  })

  it('counts a missing or non-finite loss as the worst', () => {
    expect(curveError(curve([1, 2, 4], [1.5, NaN, 4])).step).toBe(1)
    expect(curveError(curve([1, 2, 4], [1, 2])).error).toBeNaN()
  })
})

it('relativeDiff measures against the CPU value, not below 1e-6', () => {
  expect(relativeDiff(1.1, 1)).toBeCloseTo(0.1, 9)
  expect(relativeDiff(1e-7, 0)).toBeCloseTo(0.1, 9)
  expect(relativeDiff(undefined, 1)).toBeNaN()
})
