// predictionCells: the class picked from each row of scores, right or wrong, and how sure.
import { describe, expect, it } from 'vitest'
import { predictionCells, scoreKind } from './predictions'

const digits = ['0', '1', '2']

describe('predictionCells', () => {
  it('picks the largest logit, with its softmax probability, against the label', () => {
    const cells = predictionCells(
      {
        images: { shape: [2, 1, 1, 1], data: new Float32Array(2) },
        scores: { shape: [2, 3], data: new Float32Array([0, 2, 0, 5, 1, 1]) },
        labels: new Float32Array([1, 2]),
      },
      digits,
      scoreKind('softmax-cross-entropy'),
    )
    expect(cells.map((c) => [c.predicted, c.actual, c.right])).toEqual([
      ['1', '1', true],
      ['0', '2', false],
    ])
    const e2 = Math.exp(2)
    expect(cells[0]?.confidence).toBeCloseTo(e2 / (e2 + 2), 6)
  })

  it('reads one binary logit through a sigmoid', () => {
    const cells = predictionCells(
      {
        images: { shape: [2, 1, 1, 1], data: new Float32Array(2) },
        scores: { shape: [2, 1], data: new Float32Array([-2, 3]) },
        labels: new Float32Array([0, 0]),
      },
      ['no', 'yes'],
      scoreKind('bce-with-logits'),
    )
    expect(cells.map((c) => [c.predicted, c.right])).toEqual([
      ['no', true],
      ['yes', false],
    ])
    expect(cells[0]?.confidence).toBeCloseTo(1 - 1 / (1 + Math.exp(2)), 6)
  })

  it('says nothing of right or sure where labels or logits are missing', () => {
    const [cell] = predictionCells(
      {
        images: { shape: [1, 1, 1, 1], data: new Float32Array(1) },
        scores: { shape: [1, 3], data: new Float32Array([0.1, 0.7, 0.2]) },
        labels: null,
      },
      digits,
      scoreKind('mse'),
    )
    expect(cell).toEqual({ predicted: '1', actual: null, right: null, confidence: null })
  })
})
