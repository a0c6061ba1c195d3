// Sample projects: every shipped file parses, in lesson order; broken files say why.
import { describe, expect, it } from 'vitest'
import { inspectGraph } from '../../engine/graph/inspect'
import { brokenSamples, samples } from './sample-files'
import { loadSamples, parseSample, sampleId } from './samples'

describe('shipped samples', () => {
  it('all parse, in the lecture order', () => {
    expect(brokenSamples).toEqual([])
    expect(samples.length).toBeGreaterThanOrEqual(6)
    expect(samples.slice(0, 2).map((s) => s.id)).toEqual(['two-linear-layers', 'xor'])
  })

  it.each(samples.map((s) => [s.id, s] as const))('%s validates without errors', (_, sample) => {
    expect(sample.lesson.length).toBeGreaterThan(20)
    const errors = inspectGraph(sample.graph).problems.filter((p) => p.severity === 'error')
    expect(errors).toEqual([])
  })
})

describe('parseSample', () => {
  const graph = { format: 'dendrite.graph', version: 1, nodes: [], edges: [], frames: [] }

  it('reads name, lesson, graph and data set', () => {
    const result = parseSample('x', {
      format: 'dendrite.project',
      name: ' X ',
      lesson: 'L',
      graph,
      data: { kind: 'builtin', name: 'xor' },
    })
    expect(result).toEqual({
      ok: true,
      sample: { id: 'x', name: 'X', lesson: 'L', graph, dataset: 'xor' },
    })
  })

  it('names every problem', () => {
    const result = parseSample('bad', { format: 'other', graph: { ...graph, nodes: 3 } })
    expect(result).toEqual({
      ok: false,
      id: 'bad',
      errors: [
        'format: not "dendrite.project"',
        'name: missing',
        'lesson: missing',
        expect.stringMatching(/^graph\.nodes: /),
      ],
    })
    expect(parseSample('n', null)).toMatchObject({ ok: false, errors: ['(root): not an object'] })
  })

  it('orders known lessons first, then by name', () => {
    const project = (name: string) => ({ format: 'dendrite.project', name, lesson: 'l', graph })
    const { samples: list, broken } = loadSamples({
      'a/zeta.json': project('Zeta'),
      'a/alpha.json': project('Alpha'),
      'a/xor.json': project('XOR'),
      'a/broken.json': {},
    })
    expect(list.map((s) => s.id)).toEqual(['xor', 'alpha', 'zeta'])
    expect(broken.map((b) => b.id)).toEqual(['broken'])
    expect(sampleId('../../assets/examples/mnist-mlp.json')).toBe('mnist-mlp')
  })
})
