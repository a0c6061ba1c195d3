// Dead ReLUs (zero for the whole batch) and saturated sigmoid / tanh units.
import { describe, expect, it } from 'vitest'
import { diagnoseUnits } from './diagnostics'

describe('diagnoseUnits', () => {
  it('finds ReLU units that are zero for every example', () => {
    // 3 rows × 3 units: unit 1 is dead.
    const data = [0.5, 0, 0, 0, 0, 1, 2, 0, 0]
    expect(diagnoseUnits('relu', [3, 3], data)).toEqual({
      type: 'relu',
      units: 3,
      dead: [1],
      saturated: [],
    })
  })

  it('counts a unit alive if any example fires it', () => {
    const data = [0, 0, 0, 0.001]
    expect(diagnoseUnits('relu', [2, 2], data)?.dead).toEqual([0])
  })

  it('finds tanh units pinned near ±1 and sigmoid units near 0 or 1', () => {
    const tanh = [1, 0.1, -0.999, -0.3, 0.995, 0.5]
    expect(diagnoseUnits('tanh', [3, 2], tanh)?.saturated).toEqual([0])
    const sigmoid = [0.001, 0.5, 0.999, 0.4]
    expect(diagnoseUnits('sigmoid', [2, 2], sigmoid)?.saturated).toEqual([0])
  })

  it('pools positions of image activations per channel', () => {
    // 1 row, 2 channels, 2 positions: channel 0 dead, channel 1 alive at one position.
    expect(diagnoseUnits('relu', [1, 2, 2], [0, 0, 0, 3])?.dead).toEqual([0])
  })

  it('says nothing for other layers or empty batches', () => {
    expect(diagnoseUnits('dense', [2, 2], [0, 0, 0, 0])).toBeNull()
    expect(diagnoseUnits('relu', [0, 4], [])).toBeNull()
  })
})
