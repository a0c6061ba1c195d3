// CSV import: a header row, numeric feature columns and one target column become a Dataset.
// User input is never trusted and never thrown on: a bad file comes back with its first problems,
// each naming the spreadsheet row (header = row 1) and the column by number and header name.
import { createRng } from '../util/rng'
import type { DataIssue, Dataset, Normalization, Task } from './dataset'
import { splitExamples, standardize } from './dataset'
import type { CsvRecord } from './csv-parse'
import { detectDelimiter, parseCsvText } from './csv-parse'

export type CsvErrorKind =
  | 'bad-quote'
  | 'no-header'
  | 'empty-header'
  | 'duplicate-header'
  | 'unknown-target'
  | 'unknown-feature'
  | 'no-features'
  | 'no-rows'
  | 'ragged-row'
  | 'empty-cell'
  | 'not-a-number'
  | 'out-of-range'
  | 'one-class'
  | 'too-many-classes'

export interface CsvError extends DataIssue {
  readonly kind: CsvErrorKind
}

export type CsvTaskChoice = 'auto' | Task

export interface CsvOptions {
  readonly name?: string
  /** Target column by header name; the last column when left out. */
  readonly target?: string
  /** Feature columns by header name; every other column when left out. */
  readonly features?: readonly string[]
  /**
   * 'auto': a numeric target is regression unless it holds integers only (≤ 20 distinct); a
   * target of text is classification, unless its text is a few stray cells among numbers that
   * would be regression (a missing value written "N/A"): those are refused, row by row.
   */
  readonly task?: CsvTaskChoice
  /** Standardise features with the training rows' mean and std (kept in the Dataset). */
  readonly standardize?: boolean
  readonly trainRatio?: number
  readonly seed?: number
  /** ',', ';' or '\t'; guessed from the header line when left out. */
  readonly delimiter?: string
}

export type CsvResult =
  | { readonly ok: true; readonly dataset: Dataset }
  | { readonly ok: false; readonly errors: readonly CsvError[]; readonly omitted: number }

/** How many problems a refused file reports; the rest are counted in `omitted`. */
export const CSV_MAX_ERRORS = 10
/** An all-integer target with more distinct values than this is taken as regression. */
export const CSV_MAX_AUTO_CLASSES = 20
/** Under 'auto', text in at most this share of a target's cells, among numbers, is stray. */
const STRAY_TEXT_SHARE = 0.1

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** The number a cell holds, or null when it is not plainly a number. */
export function parseNumber(cell: string): number | null {
  const s = cell.trim()
  return NUMBER.test(s) ? Number(s) : null
}

/** A cell read as a float32 value, or why it cannot be one. */
type CellValue =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly kind: CsvErrorKind; readonly what: string }

/** Why a value cannot be stored as float32 without becoming ±Infinity, or null when it can. */
function beyondFloat32(text: string, value: number): string | null {
  return Number.isFinite(Math.fround(value)) ? null : `${text} is beyond float32's range (±3.4e38)`
}

function readValue(cell: string): CellValue {
  const s = cell.trim()
  if (s === '') return { ok: false, kind: 'empty-cell', what: 'empty' }
  const value = parseNumber(s)
  if (value === null) return { ok: false, kind: 'not-a-number', what: `"${s}" is not a number` }
  const beyond = beyondFloat32(s, value)
  return beyond === null ? { ok: true, value } : { ok: false, kind: 'out-of-range', what: beyond }
}

/**
 * A class label read as a number, when it is one that stays itself: 1e400 is not, nor an
 * integer past 2^53 (9007199254740993 would become 9007199254740992, another label's class).
 */
function labelNumber(text: string): number | null {
  const v = parseNumber(text)
  if (v === null || !Number.isFinite(v)) return null
  return Number.isInteger(v) && !Number.isSafeInteger(v) ? null : v
}

class Problems {
  readonly list: CsvError[] = []
  total = 0
  add(error: CsvError): void {
    this.total++
    if (this.list.length < CSV_MAX_ERRORS) this.list.push(error)
  }
}

interface Columns {
  readonly header: readonly string[]
  readonly target: number
  readonly features: readonly number[]
}

const colLabel = (header: readonly string[], c: number): string =>
  `column ${c + 1} "${header[c] ?? ''}"`

function cellError(
  kind: CsvErrorKind,
  row: number,
  header: readonly string[],
  c: number,
  what: string,
): CsvError {
  const message = `Row ${row}, ${colLabel(header, c)}: ${what}`
  return { kind, message, row, column: c + 1, columnName: header[c] ?? '' }
}

function checkHeader(record: CsvRecord, problems: Problems): readonly string[] {
  const header = record.fields.map((h) => h.trim())
  // Read as names, a first row of data would be lost without a word; but column numbers in
  // order (pandas writes 0,1,2… for unnamed columns) are names.
  const numbered = (from: number) => header.every((h, c) => h === String(c + from))
  if (header.every((h) => parseNumber(h) !== null) && !numbered(0) && !numbered(1)) {
    const cells = header.length > 4 ? `${header.slice(0, 4).join(', ')}, …` : header.join(', ')
    const message =
      `Row ${record.row} holds only numbers (${cells}): it looks like data, but the first ` +
      'row must be a header naming the columns'
    problems.add({ kind: 'no-header', message, row: record.row })
    return header
  }
  const seen = new Map<string, number>()
  header.forEach((name, c) => {
    if (name === '') {
      problems.add(cellError('empty-header', record.row, header, c, 'the header is empty'))
      return
    }
    const first = seen.get(name)
    if (first === undefined) seen.set(name, c)
    else {
      const what = `duplicate header, same as column ${first + 1}`
      problems.add(cellError('duplicate-header', record.row, header, c, what))
    }
  })
  return header
}

function pickColumns(header: readonly string[], opts: CsvOptions, problems: Problems): Columns {
  const target = opts.target === undefined ? header.length - 1 : header.indexOf(opts.target)
  if (target < 0) {
    const list = header.join(', ')
    const message = `Target column "${opts.target ?? ''}" is not in the header (${list})`
    problems.add({ kind: 'unknown-target', message, field: 'target' })
  }
  let features: number[]
  if (opts.features === undefined) {
    features = header.map((_, c) => c).filter((c) => c !== target)
  } else {
    features = []
    for (const name of opts.features) {
      const c = header.indexOf(name)
      if (c < 0) {
        const message = `Feature column "${name}" is not in the header`
        problems.add({ kind: 'unknown-feature', message, field: 'features' })
      } else if (c !== target && !features.includes(c)) features.push(c)
    }
  }
  if (target >= 0 && features.length === 0) {
    const message = 'No feature columns: the file needs at least one besides the target'
    problems.add({ kind: 'no-features', message })
  }
  return { header, target, features }
}

/** Reads features of every well-formed row into `x`; returns target cells by kept row. */
function readRows(
  rows: readonly CsvRecord[],
  cols: Columns,
  problems: Problems,
): { x: number[]; targets: { row: number; text: string }[] } {
  const { header, target, features } = cols
  const x: number[] = []
  const targets: { row: number; text: string }[] = []
  for (const rec of rows) {
    if (rec.fields.length !== header.length) {
      const got = rec.fields.length
      const message = `Row ${rec.row} has ${got} cells; the header has ${header.length}`
      problems.add({ kind: 'ragged-row', message, row: rec.row })
      continue
    }
    for (const c of features) {
      const read = readValue(rec.fields[c] ?? '')
      if (read.ok) x.push(read.value)
      else problems.add(cellError(read.kind, rec.row, header, c, read.what))
    }
    const text = (rec.fields[target] ?? '').trim()
    if (text === '') problems.add(cellError('empty-cell', rec.row, header, target, 'empty'))
    targets.push({ row: rec.row, text })
  }
  return { x, targets }
}

function chooseTask(texts: readonly string[], choice: CsvTaskChoice): Task {
  if (choice !== 'auto') return choice
  const numbers = texts.map(parseNumber).filter((v) => v !== null)
  const integers = numbers.every((v) => Number.isInteger(v))
  const task =
    integers && new Set(numbers).size <= CSV_MAX_AUTO_CLASSES ? 'classification' : 'regression'
  const text = texts.length - numbers.length
  if (text === 0) return task
  // Mostly numbers that would be regression: the text is missing values, refused by row.
  return task === 'regression' && text <= STRAY_TEXT_SHARE * texts.length
    ? 'regression'
    : 'classification'
}

/** Class names in a stable order: numerically when every label is a number, else by text. */
function classNamesOf(texts: readonly string[]): string[] {
  const numeric = texts.every((t) => labelNumber(t) !== null)
  const names = numeric
    ? [...new Set(texts.map((t) => String(labelNumber(t))))]
    : [...new Set(texts)]
  return numeric ? names.sort((a, b) => Number(a) - Number(b)) : names.sort()
}

function readTargets(
  targets: readonly { row: number; text: string }[],
  cols: Columns,
  task: Task,
  problems: Problems,
): { y: number[]; classNames?: string[] } {
  const texts = targets.map((t) => t.text)
  if (task === 'regression') {
    const y = targets.map(({ row, text }) => {
      const read = readValue(text)
      if (read.ok) return read.value
      if (read.kind !== 'empty-cell') {
        const what = `${read.what} (the target is regression)`
        problems.add(cellError(read.kind, row, cols.header, cols.target, what))
      }
      return 0
    })
    return { y }
  }
  const filled = texts.filter((t) => t !== '')
  const classNames = classNamesOf(filled)
  const numeric = filled.every((t) => labelNumber(t) !== null)
  const key = (t: string): string => (numeric ? String(labelNumber(t)) : t)
  const column = cols.target + 1
  const name = cols.header[cols.target] ?? ''
  if (classNames.length < 2 && problems.total === 0) {
    const message = `Only one class ("${classNames[0] ?? ''}") in target column "${name}"; classification needs at least two`
    problems.add({ kind: 'one-class', message, column })
  }
  // Fewer than two examples a class: a name, an identifier or a date, not a label to learn.
  if (classNames.length > CSV_MAX_AUTO_CLASSES && 2 * classNames.length > filled.length) {
    const message =
      `Target column "${name}" has ${classNames.length} different values in ${filled.length} ` +
      'rows, too few examples of each class to learn from; choose another target column'
    problems.add({ kind: 'too-many-classes', message, column })
    return { y: [], classNames }
  }
  const index = new Map(classNames.map((c, i) => [c, i]))
  return { y: texts.map((t) => index.get(key(t)) ?? -1), classNames }
}

/** Standardises features; refuses cells that the training rows' statistics push past float32. */
function standardizeCells(
  dataset: Dataset,
  rows: readonly CsvRecord[],
  cols: Columns,
  problems: Problems,
): Dataset {
  const standardized = standardize(dataset)
  const norm: Normalization = standardized.normalization ?? { mean: [], std: [] }
  for (const rec of rows) {
    cols.features.forEach((c, k) => {
      const text = (rec.fields[c] ?? '').trim()
      const mean = norm.mean[k] ?? 0
      const std = norm.std[k] ?? 1
      const value = Math.fround(parseNumber(text) ?? 0)
      if (Number.isFinite(Math.fround((value - mean) / std))) return
      const stats = `mean ${mean.toPrecision(3)}, std ${std.toPrecision(3)}`
      const what = `${text} is beyond float32's range once standardised (training rows: ${stats})`
      problems.add(cellError('out-of-range', rec.row, cols.header, c, what))
    })
  }
  return standardized
}

type Checked = { ok: true; cols: Columns; rows: readonly CsvRecord[] } | { ok: false }

function checkStructure(text: string, opts: CsvOptions, problems: Problems): Checked {
  const table = parseCsvText(text, opts.delimiter ?? detectDelimiter(text))
  for (const issue of table.issues) {
    const what = issue.kind === 'unclosed-quote' ? 'a quote is never closed' : 'text after a quote'
    const message = `Row ${issue.row}, column ${issue.field + 1}: ${what}`
    problems.add({ kind: 'bad-quote', message, row: issue.row, column: issue.field + 1 })
  }
  const [headerRecord, ...rows] = table.records.filter((r) => !r.blank)
  if (headerRecord === undefined) {
    problems.add({ kind: 'no-header', message: 'The file is empty: it needs a header row' })
    return { ok: false }
  }
  const header = checkHeader(headerRecord, problems)
  if (problems.total > 0) return { ok: false }
  const cols = pickColumns(header, opts, problems)
  if (problems.total > 0) return { ok: false }
  if (rows.length === 0) {
    problems.add({ kind: 'no-rows', message: 'The file has a header but no data rows' })
    return { ok: false }
  }
  return { ok: true, cols, rows }
}

/** Parses CSV text into a Dataset, or refuses it with the first problems found. */
export function parseCsvDataset(text: string, opts: CsvOptions = {}): CsvResult {
  const problems = new Problems()
  const refuse = (): CsvResult => ({
    ok: false,
    errors: problems.list,
    omitted: problems.total - problems.list.length,
  })
  const checked = checkStructure(text, opts, problems)
  if (!checked.ok) return refuse()
  const { cols, rows } = checked
  const { x, targets } = readRows(rows, cols, problems)
  const task = chooseTask(
    targets.map((t) => t.text).filter((t) => t !== ''),
    opts.task ?? 'auto',
  )
  const { y, classNames } = readTargets(targets, cols, task, problems)
  if (problems.total > 0) return refuse()
  const rowSize = cols.features.length
  const rng = createRng(opts.seed ?? 0)
  const { train, test } = splitExamples(x, y, rowSize, opts.trainRatio ?? 0.8, rng)
  const dataset: Dataset = {
    name: opts.name ?? 'csv',
    task,
    featureNames: cols.features.map((c) => cols.header[c] ?? ''),
    inputShape: [rowSize],
    ...(classNames ? { classNames } : {}),
    targetName: cols.header[cols.target] ?? '',
    train,
    test,
  }
  const kept = opts.standardize === true ? standardizeCells(dataset, rows, cols, problems) : dataset
  return problems.total > 0 ? refuse() : { ok: true, dataset: kept }
}
