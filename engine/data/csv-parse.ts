// CSV text → records, before any meaning is given to cells: RFC 4180 quoting ("" inside quotes,
// delimiters and line breaks inside quotes), CRLF / LF / CR line ends, a leading BOM and a
// trailing newline. Every record keeps the row number a spreadsheet would show it on.

export interface CsvRecord {
  /** 1-based spreadsheet row; blank lines count, a quoted line break does not start a row. */
  readonly row: number
  readonly fields: readonly string[]
  /** An empty line (no cells, no quotes). */
  readonly blank: boolean
}

export interface CsvQuoteIssue {
  readonly kind: 'unclosed-quote' | 'text-after-quote'
  readonly row: number
  /** 0-based index of the field in its record. */
  readonly field: number
}

export interface CsvTable {
  readonly records: readonly CsvRecord[]
  readonly issues: readonly CsvQuoteIssue[]
}

const QUOTE = 34
const LF = 10
const CR = 13

/** Picks ',', ';' or tab: whichever occurs most in the first line (ties and none: ','). */
export function detectDelimiter(text: string): string {
  let end = text.search(/\r|\n/)
  if (end < 0) end = text.length
  const line = text.slice(0, end).replace(/"[^"]*"/g, '')
  let best = ','
  let bestCount = 0
  for (const d of [',', ';', '\t']) {
    const n = line.split(d).length - 1
    if (n > bestCount) {
      best = d
      bestCount = n
    }
  }
  return best
}

/** Index of the next delimiter or line break at or after `pos` (text.length if none). */
function findStop(text: string, pos: number, delim: number): number {
  let i = pos
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === delim || c === LF || c === CR) return i
    i++
  }
  return i
}

interface Cursor {
  pos: number
  row: number
  field: number
}

/** Reads a quoted field starting at the opening quote; leaves the cursor after the closing one. */
function readQuoted(text: string, at: Cursor, delim: number, issues: CsvQuoteIssue[]): string {
  let value = ''
  let j = at.pos + 1
  for (;;) {
    const q = text.indexOf('"', j)
    if (q < 0) {
      issues.push({ kind: 'unclosed-quote', row: at.row, field: at.field })
      at.pos = text.length
      return value + text.slice(j)
    }
    if (text.charCodeAt(q + 1) === QUOTE) {
      value += text.slice(j, q + 1)
      j = q + 2
      continue
    }
    value += text.slice(j, q)
    at.pos = q + 1
    break
  }
  const stop = findStop(text, at.pos, delim)
  if (stop > at.pos) {
    issues.push({ kind: 'text-after-quote', row: at.row, field: at.field })
    value += text.slice(at.pos, stop)
    at.pos = stop
  }
  return value
}

/** Splits CSV text into records. Never throws; quoting problems come back as issues. */
export function parseCsvText(text: string, delimiter = ','): CsvTable {
  const delim = delimiter.charCodeAt(0)
  const records: CsvRecord[] = []
  const issues: CsvQuoteIssue[] = []
  const at: Cursor = { pos: text.charCodeAt(0) === 0xfeff ? 1 : 0, row: 1, field: 0 }
  let fields: string[] = []
  let quoted = false
  const endRecord = (): void => {
    const blank = !quoted && fields.length === 1 && fields[0] === ''
    records.push({ row: at.row, fields, blank })
    at.row++
    at.field = 0
    fields = []
    quoted = false
  }
  while (at.pos < text.length) {
    if (text.charCodeAt(at.pos) === QUOTE) {
      quoted = true
      fields.push(readQuoted(text, at, delim, issues))
    } else {
      const stop = findStop(text, at.pos, delim)
      fields.push(text.slice(at.pos, stop))
      at.pos = stop
    }
    const c = text.charCodeAt(at.pos)
    if (at.pos >= text.length) {
      endRecord()
    } else if (c === delim) {
      at.pos++
      at.field++
      if (at.pos >= text.length) {
        fields.push('')
        endRecord()
      }
    } else {
      at.pos += c === CR && text.charCodeAt(at.pos + 1) === LF ? 2 : 1
      endRecord()
    }
  }
  return { records, issues }
}
