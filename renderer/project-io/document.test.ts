import { describe, expect, it } from 'vitest'
import type { DataSpec } from '../../engine/data/spec'
import { defaultSpec } from '../../engine/data/spec'
import { RunSchema } from '../../engine/io/run-history'
import { trainSettings } from '../../engine/train/settings'
import type { Run } from '../training/runs'
import { fileStem, fromFileRuns, projectFileName, toFileRun, windowTitle } from './document'

const settings = trainSettings({ epochs: 3 })
const data = defaultSpec('spiral')
const split = { trainRatio: 0.7, seed: 99 }

function run(id: number, status: Run['status']): Run {
  return {
    id,
    name: `Run ${id}`,
    data,
    dataName: 'spiral',
    settings,
    task: 'classification',
    classes: 2,
    parameters: 42,
    series: {
      step: [10, 20],
      trainLoss: [0.7, null],
      testLoss: [null, 0.5],
      trainMetric: [0.5, 0.75],
      testMetric: [null, 0.8],
    },
    status,
    lrChanges: [],
  }
}

describe('runs in a project file', () => {
  it('keeps each curve point, null where a value was missing, and how the run ended', () => {
    const file = toFileRun(run(3, 'done'))
    expect(file).toEqual({
      id: 'run-3',
      settings,
      steps: 20,
      end: 'finished',
      data,
      dataName: 'spiral',
      classes: 2,
      parameters: 42,
      curve: [
        { step: 10, train: { loss: 0.7, accuracy: 0.5 } },
        { step: 20, train: { loss: null, accuracy: 0.75 }, test: { loss: 0.5, accuracy: 0.8 } },
      ],
    })
  })

  it('keeps the learning-rate changes made during a run, with their steps', () => {
    const changed = { ...run(5, 'paused'), lrChanges: [[15, 0.003] as [number, number]] }
    const file = toFileRun(changed)
    expect(file.rateChanges).toEqual([{ step: 15, learningRate: 0.003 }])
    const parsed = RunSchema.parse(JSON.parse(JSON.stringify(file)))
    const [back] = fromFileRuns([parsed], { data, training: settings })
    expect(back?.lrChanges).toEqual([[15, 0.003]])
    expect(toFileRun(run(6, 'done')).rateChanges).toBeUndefined()
    expect(() =>
      RunSchema.parse({ ...parsed, rateChanges: [{ step: 1, learningRate: 0 }] }),
    ).toThrow(/learningRate/)
  })

  it('comes back with the same curves, ids, names and states', () => {
    const runs = [run(1, 'done'), run(2, 'paused'), run(4, 'diverged')]
    const back = fromFileRuns(runs.map(toFileRun), { data, training: trainSettings() })
    expect(back.map((r) => [r.id, r.name, r.status, r.task])).toEqual([
      [1, 'Run 1', 'done', 'classification'],
      [2, 'Run 2', 'paused', 'classification'],
      [4, 'Run 4', 'diverged', 'classification'],
    ])
    expect(back.map((r) => r.series)).toEqual(runs.map((r) => r.series))
    expect(back[0]?.settings).toEqual(settings)
  })

  it("keeps the data set each run trained on, not the project's current one", () => {
    const csv: DataSpec = {
      kind: 'csv',
      name: 'body.csv',
      task: 'auto',
      standardize: true,
      ...split,
    }
    const runs = [run(1, 'done'), { ...run(2, 'done'), data: csv, dataName: 'body.csv' }]
    const file = runs.map(toFileRun)
    // Through the file format as it is read back (checked, then as the studio shows it).
    const parsed = file.map((r) => RunSchema.parse(JSON.parse(JSON.stringify(r))))
    const back = fromFileRuns(parsed, { data: defaultSpec('xor'), training: settings })
    expect(back.map((r) => [r.dataName, r.data, r.classes, r.parameters])).toEqual([
      ['spiral', data, 2, 42],
      ['body.csv', csv, 2, 42],
    ])
  })

  it("shows the project's data for a run from an older file, which did not name it", () => {
    const curve = [{ step: 1, train: { loss: 0.1, accuracy: 0.3 } }]
    const [back] = fromFileRuns([{ id: 'run-1', steps: 1, curve }], { data, training: settings })
    expect([back?.dataName, back?.data, back?.classes, back?.parameters]).toEqual([
      'spiral',
      data,
      0,
      0,
    ])
  })

  it('refuses a run whose data recipe is wrong, naming the field', () => {
    const bad = { id: 'run-1', steps: 0, curve: [], data: { kind: 'builtin', name: 'circle' } }
    const result = RunSchema.safeParse(bad)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('data.size')
  })

  it('saves a run opened from a file back as the file had it', () => {
    // As the CLI writes a run: when it started, and steps past its last reported point.
    const cli = {
      id: 'run-2',
      startedAt: '2026-02-01T00:00:00.000Z',
      settings,
      steps: 500,
      end: 'finished' as const,
      curve: [{ step: 100, train: { loss: 0.5, accuracy: 0.7 } }],
    }
    const noEnd = { id: 'run-3', steps: 7, curve: [{ step: 5, train: { loss: 0.4 } }] }
    const back = fromFileRuns([cli, noEnd], { data, training: trainSettings() }).map(toFileRun)
    // Each run also names the data it was shown with, so a later change of data leaves it be.
    expect(back).toEqual([
      { ...cli, data, dataName: 'spiral' },
      { ...noEnd, data, dataName: 'spiral' },
    ])
  })

  it("records when the studio's own run started", () => {
    const started = { ...run(1, 'done'), startedAt: '2026-03-01T10:00:00.000Z' }
    expect(toFileRun(started).startedAt).toBe('2026-03-01T10:00:00.000Z')
  })

  it('numbers runs in order when their ids are not run-N, and infers the task', () => {
    const curve = [{ step: 1, train: { loss: 0.1, rmse: 0.3 } }]
    const back = fromFileRuns(
      [
        { id: 'a', steps: 1, curve },
        { id: 'a', steps: 1, curve: [] },
      ],
      { data: defaultSpec('fn-sin'), training: settings },
    )
    expect(back.map((r) => [r.id, r.task, r.status])).toEqual([
      [1, 'regression', 'paused'],
      [2, 'regression', 'paused'],
    ])
  })
})

describe('names and titles', () => {
  it('marks unsaved changes in the title and offers safe file names', () => {
    expect(windowTitle('spiral.dendrite', true)).toBe('spiral.dendrite • — Dendrite')
    expect(windowTitle('spiral.dendrite', false)).toBe('spiral.dendrite — Dendrite')
    expect(projectFileName('XOR / AND?')).toBe('XOR - AND-.dendrite')
    expect(projectFileName('  ')).toBe('Untitled.dendrite')
    expect(fileStem('a.b.dendrite')).toBe('a.b')
  })
})
