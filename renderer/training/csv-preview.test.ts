// The CSV preview: delimiter guessed from the header, quoted cells kept whole, split as the
// engine splits them.
import { describe, expect, it } from 'vitest'
import { previewCsv } from './csv-preview'

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

  it('keeps delimiters, doubled quotes and line breaks inside quoted cells', () => {
    const p = previewCsv('a,b,"multi\nline"\n"a, b",c,"say ""hi"""\n')
    expect(p.header).toEqual(['a', 'b', 'multi\nline'])
    expect(p.rows).toEqual([['a, b', 'c', 'say "hi"']])
    expect(p.rowCount).toBe(1)
  })

  it('shows a quote after a space as the engine reads it: not quoting', () => {
    const p = previewCsv('a, "b,c",t\n1, "2,3",x\n')
    expect(p.header).toEqual(['a', '"b', 'c"', 't'])
    expect(p.rows).toEqual([['1', '"2', '3"', 'x']])
  })
})
