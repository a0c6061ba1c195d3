// CSV import: tokenising (quotes, CRLF, BOM, blank lines), task detection, standardisation, and
// each kind of bad file refused with the row and column a spreadsheet user would look at.
import { describe, expect, it } from 'vitest'
import type { CsvError, CsvOptions, CsvResult } from './csv'
import { CSV_MAX_ERRORS, parseCsvDataset } from './csv'
import { detectDelimiter, parseCsvText } from './csv-parse'
import type { Dataset } from './dataset'
import { applyNormalization } from './dataset'

function ok(result: CsvResult): Dataset {
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  return result.dataset
}

function errors(text: string, opts: CsvOptions = {}): readonly CsvError[] {
  const result = parseCsvDataset(text, opts)
  if (result.ok) throw new Error('expected the file to be refused')
  return result.errors
}

const FLOWERS = [
  'sepal,petal,"kind, of flower"',
  '5.1,1.4,setosa',
  '"4.9",1.5,setosa',
  '6.3,4.9,"versi ""color"""',
  '6.1,4.7,"versi ""color"""',
  '7.2,6.1,virginica',
].join('\r\n')

describe('CSV tokenising', () => {
  it('handles BOM, CRLF, quoted delimiters, escaped quotes, line breaks in quotes', () => {
    const t = parseCsvText('\ufeffa,b\r\n"x,1","say ""hi""\nthere"\r\n3,4\n')
    expect(t.issues).toEqual([])
    expect(t.records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"\nthere'],
      ['3', '4'],
    ])
    expect(t.records.map((r) => r.row)).toEqual([1, 2, 3])
  })

  it('counts blank lines as rows, ends on a trailing delimiter, handles lone CR', () => {
    const t = parseCsvText('a,b\n\n1,\r2,3')
    expect(t.records.map((r) => [r.row, r.blank, r.fields])).toEqual([
      [1, false, ['a', 'b']],
      [2, true, ['']],
      [3, false, ['1', '']],
      [4, false, ['2', '3']],
    ])
  })

  it('guesses the delimiter from the header line', () => {
    expect(detectDelimiter('a;b;c\n1;2;3')).toBe(';')
    expect(detectDelimiter('a\tb\n')).toBe('\t')
    expect(detectDelimiter('"x;y",b\n')).toBe(',')
  })
})

describe('CSV to Dataset', () => {
  it('reads a class-labelled file: string classes sorted, target last by default', () => {
    const d = ok(parseCsvDataset(FLOWERS, { trainRatio: 0.6, seed: 1, name: 'flowers.csv' }))
    expect(d.name).toBe('flowers.csv')
    expect(d.task).toBe('classification')
    expect(d.featureNames).toEqual(['sepal', 'petal'])
    expect(d.targetName).toBe('kind, of flower')
    expect(d.classNames).toEqual(['setosa', 'versi "color"', 'virginica'])
    expect([d.train.count, d.test.count]).toEqual([3, 2])
    const rows = [...d.train.x, ...d.test.x]
    expect(rows).toContain(Math.fround(4.9))
    const labels = [...d.train.y, ...d.test.y].sort()
    expect(labels).toEqual([0, 0, 1, 1, 2])
  })

  it('numbers → regression, small integer sets → classes, and the user may force either', () => {
    const reg = 'x,y\n1,0.5\n2,1.5\n3,2.25\n'
    expect(ok(parseCsvDataset(reg)).task).toBe('regression')
    const ints = 'x,label\n1,10\n2,2\n3,1\n4,2\n'
    const classes = ok(parseCsvDataset(ints))
    expect(classes.task).toBe('classification')
    expect(classes.classNames).toEqual(['1', '2', '10'])
    const forced = ok(parseCsvDataset(ints, { task: 'regression', trainRatio: 1 }))
    expect(forced.task).toBe('regression')
    expect([...forced.train.y].sort((a, b) => a - b)).toEqual([1, 2, 2, 10])
    expect(ok(parseCsvDataset(reg, { task: 'classification' })).classNames).toHaveLength(3)
  })

  it('picks the target and features by name', () => {
    const text = 'id,label,a,b\n1,yes,0.1,0.2\n2,no,0.3,0.4\n'
    const d = ok(parseCsvDataset(text, { target: 'label', features: ['b'], trainRatio: 1 }))
    expect(d.featureNames).toEqual(['b'])
    expect(d.inputShape).toEqual([1])
    expect(d.classNames).toEqual(['no', 'yes'])
  })

  it('standardises with training statistics and keeps them for new data', () => {
    const lines = ['a,b,t']
    for (let i = 0; i < 50; i++) lines.push(`${i},${100 + 3 * i},${i * 0.5}`)
    const d = ok(parseCsvDataset(lines.join('\n'), { standardize: true, seed: 2 }))
    const norm = d.normalization
    if (norm === undefined) throw new Error('no normalization')
    for (let k = 0; k < 2; k++) {
      const col = [...d.train.x].filter((_, i) => i % 2 === k)
      const mean = col.reduce((s, v) => s + v, 0) / col.length
      const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length)
      expect(mean).toBeCloseTo(0, 5)
      expect(sd).toBeCloseTo(1, 5)
    }
    const fresh = applyNormalization(norm, Float32Array.from([norm.mean[0] ?? 0, 0]), 2)
    expect(fresh[0]).toBeCloseTo(0, 6)
  })
})

describe('CSV refusals name the row and column', () => {
  it('empty cell and non-numeric value', () => {
    const errs = errors('a,b,t\n1,2,x\n3,,y\n4,five,x\n')
    expect(errs.map((e) => [e.kind, e.row, e.column, e.columnName])).toEqual([
      ['empty-cell', 3, 2, 'b'],
      ['not-a-number', 4, 2, 'b'],
    ])
    expect(errs[1]?.message).toBe('Row 4, column 2 "b": "five" is not a number')
  })

  it('ragged rows, counting blank lines as spreadsheet rows', () => {
    const errs = errors('a,b,t\n1,2,x\n\n3,4\n5,6,y,7\n')
    expect(errs.map((e) => [e.kind, e.row])).toEqual([
      ['ragged-row', 4],
      ['ragged-row', 5],
    ])
    expect(errs[0]?.message).toBe('Row 4 has 2 cells; the header has 3')
  })

  it('no rows, empty file, one class', () => {
    expect(errors('a,b\n').map((e) => e.kind)).toEqual(['no-rows'])
    expect(errors('').map((e) => e.kind)).toEqual(['no-header'])
    expect(errors('\ufeff\r\n').map((e) => e.kind)).toEqual(['no-header'])
    const one = errors('a,t\n1,cat\n2,cat\n')
    expect(one.map((e) => [e.kind, e.column])).toEqual([['one-class', 2]])
    expect(one[0]?.message).toContain('"cat"')
  })

  it('unknown target or feature, duplicate or empty header, no features', () => {
    const target = errors('a,b\n1,2\n', { target: 'c' })
    expect(target.map((e) => [e.kind, e.field])).toEqual([['unknown-target', 'target']])
    expect(target[0]?.message).toContain('(a, b)')
    const feature = errors('a,b\n1,2\n', { features: ['z'] })
    expect(feature.map((e) => e.kind)).toEqual(['unknown-feature', 'no-features'])
    const dup = errors('a,b,a,\n1,2,3,4\n')
    expect(dup.map((e) => [e.kind, e.row, e.column, e.columnName])).toEqual([
      ['duplicate-header', 1, 3, 'a'],
      ['empty-header', 1, 4, ''],
    ])
    expect(errors('t\n1\n2\n').map((e) => e.kind)).toEqual(['no-features'])
  })

  it('a target that is not numeric under forced regression', () => {
    const errs = errors('a,t\n1,2\n2,big\n', { task: 'regression' })
    expect(errs.map((e) => [e.kind, e.row, e.columnName])).toEqual([['not-a-number', 3, 't']])
  })

  it('a stray word among numbers is a missing value, refused by row, not a new class', () => {
    const prices = Array.from({ length: 40 }, (_, i) => `${i},${(10 + i * 0.37).toFixed(2)}`)
    const stray = ['x,price', ...prices.slice(0, 20), '20,N/A', ...prices.slice(21)].join('\n')
    const errs = errors(stray)
    expect(errs.map((e) => [e.kind, e.row, e.columnName])).toEqual([['not-a-number', 22, 'price']])
    expect(errs[0]?.message).toContain('"N/A" is not a number')
    // Words throughout, or small integer codes among them, are still classes.
    const words = 'x,kind\n1,cat\n2,dog\n3,3.5\n4,cat\n5,dog\n'
    expect(ok(parseCsvDataset(words)).classNames).toEqual(['3.5', 'cat', 'dog'])
    const codes = ['x,code', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 3}`), '30,none']
    expect(ok(parseCsvDataset(codes.join('\n'))).classNames).toEqual(['0', '1', '2', 'none'])
  })

  it('a target with a class for nearly every row (an id, a name) is refused', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i % 7},row${i}`)
    const errs = errors(['x,name', ...rows].join('\n'))
    expect(errs.map((e) => [e.kind, e.column])).toEqual([['too-many-classes', 2]])
    expect(errs[0]?.message).toContain('"name" has 3000 different values in 3000 rows')
    // Many classes with a few examples each are fine.
    const many = ['x,c', ...Array.from({ length: 120 }, (_, i) => `${i},c${i % 40}`)]
    expect(ok(parseCsvDataset(many.join('\n'))).classNames).toHaveLength(40)
  })

  it('a first row of numbers is data, not a header: refused rather than lost', () => {
    const errs = errors('5.1,3.5,0\n4.9,3.0,1\n4.7,3.2,0\n')
    expect(errs.map((e) => [e.kind, e.row])).toEqual([['no-header', 1]])
    expect(errs[0]?.message).toContain('Row 1 holds only numbers (5.1, 3.5, 0)')
    // Column numbers in order are names (pandas writes 0,1,2… for unnamed columns).
    const numbered = ok(parseCsvDataset('0,1,2\n5.1,3.5,0\n4.9,3.0,1\n4.7,3.2,0\n'))
    expect([numbered.featureNames, numbered.targetName]).toEqual([['0', '1'], '2'])
  })

  it('a feature beyond float32, which would become Infinity', () => {
    const errs = errors('a,b,label\n1,2,x\n2,3,y\n3,4,x\n1e39,2,y\n2,-1e400,x\n')
    expect(errs.map((e) => [e.kind, e.row, e.column, e.columnName])).toEqual([
      ['out-of-range', 5, 1, 'a'],
      ['out-of-range', 6, 2, 'b'],
    ])
    expect(errs[0]?.message).toBe('Row 5, column 1 "a": 1e39 is beyond float32\'s range (±3.4e38)')
    const edge = ok(
      parseCsvDataset('a,label\n3.4028234e38,x\n-3.4028234e38,y\n', { trainRatio: 1 }),
    )
    expect([...edge.train.x].every(Number.isFinite)).toBe(true)
  })

  it('a regression target beyond float32', () => {
    const errs = errors('a,b,t\n1,2,1e400\n2,3,0.5\n3,4,0.25\n')
    expect(errs.map((e) => [e.kind, e.row, e.column])).toEqual([['out-of-range', 2, 3]])
    expect(errs[0]?.message).toBe(
      'Row 2, column 3 "t": 1e400 is beyond float32\'s range (±3.4e38) (the target is regression)',
    )
    const forced = errors('a,t\n1,2\n2,1e39\n', { task: 'regression' })
    expect(forced.map((e) => [e.kind, e.row])).toEqual([['out-of-range', 3]])
  })

  it('class labels too large for a double stay their own text, not one "Infinity"', () => {
    const d = ok(parseCsvDataset('a,t\n1,1e400\n2,2e400\n3,1e400\n', { task: 'classification' }))
    expect(d.classNames).toEqual(['1e400', '2e400'])
    // Past 2^53 two labels would round to one double: they stay two classes.
    const big = 'a,t\n1,9007199254740993\n2,9007199254740992\n3,9007199254740993\n'
    expect(ok(parseCsvDataset(big, { task: 'classification' })).classNames).toEqual([
      '9007199254740992',
      '9007199254740993',
    ])
  })

  it('a cell that standardising pushes past float32 is refused, never Infinity', () => {
    // Training rows 1e-11 apart give a tiny std; 1e30 among the test rows would overflow.
    const text = 'a,t\n0,1\n1e-11,2\n0,3\n1e-11,4\n1e30,5\n'
    let refused = 0
    for (let seed = 0; seed < 20; seed++) {
      const result = parseCsvDataset(text, { standardize: true, trainRatio: 0.8, seed })
      if (result.ok) {
        const all = [...result.dataset.train.x, ...result.dataset.test.x]
        expect(all.every(Number.isFinite)).toBe(true)
        continue
      }
      refused++
      expect(result.errors.map((e) => [e.kind, e.row, e.column])).toEqual([['out-of-range', 6, 1]])
      expect(result.errors[0]?.message).toMatch(
        /^Row 6, column 1 "a": 1e30 is beyond float32's range once standardised \(training rows: mean [^,]+, std 5\.00e-12\)$/,
      )
    }
    expect(refused).toBeGreaterThan(0)
  })

  it('an unclosed quote', () => {
    const errs = errors('a,t\n1,"x\n2,y\n')
    expect(errs[0]).toMatchObject({ kind: 'bad-quote', row: 2, column: 2 })
  })

  it(`lists at most ${CSV_MAX_ERRORS} problems and counts the rest`, () => {
    const text = ['a,t', ...Array.from({ length: 25 }, (_, i) => `x${i},c${i % 2}`)].join('\n')
    const result = parseCsvDataset(text)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toHaveLength(CSV_MAX_ERRORS)
    expect(result.omitted).toBe(15)
    expect(result.errors.map((e) => e.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
  })
})
