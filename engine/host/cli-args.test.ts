// The CLI's arguments as parsed: each flag's value checked where it enters, with a sentence
// naming the flag, the value and what it may be.
import { describe, expect, it } from 'vitest'
import { parseCliArgs } from './cli-args'

const train = (...flags: string[]) => parseCliArgs(['train', 'p.json', ...flags])

describe('--epochs and --seed', () => {
  it('take decimal whole numbers within the range a project file allows', () => {
    expect(train('--epochs', '1000000', '--seed', '4294967295')).toMatchObject({
      epochs: 1_000_000,
      seed: 4294967295,
    })
    expect(train('--seed', '0', '--epochs', '007')).toMatchObject({ seed: 0, epochs: 7 })
  })

  it('refuse a value out of range, naming the flag, the value and the range', () => {
    expect(train('--seed', '5000000000')).toEqual({
      error: '--seed must be a whole number from 0 to 4294967295, got "5000000000"',
    })
    expect(train('--epochs', '1000001')).toEqual({
      error: '--epochs must be a whole number from 1 to 1000000, got "1000001"',
    })
    expect(train('--epochs', '0')).toEqual({
      error: '--epochs must be a whole number from 1 to 1000000, got "0"',
    })
  })

  it('refuse anything but decimal digits', () => {
    for (const text of ['', '0x10', '1e20', '-1', '+5', ' 5', '5.0', '1_000', 'many']) {
      expect(train('--seed', text), text).toEqual({
        error: `--seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(text)}`,
      })
    }
    expect(train('--epochs', '1e3')).toEqual({
      error: '--epochs must be a whole number from 1 to 1000000, got "1e3"',
    })
    expect(train('--seed')).toEqual({
      error: '--seed must be a whole number from 0 to 4294967295, got nothing',
    })
  })
})
