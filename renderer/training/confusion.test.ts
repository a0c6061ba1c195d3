// The confusion matrix: true classes by row, predicted (highest score) by column.
import { describe, expect, it } from 'vitest'
import { CELL_INK, cellColors, confusionMatrix, countedNote } from './confusion'

describe('confusionMatrix', () => {
  it('counts argmax predictions against labels', () => {
    // Three examples, three classes: predicted 2, 0, 1; labels 2, 1, 1.
    const scores = [0, 1, 5, 3, 1, 0, 0, 2, 1]
    const m = confusionMatrix(scores, 3, [2, 1, 1], 3)
    expect(m.classes).toBe(3)
    expect(m.counts).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 1])
    expect(m.total).toBe(3)
    expect(m.correct).toBe(2)
  })

  it('reads one logit as two classes', () => {
    const m = confusionMatrix([2, -1, -3, 0.5], 1, [1, 0, 1, 0], 2)
    expect(m.counts).toEqual([1, 1, 1, 1])
  })

  it('skips labels outside the classes', () => {
    const m = confusionMatrix([1, 0, 0, 1], 2, [0, 7], 2)
    expect(m.total).toBe(1)
  })
})

describe('countedNote', () => {
  it('says when the matrix counts only the first rows of a larger test split', () => {
    expect(countedNote(4096, 5000)).toBe('Counted over the first 4,096 of 5,000 test examples.')
    expect(countedNote(250, 250)).toBeNull()
  })
})

describe('cellColors', () => {
  it('shades by the share of the row, white to blue, with ink that reads in either theme', () => {
    // An empty cell is white: its count is dark ink, not the theme's (light, in dark) text.
    expect(cellColors(0, 250)).toEqual({ background: 'rgb(255, 255, 255)', color: CELL_INK })
    expect(cellColors(60, 125).color).toBe(CELL_INK)
    // A full row is Playground's blue: white counts.
    expect(cellColors(125, 125)).toEqual({ background: 'rgb(8, 119, 189)', color: '#ffffff' })
    expect(cellColors(0, 0).background).toBe('rgb(255, 255, 255)')
  })
})
