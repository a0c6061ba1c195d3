// programStages: the Program tab's list of compiler stages, from a load's summary.
import { describe, expect, it } from 'vitest'
import type { ResultOf } from '../../engine/protocol/messages'
import { programStages } from './program-stages'

type Summary = ResultOf<'load'>['summary']

const ir = (pass: string, count: number) => ({
  pass,
  text: `${pass} text`,
  count,
  unit: 'equations' as const,
})

const summary: Summary = {
  parameters: 22,
  flopsPerStep: 2020,
  plannedBytes: 1588,
  naiveBytes: 4808,
  forwardIr: ir('forward', 30),
  trainIr: [
    ir('input', 141),
    ir('dce', 141),
    ir('fold', 141),
    ir('cse', 121),
    ir('dce', 116),
    { pass: 'fuse', text: 'kernels', count: 21, unit: 'kernels' },
    { pass: 'memory', text: 'buffers', count: 1, unit: 'buffers' },
  ],
}

describe('programStages', () => {
  it('lists the forward program, each pass, the kernels and the memory plan, in order', () => {
    const stages = programStages(summary, false)
    expect(stages.map((s) => s.id)).toEqual([
      'forward',
      'input',
      'dce',
      'fold',
      'cse',
      'dce-2',
      'fuse',
      'memory',
    ])
    expect(stages.map((s) => s.title)).toEqual([
      'Forward',
      'Training step',
      'Dead code',
      'Constant folding',
      'Common subexpressions',
      'Dead code',
      'Fusion',
      'Memory plan',
    ])
    expect(stages[6]?.text).toBe('kernels')
  })

  it('ends, on a GPU, with the WGSL programs the step runs as', () => {
    const wgsl = { pass: 'wgsl', text: '@compute', count: 26, unit: 'kernels' } as const
    const withKernels = { ...summary, trainIr: [...summary.trainIr, wgsl] }
    // A run moved to the CPU after a lost device keeps its summary: no WGSL stage then.
    expect(programStages(withKernels, false).at(-1)?.id).toBe('memory')
    const stages = programStages(withKernels, true)
    expect(stages.at(-1)).toMatchObject({
      id: 'wgsl',
      title: 'WebGPU kernels',
      count: '26 kernels',
      change: 'from 116 equations',
    })
  })

  it('says what each stage left and changed', () => {
    const stages = programStages(summary, false)
    expect(stages.map((s) => [s.count, s.change])).toEqual([
      ['30 equations', ''],
      ['141 equations', '+111 equations'],
      ['141 equations', 'no change'],
      ['141 equations', 'no change'],
      ['121 equations', '−20 equations'],
      ['116 equations', '−5 equations'],
      ['21 kernels', 'from 116 equations'],
      ['1 buffer', '1.6 kB, not 4.8 kB'],
    ])
  })
})
