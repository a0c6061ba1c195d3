// Curves as CSV: a header, one row per step, empty cells for gaps, quoted names when needed.
import { describe, expect, it } from 'vitest'
import { columnsToCsv } from './csv-export'

describe('columnsToCsv', () => {
  it('writes a header and one row per index with empty gaps', () => {
    const csv = columnsToCsv([
      { name: 'step', values: [1, 2, 3] },
      { name: 'train loss', values: [0.5, 0.25, 0.125] },
      { name: 'test accuracy', values: [null, NaN, 0.9] },
    ])
    expect(csv).toBe('step,train loss,test accuracy\n1,0.5,\n2,0.25,\n3,0.125,0.9\n')
  })

  it('quotes names with commas or quotes and pads short columns', () => {
    const csv = columnsToCsv([
      { name: 'a,b', values: [1, 2] },
      { name: 'say "hi"', values: [7] },
    ])
    expect(csv).toBe('"a,b","say ""hi"""\n1,7\n2,\n')
  })
})
