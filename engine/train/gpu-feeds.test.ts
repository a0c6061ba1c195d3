// The GPU session's step feeds without a device: a checkpoint's resume and a divergence's
// replay rest on seek() giving the batches a run from step 0 has, and on refeed() giving back
// the very batch an uploaded step was fed.
import { describe, expect, it } from 'vitest'
import type { Feeds } from '../ir'
import { DATA_INPUT, KEY_INPUT, TARGET_INPUT } from '../lower/lower-graph'
import { LR_INPUT } from '../optim/train-step'
import { withDataShape } from './data-fit'
import { StepFeeder } from './gpu-feeds'
import { planModel } from './model'
import type { TrainSettingsInput } from './settings'
import { trainSettings } from './settings'
import { mlp, playground } from './train-fixtures'

const data = playground('spiral', 3)

function feeder(input: TrainSettingsInput, onDevice: boolean, activation = 'tanh') {
  const graph = withDataShape(mlp('2', [6], activation, 2, 'softmax-cross-entropy'), data)
  const settings = trainSettings(input)
  const { lowered } = planModel(graph, settings)
  return new StepFeeder(data, settings, lowered, false, onDevice ? data.train.x : null)
}

const plain = (feeds: readonly Feeds[]) =>
  feeds.map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Array.from(v)])))

describe('StepFeeder', () => {
  it('seeks to any step on the batches a run from step 0 has there, across epochs', () => {
    const input = { epochs: 3, batchSize: 32, seed: 11, optimizer: { type: 'adam' } } as const
    const from0 = feeder(input, true)
    const perEpoch = from0.batchesPerEpoch
    expect(perEpoch).toBe(Math.floor(data.train.count / 32))
    const run = from0.piece(0, 2 * perEpoch, () => 0.1)
    for (const at of [1, perEpoch - 1, perEpoch, perEpoch + 3]) {
      const resumed = feeder(input, true)
      resumed.seek(at)
      const piece = resumed.piece(at, 2, () => 0.1)
      expect(plain(piece.feeds)).toEqual(plain(run.feeds.slice(at, at + 2)))
      expect(piece.reals).toEqual(run.reals.slice(at, at + 2))
    }
  })

  it('feeds each step its rate, key, target and Adam scalars; rows where the split is on the device', () => {
    const input = { epochs: 1, batchSize: 10, seed: 2, optimizer: { type: 'adam' } } as const
    const piece = feeder(input, true, 'dropout').piece(5, 3, (step) => step / 100)
    const first = piece.feeds[0] ?? {}
    expect(Array.from(first[LR_INPUT] ?? [])).toEqual([0.05])
    expect(Array.from(piece.feeds[2]?.[LR_INPUT] ?? [])).toEqual([0.07])
    expect(Array.from(first[KEY_INPUT] ?? [])).toEqual([5])
    expect(first[TARGET_INPUT]?.length).toBe(10)
    // The gathered input is the batch's 10 row indices, not its 20 values.
    expect(first[DATA_INPUT]?.length).toBe(10)
    const scalars = Object.keys(first).filter((k) => k.startsWith('adam_'))
    expect(scalars.length).toBeGreaterThan(0)
    piece.kept.forEach((kept, k) => expect(kept).toBe(piece.feeds[k]))
  })

  it('keeps an uploaded batch as its rows and gathers the same values again from them', () => {
    const input = { epochs: 2, batchSize: 16, seed: 4 } as const
    const piece = feeder(input, false).piece(0, 4, () => 0.1)
    const refeeder = feeder(input, false)
    piece.feeds.forEach((fed, k) => {
      const kept = piece.kept[k] ?? {}
      expect(kept[DATA_INPUT]?.length).toBe(16)
      expect(fed[DATA_INPUT]?.length).toBe(32)
      expect(plain([refeeder.refeed(kept)])).toEqual(plain([fed]))
    })
  })
})
