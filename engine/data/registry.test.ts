// Specs and makeDataset: the validator names bad fields; every built-in in the catalogue builds
// with the shape, task and size the catalogue promises; Iris and CSV come through the same door.
import { beforeAll, describe, expect, it } from 'vitest'
import { BUILTINS, BUILTIN_NAMES } from './catalog'
import type { Dataset, DatasetResult } from './dataset'
import { readMnistFile } from './mnist-node'
import { makeDataset } from './registry'
import type { DataSpec } from './spec'
import { defaultSpec, validateDataSpec } from './spec'

function ok(result: DatasetResult): Dataset {
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  return result.dataset
}

const fields = (value: unknown): string[] => {
  const r = validateDataSpec(value)
  return r.ok ? [] : r.errors.map((e) => e.field)
}

describe('validateDataSpec', () => {
  it('accepts the default spec of every built-in and returns a clean copy', () => {
    for (const name of BUILTIN_NAMES) expect(validateDataSpec(defaultSpec(name)).ok).toBe(true)
    const r = validateDataSpec({ ...defaultSpec('fn-sin'), sampling: 'even', standardize: true })
    expect(r.ok && r.spec).toMatchObject({ name: 'fn-sin', sampling: 'even', standardize: true })
  })

  it('names every bad field', () => {
    const bad = { kind: 'builtin', name: 'circle', noise: 2, size: 1.5, trainRatio: 0, seed: -1 }
    expect(fields({ ...bad, sampling: 'grid', colour: 'red' }).sort()).toEqual(
      ['colour', 'noise', 'sampling', 'seed', 'size', 'trainRatio'].sort(),
    )
    expect(fields({ ...defaultSpec('iris'), size: 151 })).toEqual(['size'])
    expect(fields({ ...defaultSpec('iris'), name: 'irises' })).toEqual(['name'])
    expect(fields({ kind: 'excel' })).toEqual(['kind'])
    expect(fields(null)).toEqual([''])
    const r = validateDataSpec({ ...defaultSpec('xor'), noise: 'lots' })
    expect(r.ok ? '' : r.errors[0]?.message).toBe(
      'noise must be a number from 0 to 0.5, got "lots"',
    )
    // Values JSON cannot show (from a structured clone) are named, never thrown on.
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    const odd = validateDataSpec({ ...defaultSpec('xor'), noise: NaN, size: cycle, seed: 2n })
    expect(odd.ok ? [] : odd.errors.map((e) => e.message)).toEqual([
      'size must be an integer from 2 to 10000, got object',
      'noise must be a number from 0 to 0.5, got NaN',
      'seed must be an integer from 0 to 4294967295, got 2',
    ])
  })

  it('checks CSV specs', () => {
    const csv = { kind: 'csv', name: 'a.csv', task: 'auto', standardize: false }
    expect(fields({ ...csv, trainRatio: 0.8, seed: 1, delimiter: ';' })).toEqual([])
    expect(fields({ ...csv, trainRatio: 0.8, seed: 1, features: ['a', 3] })).toEqual(['features'])
    expect(fields({ ...csv, name: '', task: 'guess', trainRatio: 2, seed: 1 }).sort()).toEqual([
      'name',
      'task',
      'trainRatio',
    ])
  })
})

describe('makeDataset', () => {
  let mnist: ArrayBuffer
  beforeAll(async () => {
    mnist = await readMnistFile()
  })

  it.each(BUILTIN_NAMES)('%s builds as the catalogue describes', (name) => {
    const info = BUILTINS[name]
    const spec = { ...defaultSpec(name, 9), size: Math.min(info.defaults.size, 300) }
    const d = ok(makeDataset(spec, { mnist }))
    expect(d.task).toBe(info.task)
    expect(d.inputShape).toEqual(info.inputShape)
    expect(d.classNames?.length).toBe(info.classes)
    expect(d.train.count + d.test.count).toBe(spec.size)
    expect(d.train.count).toBe(Math.floor(spec.size * spec.trainRatio))
    expect(d.train.x.length).toBe(d.train.count * info.inputShape.reduce((a, b) => a * b, 1))
  })

  it('iris: 150 flowers, 50 of each species, split 120 / 30', () => {
    const d = ok(makeDataset(defaultSpec('iris')))
    expect([d.train.count, d.test.count]).toEqual([120, 30])
    const counts = [0, 0, 0]
    for (const y of [...d.train.y, ...d.test.y]) counts[y] = (counts[y] ?? 0) + 1
    expect(counts).toEqual([50, 50, 50])
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica'])
  })

  it('standardises on request', () => {
    const d = ok(makeDataset({ ...defaultSpec('iris'), standardize: true }))
    expect(d.normalization?.mean).toHaveLength(4)
    const first = [...d.train.x].filter((_, i) => i % 4 === 0)
    expect(first.reduce((s, v) => s + v, 0) / first.length).toBeCloseTo(0, 4)
  })

  it('says what is missing or wrong instead of throwing', () => {
    const noBytes = makeDataset(defaultSpec('mnist'))
    expect(noBytes.ok ? [] : noBytes.errors.map((e) => e.field)).toEqual(['sources.mnist'])
    const badSpec = makeDataset({ ...defaultSpec('spiral'), trainRatio: 5 })
    expect(badSpec.ok ? [] : badSpec.errors.map((e) => e.field)).toEqual(['trainRatio'])
  })

  it('imports CSV through the same door', () => {
    const spec: DataSpec = {
      kind: 'csv',
      name: 'pts.csv',
      target: 'y',
      task: 'auto',
      standardize: false,
      trainRatio: 0.5,
      seed: 1,
    }
    const d = ok(makeDataset(spec, { csv: 'a,y\n1,0.5\n2,0.7\n' }))
    expect([d.name, d.task, d.train.count]).toEqual(['pts.csv', 'regression', 1])
    const bad = makeDataset(spec, { csv: 'a,y\n1,\n' })
    expect(bad.ok ? [] : bad.errors.map((e) => [e.row, e.columnName])).toEqual([[2, 'y']])
    const many = ['a,y', ...Array.from({ length: 12 }, () => 'x,1')].join('\n')
    const r = makeDataset(spec, { csv: many })
    expect(r.ok ? '' : r.errors.at(-1)?.message).toBe('… and 2 more problems')
    expect(makeDataset(spec).ok).toBe(false)
  })

  it('refuses data that leaves no example to test on, whose test metrics would be made up', () => {
    const all = makeDataset({ ...defaultSpec('xor'), trainRatio: 1 })
    expect(all.ok ? [] : all.errors.map((e) => [e.field, e.message])).toEqual([
      [
        'trainRatio',
        'The test split is empty: a training share of 100 % of 500 examples leaves none to test on; lower it',
      ],
    ])
    const spec: DataSpec = {
      kind: 'csv',
      name: 'one.csv',
      task: 'auto',
      standardize: false,
      trainRatio: 0.8,
      seed: 1,
    }
    const one = makeDataset(spec, { csv: 'a,y\n1,0.5\n' })
    expect(one.ok ? '' : one.errors[0]?.message).toContain(
      'of 1 example leaves none to test on; lower the training share or add rows',
    )
    expect(ok(makeDataset(spec, { csv: 'a,y\n1,0.5\n2,0.7\n' })).test.count).toBe(1)
  })
})
