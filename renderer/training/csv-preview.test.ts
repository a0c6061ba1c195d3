// The CSV preview: delimiter guessed from the header, quoted cells kept whole.
import { describe, expect, it } from 'vitest'
import { previewCsv, splitLine } from './csv-preview'

describe('previewCsv', () => {
  it('reads the header and the first rows', () => {
    const p = previewCsv('x1,x2,label\n1,2,a\n3,4,b\n\n5,6,a\n', 2)
    expect(p.delimiter).toBe(',')
    expect(p.header).toEqual(['x1', 'x2', 'label'])
    expect(p.rows).toEqual([
      ['1', '2', 'a'],
      ['3', '4', 'b'],
    ])
    expect(p.rowCount).toBe(3)
  })

  it('guesses semicolons and tabs', () => {
    expect(previewCsv('a;b;c\n1;2;3').delimiter).toBe(';')
    expect(previewCsv('a\tb\n1\t2').delimiter).toBe('\t')
  })

  it('keeps delimiters and doubled quotes inside quoted cells', () => {
    expect(splitLine('"a, b",c,"say ""hi"""', ',')).toEqual(['a, b', 'c', 'say "hi"'])
  })
})
